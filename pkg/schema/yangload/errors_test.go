package yangload

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name     string
		text     string // written to m.yang
		features map[string][]string
		want     []string // "line: message fragment", in order
	}{
		{"missing import", `module m { namespace "urn:m"; prefix m;
  import nosuch { prefix n; }
}`, nil, []string{"2: imported module nosuch not found"}},
		{"unresolved leafref", `module m { namespace "urn:m"; prefix m;
  container c {
    leaf a { type string; }
    leaf r { type leafref { path "../nope"; } }
  }
}`, nil, []string{`4: leafref path "../nope" of /m:c/r: node nope not found`}},
		{"leafref to a container", `module m { namespace "urn:m"; prefix m;
  container c { leaf r { type leafref { path "/m:c"; } } }
}`, nil, []string{"2: leafref path \"/m:c\" of /m:c/r: the target /m:c is not a leaf or leaf-list"}},
		{"deref in a leafref path", `module m { yang-version 1.1; namespace "urn:m"; prefix m;
  leaf a { type leafref { path "deref(../b)/../c"; } }
  leaf b { type string; }
}`, nil, []string{"2: leafref path \"deref(../b)/../c\" of /m:a: deref() is not allowed in a leafref path"}},
		{"unknown typedef", `module m { namespace "urn:m"; prefix m;
  leaf a { type nosuch; }
}`, nil, []string{"2: type nosuch not found"}},
		{"unknown grouping", `module m { namespace "urn:m"; prefix m;
  container c {
    uses nosuch;
  }
}`, nil, []string{"3: grouping nosuch not found"}},
		{"syntax error", `module m { namespace "urn:m"; prefix m;
  leaf a { type string; 
  leaf b { type string }
}`, nil, []string{"3: syntax error"}},
		{"bad range", `module m { namespace "urn:m"; prefix m;
  leaf a { type uint8 { range "10..1"; } }
  typedef small { type int8 { range "0..10"; } }
  leaf b { type small { range "5..20"; } }
  leaf c { type uint8 { range "0..300"; } }
}`, nil, []string{"2: bad range \"10..1\"", "4: bad range \"5..20\"", "5: bad range \"0..300\""}},
		{"several problems at once", `module m { namespace "urn:m"; prefix m;
  leaf a { type nosuch; }
  leaf b { type string { pattern "[a-"; } }
  list l { leaf x { type string; } }
  augment "/m:nope" { leaf z { type string; } }
  deviation "/m:gone" { deviate not-supported; }
}`, nil, []string{"2: type nosuch not found", "3: pattern \"[a-\"", "4: list l has no key",
			"5: augment target /m:nope not found", "6: deviation target /m:gone not found"}},
		{"unknown feature in options", `module m { namespace "urn:m"; prefix m; feature f; }`,
			map[string][]string{"m": {"g"}}, []string{"0: feature g not defined in module m"}},
		{"bad if-feature", `module m { yang-version 1.1; namespace "urn:m"; prefix m; feature f;
  leaf a { if-feature "f and"; type string; }
  leaf b { if-feature "x:f"; type string; }
}`, nil, []string{`2: if-feature "f and": unexpected end`, `3: if-feature "x:f": unknown prefix x`}},
		{"grouping cycle", `module m { namespace "urn:m"; prefix m;
  grouping g { container c { uses g; } }
  uses g;
}`, nil, []string{"2: grouping g uses itself"}},
		{"typedef cycle", `module m { namespace "urn:m"; prefix m;
  typedef a { type b; }
  typedef b { type a; }
  leaf x { type a; }
}`, nil, []string{"2: typedef a refers to itself"}},
		{"bad defaults", `module m { namespace "urn:m"; prefix m;
  typedef t { type uint8; default 300; }
  leaf a { type uint8 { range "1..10"; } default 11; }
  leaf b { type enumeration { enum x; } default y; }
  leaf c { type string { pattern "[a-z]+"; } default "A"; }
  leaf-list d { type boolean; }
  leaf e { type t; }
  leaf f { type uint16; default "10 "; }
  leaf g { type enumeration { enum x; } default " x"; }
  leaf h { type decimal64 { fraction-digits 1; } default "\t1.5\n"; }
}`, nil, []string{"2: invalid default of typedef t: 300 is out of the bounds of uint8", "3: invalid default of leaf a: 11 is outside the range",
			`4: invalid default of leaf b: "y" is not an enum`, `5: invalid default of leaf c: "A" does not match the pattern`,
			// A number may have whitespace around it (leaf f, h), as yanglint accepts; an enum may not.
			`9: invalid default of leaf g: " x" is not an enum`}},
		{"not a module", `container c { }`, nil, []string{"1: expected exactly one module or submodule statement"}},
		{"missing key leaf and bad unique", `module m { namespace "urn:m"; prefix m;
  list l { key "id"; unique "nope"; leaf x { type string; } }
}`, nil, []string{"2: list l: key id is not a child leaf", "2: list l: unique nope does not name a descendant leaf"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeModules(t, map[string]string{"m.yang": tt.text})
			file := filepath.Join(dir, "m.yang")
			s, err := Load(Options{SearchPaths: []string{dir}, Files: []string{file}, Features: tt.features})
			if err == nil {
				t.Fatalf("Load succeeded (%d modules), want errors", len(s.Modules))
			}
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("error %T is not Errors: %v", err, err)
			}
			// OmitOrigins (types shared, leafref types too) reports the same errors.
			_, lean := Load(Options{SearchPaths: []string{dir}, Files: []string{file}, Features: tt.features, OmitOrigins: true})
			if lean == nil || lean.Error() != err.Error() {
				t.Errorf("errors differ with OmitOrigins:\n%v\nwithout:\n%v", lean, err)
			}
			var got []string
			for i, e := range es {
				if e.File != file {
					t.Errorf("error %d file = %q, want %q", i, e.File, file)
				}
				got = append(got, strings.TrimPrefix(e.Error(), file+":"))
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d errors, want %d:\n%s", len(got), len(tt.want), strings.Join(got, "\n"))
			}
			for i := range got {
				line := strings.SplitN(tt.want[i], ":", 2)[0]
				gotLine := strings.SplitN(got[i], ":", 2)[0]
				if line == "0" {
					line = " feature g not defined in module m" // errors without a line
					gotLine = got[i]
				}
				if gotLine != line || !strings.Contains(got[i], strings.TrimSpace(strings.SplitN(tt.want[i], ":", 2)[1])) {
					t.Errorf("error %d mismatch (-want +got):\n%s", i, cmp.Diff(tt.want[i], got[i]))
				}
			}
		})
	}
}

func TestLoadNoFiles(t *testing.T) {
	if _, err := Load(Options{}); err == nil {
		t.Fatal("Load without files succeeded")
	}
	_, err := Load(Options{Files: []string{"does-not-exist.yang"}})
	if err == nil || !strings.Contains(err.Error(), "does-not-exist.yang") {
		t.Fatalf("error = %v, want one naming the file", err)
	}
}

func TestParseFeatureFlag(t *testing.T) {
	got := map[string][]string{}
	for _, f := range []string{"a:x,y", "b:", "a:z"} {
		if err := ParseFeatureFlag(f, got); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string][]string{"a": {"x", "y", "z"}, "b": {}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("mismatch (-want +got):\n%s", d)
	}
	for _, bad := range []string{"nocolon", ":x", "a:x,,y"} {
		if err := ParseFeatureFlag(bad, map[string][]string{}); err == nil {
			t.Errorf("ParseFeatureFlag(%q) succeeded", bad)
		}
	}
}

// A leafref into a module that is only imported makes it implemented, and the trees are built
// again: the errors of the first build that a statement reports once (a typedef's, a grouping's
// unexpected statement, a nested definition given twice) are reported by the second.
func TestLoadErrorsAfterRebuild(t *testing.T) {
	dir := writeModules(t, map[string]string{"a.yang": `module a { namespace "urn:a"; prefix a;
  import b { prefix b; }
  typedef t { type uint8; default 300; }
  grouping g { leaf x { type string; } bogus 1; }
  container c {
    typedef u { type string; }
    typedef u { type int8; }
    uses g;
    leaf e { type t; }
    leaf r { type leafref { path "/b:top/b:k"; } }
  }
}`, "b.yang": `module b { namespace "urn:b"; prefix b; container top { leaf k { type string; } } }`})
	file := filepath.Join(dir, "a.yang")
	want := []string{file + ":3: invalid default of typedef t: 300 is out of the bounds of uint8",
		file + ":4: unexpected statement bogus in grouping", file + ":7: typedef u defined twice"}
	for _, omit := range []bool{false, true} {
		_, err := Load(Options{SearchPaths: []string{dir}, Files: []string{file}, OmitOrigins: omit})
		var got []string
		var es Errors
		if errors.As(err, &es) {
			for _, e := range es {
				got = append(got, e.Error())
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("OmitOrigins %v: errors mismatch (-want +got):\n%s", omit, diff)
		}
	}
}
