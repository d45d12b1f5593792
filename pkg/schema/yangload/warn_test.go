package yangload

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestWarnings: what yanglint refuses for an RFC reason but ncws accepts is reported through
// Options.Warn, once per location: an escape other than \n, \t, \" and \\ in a double-quoted
// string (not in comments or single-quoted strings), a leaf-list of type empty in a YANG 1.0
// module (once for a grouping used twice). The escape is kept as both characters, as the
// pattern shows. yanglint, when installed, refuses each module.
func TestWarnings(t *testing.T) {
	dir := writeModules(t, map[string]string{
		"w11.yang": `module w11 {
  yang-version 1.1;
  namespace "urn:w11";
  prefix w;
  /* "\* in a comment" */
  // "\q" too
  leaf a { type string { pattern "[a-z]\*"; } description 'single \* quoted'; }
  leaf b { type string; description "x\\ \" \n \t"; }
  leaf-list e { type empty; }
}
`,
		"w10.yang": `module w10 {
  namespace "urn:w10";
  prefix w;
  grouping g { leaf-list e { type empty; } }
  container c { uses g; }
  container d { uses g; }
  leaf a { type string { pattern "\d+"; } }
}
`,
	})
	var got []string
	opts := Options{Files: []string{filepath.Join(dir, "w11.yang"), filepath.Join(dir, "w10.yang")},
		Warn: func(e *Error) { got = append(got, e.Error()) }}
	s, err := Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	w10, w11 := filepath.Join(dir, "w10.yang"), filepath.Join(dir, "w11.yang")
	want := []string{
		w10 + ":4: leaf-list e of type empty in a YANG 1.0 module: only YANG 1.1 (RFC 7950) has empty leaf-lists (yanglint refuses the module)",
		w10 + ":7: backslash followed by 'd' in a double-quoted string: RFC 6020 section 6.1.3 defines no such escape (yanglint refuses the module); kept as the two characters",
		w11 + ":7: backslash followed by '*' in a double-quoted string: RFC 7950 section 6.1.3 forbids it (yanglint refuses the module); kept as the two characters",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("warnings mismatch (-want +got):\n%s", d)
	}
	if p := s.FindNode("/w11:a").Type.Patterns[0].Expr; p != `[a-z]\*` {
		t.Errorf("pattern = %q, want [a-z]\\*", p)
	}
	if _, err := exec.LookPath("yanglint"); err == nil {
		for _, f := range []string{w10, w11} {
			if exec.Command("yanglint", f).Run() == nil {
				t.Errorf("yanglint accepts %s: the warning claims it refuses it", f)
			}
		}
	}
}
