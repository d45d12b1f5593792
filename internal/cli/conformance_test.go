package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
)

// sharedDir returns ../shared beside the repository (or $NCWS_SHARED).
func sharedDir(t testing.TB) string {
	t.Helper()
	d := os.Getenv("NCWS_SHARED")
	if d == "" {
		d = filepath.Join("..", "..", "..", "shared")
	}
	abs, err := filepath.Abs(d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(abs, "conformance", "validation", "cases.tsv")); err != nil {
		t.Fatalf("shared test material not found at %s (set NCWS_SHARED): %v", abs, err)
	}
	return abs
}

// moduleSet is one row of the corpus README's table: yanglint-style arguments.
type moduleSet struct {
	paths       []string // relative to shared/yang
	files       []string // relative to shared/yang
	implemented bool     // -i
}

// moduleSets transcribes the table of shared/conformance/validation/README.md.
var moduleSets = map[string]moduleSet{
	"types": {paths: []string{"test"}, files: []string{"test/oracle-types.yang"}},
	"cons":  {paths: []string{"test"}, files: []string{"test/oracle-constraints.yang"}},
	"ietf-if": {paths: []string{"ietf"}, files: []string{"ietf/ietf-interfaces@2014-05-08.yang",
		"ietf/iana-if-type@2014-05-08.yang"}},
	"ietf-ip": {paths: []string{"ietf"}, files: []string{"ietf/ietf-interfaces@2014-05-08.yang",
		"ietf/iana-if-type@2014-05-08.yang", "ietf/ietf-ip@2014-06-16.yang"}},
	"ietf-rt": {paths: []string{"ietf"}, files: []string{"ietf/ietf-interfaces@2014-05-08.yang",
		"ietf/iana-if-type@2014-05-08.yang", "ietf/ietf-routing@2016-11-04.yang",
		"ietf/ietf-ipv4-unicast-routing@2016-11-04.yang"}},
	"ietf-sys":  {paths: []string{"ietf"}, files: []string{"ietf/ietf-system@2014-08-06.yang"}},
	"ietf-nacm": {paths: []string{"ietf"}, files: []string{"ietf/ietf-netconf-acm@2018-02-14.yang"}},
	"oc-if": {paths: []string{"openconfig"}, implemented: true, files: []string{
		"openconfig/release/models/interfaces/openconfig-interfaces.yang",
		"openconfig/release/models/interfaces/openconfig-if-ip.yang",
		"openconfig/release/models/interfaces/openconfig-if-ethernet.yang",
		"openconfig/third_party/ietf/iana-if-type.yang"}},
}

func (m moduleSet) args(yangDir string) []string {
	var a []string
	for _, p := range m.paths {
		a = append(a, "-p", filepath.Join(yangDir, p))
	}
	if m.implemented {
		a = append(a, "-i")
	}
	for _, f := range m.files {
		a = append(a, filepath.Join(yangDir, f))
	}
	return a
}

// corpusCase is one validation case with the oracle's verdict.
type corpusCase struct {
	name, set, file string
	valid           bool
	location        string // instance or schema path of yanglint's first error
	schemaLoc       bool   // location is a schema path (yanglint's "Schema location")
}

// locationRE finds the location of a libyang error line; a key value may itself hold a quote
// (yanglint writes [name="o'k"]), so the location ends at the quote that closes the parenthesis.
// yanglint's command mode writes "(path: Data location ...)" where its one-shot form writes
// "(Data location ...)".
var locationRE = regexp.MustCompile(`\((?:path: )?(Data|Schema) location "(.*?)"(?:, line number \d+)?\.\)`)

// readCorpus reads a cases.tsv (columns: case, module_set, expected, category, description,
// yanglint's first error line).
func readCorpus(t *testing.T, dir string) []corpusCase {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "cases.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []corpusCase
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for first := true; sc.Scan(); first = false {
		if first {
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 3 {
			continue
		}
		c := corpusCase{name: cols[0], set: cols[1], file: filepath.Join(dir, "cases", cols[0]), valid: cols[2] == "valid"}
		if len(cols) >= 6 {
			if m := locationRE.FindStringSubmatch(cols[5]); m != nil {
				c.location, c.schemaLoc = m[2], m[1] == "Schema"
			}
		}
		if cols[2] != "valid" && cols[2] != "invalid" {
			t.Fatalf("%s: bad verdict %q", cols[0], cols[2])
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

// runCLI runs `ncws validate -o json ARGS...` through Main and returns the exit code and errors.
func runCLI(t *testing.T, args ...string) (int, []fileError, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), append([]string{"validate", "-o", "json"}, args...), nil, &stdout, &stderr)
	var errs []fileError
	if code != ExitUsage {
		if err := json.Unmarshal(stdout.Bytes(), &errs); err != nil {
			t.Fatalf("ncws validate -o json printed invalid JSON: %v\n%s", err, stdout.String())
		}
	}
	return code, errs, stderr.String()
}

// stripWrapper removes the NETCONF <config> wrapper for yanglint, which wants bare data.
func stripWrapper(doc []byte) []byte {
	s := string(doc)
	open := regexp.MustCompile(`<config\s+xmlns="urn:ietf:params:xml:ns:netconf:base:1\.0"\s*>`)
	loc := open.FindStringIndex(s)
	if loc == nil {
		return doc
	}
	end := strings.LastIndex(s, "</config>")
	if end < loc[1] {
		return doc
	}
	return []byte(s[:loc[0]] + s[loc[1]:end] + s[end+len("</config>"):])
}

// lintVerdict is yanglint's verdict on one case and the location of its first error.
type lintVerdict struct {
	valid     bool
	loc       string
	schemaLoc bool
}

// lintBatch runs the real yanglint once for all the cases of one module set: its command mode
// (commands on standard input, as typed at its prompt) loads the set once, then parses each
// case (wrapper stripped) with `data -t config`, as `yanglint -t config ARGS FILE` does for one
// file: one process and one load of the modules instead of one per case (the OpenConfig set
// alone took ~0.35 CPU-s to load, 77 times). After each case it parses a marker file that is
// not XML, whose failure ends that case's output: a case's verdict and first error location
// come from its output alone, and a yanglint that stops early fails the test.
type lintBatch struct {
	once     sync.Once
	set      moduleSet
	dir      string   // for the bare documents, the marker and yanglint's $HOME
	files    []string // the cases, in order
	verdicts map[string]lintVerdict
	err      error
}

func (b *lintBatch) run(yangDir string) {
	tmp := b.dir
	bare := make([]string, len(b.files))
	for i, f := range b.files {
		doc, err := os.ReadFile(f)
		if err != nil {
			b.err = err
			return
		}
		bare[i] = filepath.Join(tmp, fmt.Sprintf("%03d-%s", i, filepath.Base(f)))
		if err := os.WriteFile(bare[i], stripWrapper(doc), 0o644); err != nil {
			b.err = err
			return
		}
	}
	marker := filepath.Join(tmp, "end-of-case.xml")
	if err := os.WriteFile(marker, []byte("<not-xml"), 0o644); err != nil {
		b.err = err
		return
	}
	var cmds strings.Builder
	for _, p := range b.set.paths {
		fmt.Fprintf(&cmds, "searchpath %s\n", filepath.Join(yangDir, p))
	}
	cmds.WriteString("add")
	if b.set.implemented {
		cmds.WriteString(" -i")
	}
	for _, f := range b.set.files {
		cmds.WriteString(" " + filepath.Join(yangDir, f))
	}
	cmds.WriteString("\n")
	for _, f := range bare {
		fmt.Fprintf(&cmds, "data -t config %s\ndata -t config %s\n", f, marker)
	}
	cmd := exec.Command("yanglint")
	cmd.Stdin = strings.NewReader(cmds.String())
	// Its command mode keeps a history file under $HOME/.yanglint.
	cmd.Env = append(os.Environ(), "HOME="+tmp)
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.err = fmt.Errorf("yanglint: %v\n%s", err, out)
		return
	}
	failed := func(f string) string { return `YANGLINT[E]: Failed to parse input data file "` + f + `".` }
	b.verdicts = map[string]lintVerdict{}
	i, lines := 0, []string(nil)
	for _, line := range strings.Split(string(out), "\n") {
		if line != failed(marker) {
			lines = append(lines, line)
			continue
		}
		if i == len(bare) {
			b.err = fmt.Errorf("yanglint: more marker failures than cases:\n%s", out)
			return
		}
		v := lintVerdict{valid: true}
		for j, l := range lines {
			if l == failed(bare[i]) {
				v.valid = false
				if m := locationRE.FindStringSubmatch(strings.Join(lines[:j], "\n")); m != nil {
					v.loc, v.schemaLoc = m[2], m[1] == "Schema"
				}
				break
			}
		}
		b.verdicts[b.files[i]] = v
		i, lines = i+1, nil
	}
	if i != len(bare) {
		b.err = fmt.Errorf("yanglint stopped after %d of %d cases:\n%s", i, len(bare), out)
	}
}

// verdict returns yanglint's verdict on file, running the set's batch at the first call.
func (b *lintBatch) verdict(t *testing.T, yangDir, file string) lintVerdict {
	t.Helper()
	b.once.Do(func() { b.run(yangDir) })
	if b.err != nil {
		t.Fatal(b.err)
	}
	v, ok := b.verdicts[file]
	if !ok {
		t.Fatalf("no verdict of yanglint for %s", file)
	}
	return v
}

// TestConformanceCorpus runs every case of the shared yanglint-checked corpus and of our own
// corpus (testdata/validation, same format; live yanglint must agree with every recorded verdict,
// and gives the error location where the file records none) through `ncws
// validate` and requires yanglint's verdict and, for invalid cases, an error at the same node.
func TestConformanceCorpus(t *testing.T) {
	shared := sharedDir(t)
	yangDir := filepath.Join(shared, "yang")
	own, err := filepath.Glob(filepath.Join("testdata", "validation*"))
	if err != nil {
		t.Fatal(err)
	}
	corpora := append([]string{filepath.Join(shared, "conformance", "validation")}, own...)
	_, lintErr := exec.LookPath("yanglint")
	tmp := t.TempDir()
	type dirCase struct {
		dir string
		corpusCase
	}
	var cases []dirCase
	batches := map[string]*lintBatch{} // by module set
	for _, dir := range corpora {
		if _, err := os.Stat(filepath.Join(dir, "cases.tsv")); err != nil {
			continue
		}
		for _, c := range readCorpus(t, dir) {
			cases = append(cases, dirCase{dir, c})
			set, ok := moduleSets[c.set]
			if !ok {
				continue // the case fails below
			}
			if batches[c.set] == nil {
				batches[c.set] = &lintBatch{set: set, dir: filepath.Join(tmp, c.set)}
				if err := os.Mkdir(batches[c.set].dir, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			batches[c.set].files = append(batches[c.set].files, c.file)
		}
	}
	for _, dc := range cases {
		dir, c := dc.dir, dc.corpusCase
		t.Run(filepath.Base(dir)+"/"+c.name, func(t *testing.T) {
			t.Parallel()
			set, ok := moduleSets[c.set]
			if !ok {
				t.Fatalf("unknown module set %q", c.set)
			}
			want, wantLoc, schemaLoc := c.valid, c.location, c.schemaLoc
			if lintErr == nil {
				got := batches[c.set].verdict(t, yangDir, c.file)
				if got.valid != c.valid {
					t.Fatalf("yanglint's live verdict (valid=%v) disagrees with the recorded one (valid=%v)", got.valid, c.valid)
				}
				if wantLoc == "" {
					wantLoc, schemaLoc = got.loc, got.schemaLoc // our own cases record no location: take the live one
				}
			} else if os.Getenv("CI") != "" {
				t.Fatal("yanglint not installed (Debian package libyang2-tools); run `make deps`")
			}
			code, errs, stderr := runCLI(t, append(set.args(yangDir), c.file)...)
			switch {
			case code == ExitUsage:
				t.Fatalf("ncws validate failed to run (exit 2): %s", stderr)
			case want && code != ExitOK:
				t.Fatalf("verdict mismatch: yanglint valid, ncws invalid:\n%s", dumpErrors(errs))
			case !want && code != ExitInvalid:
				t.Fatalf("verdict mismatch: yanglint invalid at %s, ncws valid", wantLoc)
			case !want && wantLoc != "":
				s := loadSet(t, c.set, set, yangDir)
				for _, e := range errs {
					if sameNode(s, e.Path, wantLoc, schemaLoc) {
						return
					}
				}
				t.Fatalf("no error at yanglint's location %s; ncws reported:\n%s", wantLoc, dumpErrors(errs))
			}
		})
	}
}

// sameNode reports whether our error-path names the node of yanglint's location. A data location
// must equal our path; libyang prints a truncated path for a node it could not link into the tree
// (a duplicate list entry), so a suffix starting at a module-qualified step also counts. A schema
// location (for a missing node) names schema nodes, choice and case included, without predicates:
// it is compared with our path stripped of predicates, after dropping its choice and case steps;
// RFC 7950 15.6 puts the error-path of a missing mandatory choice at the parent, which is what
// dropping the trailing choice step gives.
func sameNode(s *schema.Schema, ours, loc string, schemaLoc bool) bool {
	if !schemaLoc {
		if ours == loc {
			return true
		}
		// libyang's path for a node it did not link into the tree starts at the node's parent,
		// module-qualified (/ietf-system:ntp/server[name='a'] for .../system/ntp/server[...]):
		// compare the steps without module prefixes, as a suffix that starts at a step.
		if !strings.HasPrefix(loc, "/") || !strings.Contains(loc, ":") {
			return false
		}
		o, l := stripModules(ours), stripModules(loc)
		return strings.HasSuffix(o, l) && (len(o) == len(l) || o[len(o)-len(l)-1] != '[')
	}
	n := s.FindNode(loc)
	return n != nil && stripPredicates(ours) == n.Path()
}

// stripModules removes the "module:" prefix of each step of an instance-identifier (outside
// predicates' quoted values).
func stripModules(p string) string {
	var b strings.Builder
	quote := byte(0)
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '/' || c == '[':
			b.WriteByte(c)
			if j := strings.IndexAny(p[i+1:], ":/[]='\""); j >= 0 && p[i+1+j] == ':' {
				i += j + 1
			}
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// stripPredicates removes [...] predicates (with quoted values) from an instance-identifier.
func stripPredicates(p string) string {
	var b strings.Builder
	depth, quote := 0, byte(0)
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case depth > 0 && (c == '\'' || c == '"'):
			quote = c
		case c == '[':
			depth++
		case c == ']':
			depth--
		case depth == 0:
			b.WriteByte(c)
		}
	}
	return b.String()
}

var (
	setMu    sync.Mutex
	setCache = map[string]*schema.Schema{}
)

// loadSet compiles a module set once for the location comparisons.
func loadSet(t *testing.T, name string, set moduleSet, yangDir string) *schema.Schema {
	t.Helper()
	setMu.Lock()
	defer setMu.Unlock()
	if s := setCache[name]; s != nil {
		return s
	}
	opts := yangload.Options{ImportsImplemented: set.implemented}
	for _, p := range set.paths {
		opts.SearchPaths = append(opts.SearchPaths, filepath.Join(yangDir, p))
	}
	for _, f := range set.files {
		opts.Files = append(opts.Files, filepath.Join(yangDir, f))
	}
	s, err := yangload.Load(opts)
	if err != nil {
		t.Fatalf("loading module set %s: %v", name, err)
	}
	setCache[name] = s
	return s
}

func dumpErrors(errs []fileError) string {
	var b strings.Builder
	for _, e := range errs {
		b.WriteString("  " + formatError(e) + "\n")
	}
	return b.String()
}
