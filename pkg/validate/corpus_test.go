package validate

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
)

// The yanglint-checked corpus of ../shared/conformance/validation, plus testdata/yl and
// testdata/extra (more cases with yanglint's verdicts), run through yangload, an XML decoder and
// Validate: the library path of the conformance proof `make test` runs (the CLI path is
// internal/cli's TestConformanceCorpus).

const (
	corpusDir = "../../../shared/conformance/validation"
	yangDir   = "../../../shared/yang"
)

type moduleSet struct {
	search     []string
	files      []string
	importsImp bool
}

var moduleSets = map[string]moduleSet{
	"types": {[]string{"test"}, []string{"test/oracle-types.yang"}, false},
	"cons":  {[]string{"test"}, []string{"test/oracle-constraints.yang"}, false},
	"ietf-if": {[]string{"ietf"}, []string{"ietf/ietf-interfaces@2014-05-08.yang",
		"ietf/iana-if-type@2014-05-08.yang"}, false},
	"ietf-ip": {[]string{"ietf"}, []string{"ietf/ietf-interfaces@2014-05-08.yang",
		"ietf/iana-if-type@2014-05-08.yang", "ietf/ietf-ip@2014-06-16.yang"}, false},
	"ietf-rt": {[]string{"ietf"}, []string{"ietf/ietf-interfaces@2014-05-08.yang",
		"ietf/iana-if-type@2014-05-08.yang", "ietf/ietf-routing@2016-11-04.yang",
		"ietf/ietf-ipv4-unicast-routing@2016-11-04.yang"}, false},
	"ietf-sys":  {[]string{"ietf"}, []string{"ietf/ietf-system@2014-08-06.yang"}, false},
	"ietf-nacm": {[]string{"ietf"}, []string{"ietf/ietf-netconf-acm@2018-02-14.yang"}, false},
	"oc-if": {[]string{"openconfig"}, []string{
		"openconfig/release/models/interfaces/openconfig-interfaces.yang",
		"openconfig/release/models/interfaces/openconfig-if-ip.yang",
		"openconfig/release/models/interfaces/openconfig-if-ethernet.yang",
		"openconfig/third_party/ietf/iana-if-type.yang"}, true},
}

func loadSet(t *testing.T, name string) *schema.Schema {
	t.Helper()
	ms, ok := moduleSets[name]
	if !ok {
		t.Fatalf("unknown module set %q", name)
	}
	var o yangload.Options
	for _, p := range ms.search {
		o.SearchPaths = append(o.SearchPaths, filepath.Join(yangDir, p))
	}
	for _, f := range ms.files {
		o.Files = append(o.Files, filepath.Join(yangDir, f))
	}
	o.ImportsImplemented = ms.importsImp
	s, err := yangload.Load(o)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return s
}

var locRE = regexp.MustCompile(`\((Data|Schema) location "([^"]*)"`)
var predRE = regexp.MustCompile(`\[[^\]]*\]`)

// caseRow is one line of a cases.tsv: document, expected verdict, yanglint's first error line.
type caseRow struct {
	name, expected, category, firstErr string
}

// runCase decodes and validates one document and compares with yanglint's verdict and location.
func runCase(t *testing.T, v *Validator, s *schema.Schema, file string, row caseRow) {
	runCaseOpts(t, v, s, file, row, Options{})
}

func runCaseOpts(t *testing.T, v *Validator, s *schema.Schema, file string, row caseRow, opts Options) {
	doc, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	root, errs := decode(t, s, doc)
	if len(errs) == 0 {
		errs = v.Validate(root, opts)
	}
	if row.expected == "valid" {
		if len(errs) > 0 {
			t.Errorf("want valid, got:\n%v", errs)
		}
		return
	}
	if len(errs) == 0 {
		t.Fatalf("want invalid (yanglint: %s), got no error", row.firstErr)
	}
	m := locRE.FindStringSubmatch(row.firstErr)
	if m == nil {
		return
	}
	want := m[2]
	if m[1] == "Schema" {
		// A schema node identifier names choice and case nodes; our error-path, an
		// instance-identifier, does not (a missing choice is reported at its parent).
		if n := s.FindNode(want); n != nil {
			want = n.Path()
		}
	}
	for _, e := range errs {
		p := e.Path
		if m[1] == "Schema" {
			p = predRE.ReplaceAllString(p, "")
		}
		if p == want || (m[1] == "Data" && strings.HasSuffix(p, want)) {
			return
		}
	}
	t.Errorf("no error at yanglint's location %s %q; got:\n%v", m[1], m[2], errs)
}

func readRows(t *testing.T, file string, cols func([]string) caseRow) []caseRow {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Skipf("cases not available: %v", err)
	}
	defer f.Close()
	var rows []caseRow
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if len(c) >= 3 && c[0] != "case" {
			rows = append(rows, cols(c))
		}
	}
	return rows
}

func TestCorpus(t *testing.T) {
	schemas := map[string]*schema.Schema{}
	validators := map[string]*Validator{}
	sets := map[string]string{}
	rows := readRows(t, filepath.Join(corpusDir, "cases.tsv"), func(c []string) caseRow {
		sets[c[0]] = c[1]
		return caseRow{name: c[0], expected: c[2], category: c[3], firstErr: c[5]}
	})
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			set := sets[row.name]
			s := schemas[set]
			if s == nil {
				s = loadSet(t, set)
				schemas[set] = s
				validators[set] = New(s)
			}
			runCase(t, validators[set], s, filepath.Join(corpusDir, "cases", row.name), row)
		})
	}
}

// TestYanglintCases runs testdata/yl: cases for testdata/yl/vx.yang whose expected verdicts and
// first errors come from yanglint (-t config; regenerate expected.tsv with testdata/yl/gen.sh).
func TestYanglintCases(t *testing.T) {
	s, err := yangload.Load(yangload.Options{SearchPaths: []string{"testdata/yl"},
		Files: []string{"testdata/yl/vx.yang"}})
	if err != nil {
		t.Fatal(err)
	}
	v := New(s)
	rows := readRows(t, "testdata/yl/expected.tsv", func(c []string) caseRow {
		return caseRow{name: c[0], expected: c[1], firstErr: c[2]}
	})
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			runCase(t, v, s, filepath.Join("testdata/yl/cases", row.name), row)
		})
	}
}

// decode parses a corpus document (with or without the <config> wrapper) with the real decoder.
func decode(t testing.TB, s *schema.Schema, doc []byte) (*data.Node, rpcerror.List) {
	t.Helper()
	return yangxml.Unmarshal(doc, s, yangxml.DecodeOptions{AllowEmpty: true, RejectState: true, StrictAttrs: true})
}

func BenchmarkValidate100k(b *testing.B) {
	file := filepath.Join(b.TempDir(), "big100k.xml")
	if out, err := exec.Command("/usr/bin/python3", "../../../shared/bench/gen-big-ietf-if.py", "100000",
		file).CombinedOutput(); err != nil {
		b.Skipf("generator: %v: %s", err, out)
	}
	s, err := yangload.Load(yangload.Options{SearchPaths: []string{filepath.Join(yangDir, "ietf")},
		Files: []string{filepath.Join(yangDir, "ietf/ietf-interfaces@2014-05-08.yang"),
			filepath.Join(yangDir, "ietf/iana-if-type@2014-05-08.yang"),
			filepath.Join(yangDir, "ietf/ietf-ip@2014-06-16.yang")}})
	if err != nil {
		b.Fatal(err)
	}
	doc, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	v := New(s)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		root, errs := decode(b, s, doc)
		if len(errs) > 0 {
			b.Fatal(errs)
		}
		b.StartTimer()
		if errs := v.Validate(root, Options{}); len(errs) > 0 {
			b.Fatal(errs[0])
		}
	}
}

// TestExtraCases runs testdata/extra: more documents for the corpus module sets, with yanglint's
// verdicts and first errors (columns: case, module set, verdict, first error).
func TestExtraCases(t *testing.T) {
	schemas := map[string]*schema.Schema{}
	validators := map[string]*Validator{}
	sets := map[string]string{}
	rows := readRows(t, "testdata/extra/expected.tsv", func(c []string) caseRow {
		sets[c[0]] = c[1]
		return caseRow{name: c[0], expected: c[2], firstErr: c[3]}
	})
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			set := sets[row.name]
			s := schemas[set]
			if s == nil {
				s = loadSet(t, set)
				schemas[set] = s
				validators[set] = New(s)
			}
			runCase(t, validators[set], s, filepath.Join("testdata/extra", row.name), row)
		})
	}
}

// TestSkipUnreadDefaultsCorpus: every document of the corpora (valid and invalid) gets the same
// errors from Validate with Options.SkipUnreadDefaults as without it.
func TestSkipUnreadDefaultsCorpus(t *testing.T) {
	type doc struct{ set, file string }
	var docs []doc
	for _, r := range readRows(t, filepath.Join(corpusDir, "cases.tsv"), func(c []string) caseRow {
		return caseRow{name: c[0], expected: c[1]}
	}) {
		docs = append(docs, doc{r.expected, filepath.Join(corpusDir, "cases", r.name)})
	}
	for _, r := range readRows(t, "testdata/extra/expected.tsv", func(c []string) caseRow {
		return caseRow{name: c[0], expected: c[1]}
	}) {
		docs = append(docs, doc{r.expected, filepath.Join("testdata/extra", r.name)})
	}
	for _, r := range readRows(t, "testdata/yl/expected.tsv", func(c []string) caseRow {
		return caseRow{name: c[0]}
	}) {
		docs = append(docs, doc{"yl", filepath.Join("testdata/yl/cases", r.name)})
	}
	schemas := map[string]*schema.Schema{}
	validators := map[string]*Validator{}
	compared, withErrs := 0, 0
	for _, d := range docs {
		s := schemas[d.set]
		if s == nil {
			if d.set == "yl" {
				var err error
				s, err = yangload.Load(yangload.Options{SearchPaths: []string{"testdata/yl"}, Files: []string{"testdata/yl/vx.yang"}})
				if err != nil {
					t.Fatal(err)
				}
			} else {
				s = loadSet(t, d.set)
			}
			schemas[d.set] = s
			validators[d.set] = New(s)
		}
		b, err := os.ReadFile(d.file)
		if err != nil {
			t.Fatal(err)
		}
		full, errs := decode(t, s, b)
		if len(errs) > 0 {
			continue // a decode error: validation does not run
		}
		lean, _ := decode(t, s, b)
		want := errLines(validators[d.set].Validate(full, Options{}))
		got := errLines(validators[d.set].Validate(lean, Options{SkipUnreadDefaults: true}))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: errors mismatch (-full +skip):\n%s", d.file, diff)
		}
		compared++
		if len(want) > 0 {
			withErrs++
		}
	}
	t.Logf("%d documents compared, %d with errors", compared, withErrs)
	if compared == 0 {
		t.Skip("no corpus documents")
	}
}

// errLines returns the errors in order, each with its line and every field a user sees.
func errLines(errs rpcerror.List) []string {
	var out []string
	for _, e := range errs {
		k := fmt.Sprintf("%d: %s %s %s %s | %s", e.Line, e.Path, e.Type, e.Tag, e.AppTag, e.Message)
		for _, in := range e.Info {
			k += " | " + in.Name + "=" + in.Value
		}
		out = append(out, k)
	}
	return out
}
