package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = Main(context.Background(), args, strings.NewReader(""), &o, &e)
	return code, o.String(), e.String()
}

const exampleDir = "../../examples/validate"

func TestValidateExample(t *testing.T) {
	model := filepath.Join(exampleDir, "example-device.yang")
	code, out, errOut := run(t, "validate", model, filepath.Join(exampleDir, "good.xml"))
	if code != ExitOK || out != "" {
		t.Fatalf("good.xml: exit %d, stdout %q, stderr %q; want exit 0 and no output", code, out, errOut)
	}
	code, out, errOut = run(t, "validate", model, filepath.Join(exampleDir, "bad.xml"))
	if code != ExitInvalid {
		t.Fatalf("bad.xml: exit %d, want 1; stderr %q", code, errOut)
	}
	// bad.xml breaks five rules; every one is reported, each on one line in the documented format.
	line := regexp.MustCompile(`^\S+bad\.xml:\d+: /example-device:device\S*: .+ \[[a-z-]+(/[a-z-]+)?\]$`)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for _, l := range lines {
		if !line.MatchString(l) {
			t.Errorf("line not in FILE:LINE: PATH: MESSAGE [tag/app-tag] form: %q", l)
		}
	}
	for _, want := range []string{
		"/example-device:device/port[name='xe0']/mtu: fiber ports need an MTU of at least 1280 [operation-failed/must-violation]",
		"/example-device:device/port[name='xe0']/speed: ",
		"/example-device:device/uplink: ",
		"[operation-failed/data-not-unique]",
		"/example-device:device: ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestValidateJSONOutput(t *testing.T) {
	model := filepath.Join(exampleDir, "example-device.yang")
	code, out, _ := run(t, "validate", "-o", "json", model, filepath.Join(exampleDir, "bad.xml"))
	if code != ExitInvalid {
		t.Fatalf("exit %d, want 1", code)
	}
	var errs []fileError
	if err := json.Unmarshal([]byte(out), &errs); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	found := false
	for _, e := range errs {
		if e.Tag == "" || e.Type == "" || e.Severity != "error" || e.File == "" {
			t.Errorf("incomplete error %+v", e)
		}
		if e.AppTag == "must-violation" && e.Path == "/example-device:device/port[name='xe0']/mtu" && e.Line == 5 {
			found = true
		}
	}
	if !found {
		t.Errorf("no must-violation at port xe0 mtu on line 5:\n%s", out)
	}
	code, out, _ = run(t, "validate", "-o", "json", model, filepath.Join(exampleDir, "good.xml"))
	if code != ExitOK || strings.TrimSpace(out) != "[]" {
		t.Errorf("good.xml: exit %d, output %q; want 0 and []", code, out)
	}
}

func TestValidateStateData(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "state.xml")
	os.WriteFile(doc, []byte(`<device xmlns="urn:ncws:example-device" xmlns:dev="urn:ncws:example-device">
<hostname>h</hostname><port><name>p</name><type>dev:copper</type><oper-status>up</oper-status></port></device>`), 0o644)
	model := filepath.Join(exampleDir, "example-device.yang")
	code, out, _ := run(t, "validate", model, doc)
	if code != ExitInvalid || !strings.Contains(out, "/example-device:device/port[name='p']/oper-status") {
		t.Errorf("-t config with state data: exit %d, output %q; want 1 naming oper-status", code, out)
	}
	if code, out, _ := run(t, "validate", "-t", "data", model, doc); code != ExitOK {
		t.Errorf("-t data with state data: exit %d, output %q; want 0", code, out)
	}
}

func TestValidateFeatures(t *testing.T) {
	dir := t.TempDir()
	mod := filepath.Join(dir, "feat.yang")
	os.WriteFile(mod, []byte(`module feat { yang-version 1.1; namespace "urn:feat"; prefix f;
  feature fast; feature slow;
  container c { leaf a { if-feature fast; type string; } leaf b { if-feature "fast and slow"; type string; } }
}`), 0o644)
	doc := filepath.Join(dir, "d.xml")
	os.WriteFile(doc, []byte(`<c xmlns="urn:feat"><a>x</a><b>y</b></c>`), 0o644)
	if code, out, _ := run(t, "validate", mod, doc); code != ExitOK {
		t.Errorf("all features on: exit %d, %s", code, out)
	}
	code, out, _ := run(t, "validate", "-F", "feat:fast", mod, doc)
	if code != ExitInvalid || !strings.Contains(out, "unknown-element") {
		t.Errorf("-F feat:fast: exit %d, %q; want b unknown", code, out)
	}
	if code, out, _ := run(t, "validate", "-F", "feat:", mod, doc); code != ExitInvalid {
		t.Errorf("-F feat: exit %d, %q; want invalid", code, out)
	}
}

func TestValidateUsageErrors(t *testing.T) {
	model := filepath.Join(exampleDir, "example-device.yang")
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.yang")
	os.WriteFile(broken, []byte("module broken {\n  namespace \"urn:b\";\n  prefix b;\n  import missing-module { prefix m; }\n}\n"), 0o644)
	tests := []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"no schema", []string{"validate", filepath.Join(exampleDir, "good.xml")}, "no schema"},
		{"bad -t", []string{"validate", "-t", "state", model}, "-t must be"},
		{"bad -o", []string{"validate", "-o", "yaml", model}, "-o must be"},
		{"unknown flag", []string{"validate", "--frobnicate", model}, "unknown flag"},
		{"missing data file", []string{"validate", model, filepath.Join(dir, "nope.xml")}, "nope.xml"},
		{"broken module", []string{"validate", broken}, "broken.yang:4"},
		{"missing schema file", []string{"validate", filepath.Join(dir, "absent.yang")}, "absent.yang"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := run(t, tt.args...)
			if code != ExitUsage || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 mentioning %q", code, errOut, tt.want)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}, {"-v"}} {
		code, out, errOut := run(t, args...)
		if want := "ncws " + Version + "\n"; code != ExitOK || out != want || errOut != "" {
			t.Errorf("ncws %s: exit %d, stdout %q, stderr %q; want exit 0 and %q", strings.Join(args, " "), code, out, errOut, want)
		}
	}
}

// TestCompletion: cobra's completion command prints a script for each shell.
func TestCompletion(t *testing.T) {
	for _, tc := range []struct{ shell, want string }{
		{"bash", "# bash completion V2 for ncws"},
		{"zsh", "#compdef ncws"},
		{"fish", "complete -c ncws "},
		{"powershell", "Register-ArgumentCompleter -CommandName 'ncws'"},
	} {
		t.Run(tc.shell, func(t *testing.T) {
			code, out, errOut := run(t, "completion", tc.shell)
			if code != ExitOK || !strings.Contains(out, tc.want) || errOut != "" {
				t.Errorf("ncws completion %s: exit %d, stderr %q, stdout without %q:\n%.300s", tc.shell, code, errOut, tc.want, out)
			}
		})
	}
	// The completion script's own query: subcommands are offered.
	code, out, _ := run(t, "__complete", "")
	for _, sub := range []string{"client", "serve", "validate", "completion"} {
		if code != ExitOK || !strings.Contains(out, "\n"+sub+"\t") && !strings.HasPrefix(out, sub+"\t") {
			t.Errorf("ncws __complete '': exit %d, output lacks %s:\n%s", code, sub, out)
		}
	}
}

// TestValidateBuiltinModules: ietf-inet-types and ietf-yang-types are built in (no -p needed, as
// with yanglint and ncws gen), and a submodule among the schema files is skipped, its module
// including it. yanglint, when installed, gives the same verdicts for the same files.
func TestValidateBuiltinModules(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"bt.yang": `module bt {
  yang-version 1.1;
  namespace "urn:example:bt";
  prefix bt;
  import ietf-inet-types { prefix inet; }
  import ietf-yang-types { prefix yang; }
  include bt-part;
  container top {
    leaf addr { type inet:ip-address; }
    leaf mac { type yang:mac-address; }
    uses part;
  }
}
`,
		"bt-part.yang": `submodule bt-part {
  yang-version 1.1;
  belongs-to bt { prefix bt; }
  import ietf-inet-types { prefix inet; }
  grouping part { leaf port { type inet:port-number; } }
}
`,
		"good.xml": `<top xmlns="urn:example:bt"><addr>2001:db8::1</addr><mac>00:11:22:33:44:55</mac><port>830</port></top>`,
		"bad.xml":  `<top xmlns="urn:example:bt"><addr>10.0.0.256</addr></top>`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p := func(n string) string { return filepath.Join(dir, n) }
	_, lintErr := exec.LookPath("yanglint")
	for _, tc := range []struct {
		doc  string
		code int
	}{{"good.xml", ExitOK}, {"bad.xml", ExitInvalid}} {
		code, out, stderr := run(t, "validate", p("bt-part.yang"), p("bt.yang"), p(tc.doc))
		if code != tc.code {
			t.Errorf("%s: exit %d, want %d; stdout %q stderr %q", tc.doc, code, tc.code, out, stderr)
		}
		if lintErr == nil {
			// yanglint wants the submodule on its search path, not among the modules.
			err := exec.Command("yanglint", "-p", dir, p("bt.yang"), p(tc.doc)).Run()
			if (err == nil) != (tc.code == ExitOK) {
				t.Errorf("%s: yanglint's verdict (error %v) differs", tc.doc, err)
			}
		}
	}
}
