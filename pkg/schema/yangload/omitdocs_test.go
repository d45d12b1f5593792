package yangload

import (
	"path/filepath"
	"strings"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/openconfig/goyang/pkg/yang"
)

var omitModules = map[string]string{
	"o.yang": `module o {
  yang-version 1.1;
  namespace "urn:o";
  prefix o;
  include osub;
  organization "org";
  contact "someone";
  description "the module";
  reference "RFC 0";
  feature f { description "a feature"; }
  identity base { description "an identity"; }
  container c {
    description "a container";
    reference "section 1";
    leaf x { type string; default "d"; units "s"; description "a leaf"; }
  }
}
`,
	"osub.yang": `submodule osub {
  yang-version 1.1;
  belongs-to o { prefix o; }
  leaf y { type string { pattern "\d+"; } description "in the submodule"; }
}
`,
}

// TestOmitDocs: with OmitDocs every description and reference of the schema is "" and with
// OmitSources no module text is kept, while the rest of the schema (names, defaults, units,
// patterns) and the warnings (here of an escape in a submodule) are those of a full load.
func TestOmitDocs(t *testing.T) {
	dir := writeModules(t, omitModules)
	load := func(omit bool) (*schema.Schema, []string) {
		var warns []string
		s, err := Load(Options{SearchPaths: []string{dir}, Files: []string{filepath.Join(dir, "o.yang")}, OmitDocs: omit, OmitSources: omit,
			Warn: func(e *Error) { warns = append(warns, e.Error()) }})
		if err != nil {
			t.Fatal(err)
		}
		return s, warns
	}
	docs := func(s *schema.Schema) []string {
		var out []string
		for _, m := range s.Modules {
			out = append(out, m.Description)
			for _, f := range m.Features {
				out = append(out, f.Description)
			}
			for _, id := range m.Identities {
				out = append(out, id.Description)
			}
		}
		for _, p := range []string{"/o:c", "/o:c/x", "/o:y"} {
			n := s.FindNode(p)
			out = append(out, n.Description(), n.Reference())
		}
		return out
	}
	full, fullWarns := load(false)
	if p := full.FindNode("/o:y").Type.Patterns; len(p) != 1 || p[0].Expr != `\d+` {
		t.Errorf("/o:y patterns %v, want one, \\d+", p)
	}
	lean, leanWarns := load(true)
	want := []string{"the module", "a feature", "an identity", "a container", "section 1", "a leaf", "", "in the submodule", ""}
	if d := cmp.Diff(want, docs(full)); d != "" {
		t.Errorf("full load: documentation mismatch (-want +got):\n%s", d)
	}
	if d := cmp.Diff(make([]string, len(want)), docs(lean)); d != "" {
		t.Errorf("OmitDocs: documentation mismatch (-want +got):\n%s", d)
	}
	if src := full.Modules[0].Source; !strings.HasPrefix(src, "module o {") {
		t.Errorf("full load: Source = %.20q, want the module's text", src)
	}
	if src := lean.Modules[0].Source; src != "" {
		t.Errorf("OmitSources: Source = %.20q, want empty", src)
	}
	if len(fullWarns) != 1 || !strings.Contains(fullWarns[0], "osub.yang:4: backslash followed by 'd'") {
		t.Errorf("full load: warnings %q, want the escape of osub.yang line 4", fullWarns)
	}
	if d := cmp.Diff(fullWarns, leanWarns); d != "" {
		t.Errorf("OmitDocs: warnings mismatch (-full +lean):\n%s", d)
	}
	for _, p := range []string{"/o:c/x", "/o:y"} {
		f, l := full.FindNode(p), lean.FindNode(p)
		if f.Name != l.Name || !cmp.Equal(f.Default(), l.Default()) || f.Units() != l.Units() || f.Loc != l.Loc ||
			len(f.Type.Patterns) != len(l.Type.Patterns) {
			t.Errorf("%s differs between the full and the OmitDocs load", p)
		}
	}
}

// TestParseFreesText: no statement string of a parsed file points into the file's text (which
// would keep all of it alive as long as the schema keeps one name), and repeated arguments are
// one string.
func TestParseFreesText(t *testing.T) {
	text := omitModules["o.yang"]
	p := parseText("o.yang", text, parseMode{omitSources: true}, nil)
	if p.err != nil {
		t.Fatal(p.err)
	}
	if p.text != "" {
		t.Errorf("text kept with omitSources")
	}
	lo := uintptr(unsafe.Pointer(unsafe.StringData(text)))
	hi := lo + uintptr(len(text))
	inText := func(s string) bool {
		a := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		return s != "" && a >= lo && a < hi
	}
	args := map[string]*byte{}
	n := 0
	var walk func(s *stmt)
	walk = func(s *stmt) {
		n++
		if inText(s.Keyword()) || inText(s.Arg()) {
			t.Errorf("%s %q: points into the text", s.Keyword(), s.Arg())
		}
		if s.Arg() != "" {
			if q, ok := args[s.Arg()]; ok && q != unsafe.StringData(s.Arg()) {
				t.Errorf("argument %q: two copies", s.Arg())
			}
			args[s.Arg()] = unsafe.StringData(s.Arg())
		}
		for c := range s.subStmts() {
			walk(c)
		}
	}
	for s := range each(p.stmts) {
		walk(s)
	}
	if n < 20 {
		t.Fatalf("%d statements: the parse lost some", n)
	}
	if sz := unsafe.Sizeof(stmt{}); sz > 32 {
		t.Errorf("a stmt takes %d bytes, want at most 32 (every statement of a load is live at its peak)", sz)
	}
	if p := parseText("o.yang", text, parseMode{}, nil); !strings.HasPrefix(p.text, "module o") {
		t.Errorf("a module's text is not kept without omitSources")
	}
	if p := parseText("osub.yang", omitModules["osub.yang"], parseMode{}, nil); p.text != "" {
		t.Errorf("a submodule's text is kept")
	}
}

// TestOmitDocsMisplaced: a description where RFC 7950 allows none is still reported with
// OmitDocs (it is kept there), at the same line, and one where it is allowed is dropped from
// the statements.
func TestOmitDocsMisplaced(t *testing.T) {
	dir := writeModules(t, map[string]string{"m.yang": `module m {
  namespace "urn:m";
  prefix m;
  leaf x { type string; description "allowed"; }
  deviation /x {
    deviate add {
      default "a";
      description "misplaced";
    }
  }
}
`})
	var errs [2]string
	for i, omit := range []bool{false, true} {
		_, err := Load(Options{Files: []string{filepath.Join(dir, "m.yang")}, OmitDocs: omit})
		if err == nil {
			t.Fatalf("OmitDocs %v: no error for a description in deviate", omit)
		}
		errs[i] = err.Error()
	}
	if !strings.Contains(errs[0], "m.yang:8: unexpected statement description in deviate") {
		t.Errorf("error %q, want the description in deviate at line 8", errs[0])
	}
	if errs[0] != errs[1] {
		t.Errorf("OmitDocs changes the errors:\n%s\nwant\n%s", errs[1], errs[0])
	}
	p := parseText("m.yang", "module m { leaf x { type string; description \"d\"; reference \"r\"; } }", parseMode{omitDocs: true}, nil)
	if p.err != nil {
		t.Fatal(p.err)
	}
	leaf := &p.stmts[0].SubStatements()[0]
	if got := len(leaf.SubStatements()); got != 1 || leaf.SubStatements()[0].Keyword() != "type" {
		t.Errorf("leaf x keeps %d statements with OmitDocs, want only its type", got)
	}
	if file, line := leaf.pos(); file != "m.yang" || line != 1 {
		t.Errorf("leaf x at %s:%d, want m.yang:1", file, line)
	}
}

// TestLineOf: the line read from goyang's statement is the one its Location() names, for every
// statement of a text (and goyang's field is found: the fast path is taken).
func TestLineOf(t *testing.T) {
	if stmtLine < 0 {
		t.Errorf("yang.Statement has no int field line: lineOf formats Location() for every statement")
	}
	stmts, err := yang.Parse(omitModules["o.yang"], "dir/o.yang")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	var walk func(s *yang.Statement)
	walk = func(s *yang.Statement) {
		n++
		if _, want := parseLoc(s.Location()); int(lineOf(s, "dir/o.yang:")) != want {
			t.Errorf("%s %s: line %d, Location %s", s.Keyword, s.Argument, lineOf(s, "dir/o.yang:"), s.Location())
		}
		for _, c := range s.SubStatements() {
			walk(c)
		}
	}
	for _, s := range stmts {
		walk(s)
	}
	if n < 20 {
		t.Fatalf("%d statements", n)
	}
}
