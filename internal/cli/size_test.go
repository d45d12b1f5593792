package cli

import "testing"

func TestParseSize(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
	}{
		{"16777216", 16 << 20}, {"64MiB", 64 << 20}, {"64 MiB", 64 << 20}, {"16MB", 16e6},
		{"1GiB", 1 << 30}, {"1.5GiB", 3 << 29}, {"512KiB", 512 << 10}, {"100kB", 100e3},
		{"2M", 2 << 20}, {"10B", 10}, {"-1", -1}, {"0", 0}, {"64mib", 64 << 20},
	} {
		got, err := parseSize(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "MiB", "12XB", "1e400GiB", "ten", "1.2.3MB", "99999999999TiB"} {
		if got, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) = %d, want an error", bad, got)
		}
	}
	for n, want := range map[int64]string{16 << 20: "16MiB", 1 << 30: "1GiB", 1000: "1000", 3 << 10: "3KiB"} {
		if got := formatSize(n); got != want {
			t.Errorf("formatSize(%d) = %q, want %q", n, got, want)
		}
	}
}
