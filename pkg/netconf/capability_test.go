package netconf

import (
	"testing"

	"github.com/ncws/ncws/pkg/schema"
)

func TestCommonBase(t *testing.T) {
	tests := []struct {
		name   string
		a, b   []string
		want   string
		wantOK bool
	}{
		{"both 1.1", []string{CapBase10, CapBase11}, []string{CapBase11, CapBase10}, CapBase11, true},
		{"one 1.0 only", []string{CapBase10}, []string{CapBase10, CapBase11}, CapBase10, true},
		{"disjoint", []string{CapBase10}, []string{CapBase11}, "", false},
		{"none", nil, []string{CapBase11}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := CommonBase(tt.a, tt.b)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("CommonBase = %q, %v; want %q, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestModuleCapability(t *testing.T) {
	m := &schema.Module{Name: "ex-mod", Namespace: "urn:ex", Revision: "2024-01-02", YangVersion: "1", Implemented: true}
	m.Features = []*schema.Feature{{Name: "f1", Module: m, Enabled: true}, {Name: "off", Module: m}, {Name: "f 2", Module: m, Enabled: true}}
	m.Deviations = []string{"ex-dev", "ex-dev2"}
	bare := &schema.Module{Name: "bare", Namespace: "urn:bare", YangVersion: "1", Implemented: true}
	y11 := &schema.Module{Name: "y11", Namespace: "urn:y11", YangVersion: "1.1", Implemented: true}
	imported := &schema.Module{Name: "imp", Namespace: "urn:imp", YangVersion: "1"}
	tests := []struct {
		name   string
		m      *schema.Module
		want   string
		inHelo bool
	}{
		{"full", m, "urn:ex?module=ex-mod&revision=2024-01-02&features=f1,f+2&deviations=ex-dev,ex-dev2", true},
		{"bare", bare, "urn:bare?module=bare", true},
		{"yang 1.1", y11, "urn:y11?module=y11", false},
		{"imported only", imported, "urn:imp?module=imp", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ModuleCapability(tt.m); got != tt.want {
				t.Errorf("ModuleCapability = %q, want %q", got, tt.want)
			}
			if got := InHello(tt.m); got != tt.inHelo {
				t.Errorf("InHello = %v, want %v", got, tt.inHelo)
			}
		})
	}
}

func TestYangLibraryCapability(t *testing.T) {
	got := YangLibraryCapability("a b&c")
	want := "urn:ietf:params:netconf:capability:yang-library:1.1?revision=2019-01-04&content-id=a+b%26c"
	if got != want {
		t.Errorf("YangLibraryCapability = %q, want %q", got, want)
	}
}
