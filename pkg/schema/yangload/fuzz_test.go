package yangload

import (
	"strings"
	"testing"
)

// FuzzLoad compiles arbitrary module text: Load must return a schema or errors, never panic
// (Load's recover would turn a panic into an "internal error", which fails here too).
func FuzzLoad(f *testing.F) {
	for _, tc := range compileCases {
		if len(tc.modules) == 1 {
			for _, text := range tc.modules {
				f.Add(text)
			}
		}
	}
	f.Add(`module m { namespace "urn:m"; prefix m; leaf a { type string { pattern "\\p{IsBasicLatin}*"; } } }`)
	f.Add(`module m { yang-version 1.1; namespace "urn:m"; prefix m; container c { leaf r { type leafref { path "deref(../x)/../y"; } } leaf x { type leafref { path "../y"; } } leaf y { type int8; } } }`)
	f.Add(`module m { namespace "urn:m"; prefix m; rpc r { input { leaf a { type decimal64 { fraction-digits 2; range "1.5..max"; } } } } }`)
	f.Fuzz(func(t *testing.T, text string) {
		s, err := loadText(Options{}, "fuzz.yang", text)
		// OmitOrigins shares types (leafref types as the leaves are built) and reports the
		// same errors.
		_, lean := loadText(Options{OmitOrigins: true}, "fuzz.yang", text)
		if (err == nil) != (lean == nil) || err != nil && err.Error() != lean.Error() {
			t.Fatalf("errors differ with OmitOrigins:\n%v\nwithout:\n%v", lean, err)
		}
		if err != nil {
			if strings.Contains(err.Error(), "internal error") {
				t.Fatalf("panic inside Load: %v", err)
			}
			return
		}
		if s == nil || len(s.Modules) == 0 {
			t.Fatal("no schema and no error")
		}
	})
}
