package auth

import (
	"strings"
	"testing"
)

func TestParseCertMap(t *testing.T) {
	fp := strings.Repeat("ab", 32)
	for _, tc := range []struct {
		in, err string
		want    CertMap
	}{
		{in: fp + ",specified,alice", want: CertMap{Fingerprint: fp, MapType: MapSpecified, Name: "alice"}},
		{in: "04:" + fp + ",san-any", want: CertMap{Fingerprint: "04:" + fp, MapType: MapSANAny}},
		{in: fp + ",common-name", want: CertMap{Fingerprint: fp, MapType: MapCommonName}},
		{in: fp + ",specified", err: "username"},
		{in: fp + ",san-dns-name,bob", err: "only with map type specified"},
		{in: fp + ",by-magic", err: "unknown map type"},
		{in: "abcd,common-name", err: "not a SHA-256 fingerprint"},
		{in: fp, err: "want FINGERPRINT,MAPTYPE"},
	} {
		got, err := ParseCertMap(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseCertMap(%q) = %v, want error with %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got.Fingerprint != tc.want.Fingerprint || got.MapType != tc.want.MapType || got.Name != tc.want.Name {
			t.Errorf("ParseCertMap(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
}
