package e2e

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ncws/ncws/pkg/agent"
	"github.com/ncws/ncws/pkg/client"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
	"github.com/ncws/ncws/yang"
)

// The quickstart test walks the README's five-minute path as a new user does, in a new module
// outside the repository: go mod init, the replace line (until the module path is published),
// go get -tool, a YANG module and its //go:generate line, go generate, go mod tidy, the
// hand-written main.go of testdata/quickstart (the generated interfaces implemented and served
// with pkg/agent), go build, and calls from a client. The same module carries a second
// generated package from a module that augments the first, served by the same agent. README.md
// must show the same YANG module and go:generate line, and its main.go must compile (go vet).
//
// It needs go on PATH, a warm module cache and the module proxy (go get -tool, go mod tidy).

const (
	qsModule = "example.com/mydevice"
	qsTool   = "github.com/ncws/ncws/cmd/ncws"
	mydevNS  = "urn:example:mydevice"
	extNS    = "urn:example:mydevice-ext"
)

// quickstart is one run of the path: the temporary module, the go command's environment and
// the time each step took.
type quickstart struct {
	t     *testing.T
	dir   string
	env   []string
	steps []qsStep
	start time.Time
}

type qsStep struct {
	name string
	d    time.Duration
}

// step runs fn and records how long it took under name.
func (q *quickstart) step(name string, fn func()) {
	q.t.Helper()
	t0 := time.Now()
	fn()
	q.steps = append(q.steps, qsStep{name, time.Since(t0)})
}

// goCmd runs the go command in the temporary module and returns its combined output; it fails
// the test unless the command succeeds.
func (q *quickstart) goCmd(args ...string) string {
	q.t.Helper()
	out, err := q.goTry(nil, args...)
	if err != nil {
		q.t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func (q *quickstart) goTry(env []string, args ...string) (string, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = q.dir
	cmd.Env = append(append([]string(nil), q.env...), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// goEnv is the environment of the go commands in the temporary module: GOWORK off, and the
// GOFLAGS in effect without a -mod flag (a -mod=vendor or -mod=readonly of the caller's is not
// what a new module gets).
func goEnv(t *testing.T) []string {
	out, err := exec.Command("go", "env", "GOFLAGS").Output()
	if err != nil {
		t.Fatalf("go env GOFLAGS: %v", err)
	}
	var flags []string
	for _, f := range strings.Fields(string(out)) {
		if !strings.HasPrefix(f, "-mod=") && !strings.HasPrefix(f, "--mod=") {
			flags = append(flags, f)
		}
	}
	return append(os.Environ(), "GOWORK=off", "GOFLAGS="+strings.Join(flags, " "))
}

func TestQuickstart(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skipf("the go command is not on PATH (%v): the quickstart test builds a new module with it", err)
	}
	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	q := &quickstart{t: t, dir: filepath.Join(t.TempDir(), "mydevice"), env: goEnv(t), start: time.Now()}
	if err := os.Mkdir(q.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	defer func() {
		var b strings.Builder
		for _, s := range q.steps {
			fmt.Fprintf(&b, "\n  %-44s %6.2f s", s.name, s.d.Seconds())
		}
		t.Logf("quickstart steps (wall time):%s\n  %-44s %6.2f s", b.String(), "total", time.Since(q.start).Seconds())
	}()

	q.step("go mod init; go mod edit -replace", func() {
		q.goCmd("mod", "init", qsModule)
		// The module path is not published yet: the replace line stands in for it.
		q.goCmd("mod", "edit", "-replace", "github.com/ncws/ncws="+repo)
	})
	q.step("go get -tool "+qsTool, func() { q.getTool() })
	q.step("write YANG, generate.go; go generate", func() {
		q.copy("mydevice.yang", "mydevice-ext.yang", "generate.go")
		out := q.goCmd("generate", "./...")
		for _, pkg := range []string{"mydev", "ext"} {
			if !strings.Contains(out, "ncws gen: "+pkg+":") {
				t.Errorf("go generate did not write package %s:\n%s", pkg, out)
			}
		}
	})
	q.step("write main.go; go mod tidy; go generate", func() {
		q.copy("main.go")
		q.readme(repo)
		q.goCmd("mod", "tidy")
		mod, err := os.ReadFile(filepath.Join(q.dir, "go.mod"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(mod), "tool "+qsTool) {
			t.Errorf("go mod tidy dropped the tool directive:\n%s", mod)
		}
		// The generator still runs after tidy (go run ...cmd/ncws would not: tidy drops the
		// requirements only the generator needs).
		if out := q.goCmd("generate", "./..."); strings.Count(out, "(0 written") != 2 {
			t.Errorf("go generate after tidy rewrote files:\n%s", out)
		}
	})
	bin := filepath.Join(q.dir, "mydevice")
	build := []string{"build"}
	if raceEnabled {
		// Cheap: ncws's packages are in the build cache with -race already (TestMain), and a
		// data race in the agent then fails the test (exit status 66 at stop).
		build = append(build, "-race")
	}
	q.step("go "+strings.Join(build, " "), func() { q.goCmd(append(build, "-o", bin, ".")...) })
	q.step("go vet . ./readme (README's main.go)", func() { q.goCmd("vet", ".", "./readme") })

	var dev *device
	q.step("start the agent", func() { dev = startDevice(t, bin, filepath.Join(q.dir, "data")) })
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	q.step("ncws client: rpc ping", func() {
		cmd := exec.Command("go", "tool", "ncws", "client", dev.url, "--user", "admin", "rpc", "-")
		cmd.Dir, cmd.Env = q.dir, append(append([]string(nil), q.env...), "NCWS_PASSWORD="+dev.password)
		cmd.Stdin = strings.NewReader(`<ping xmlns="` + mydevNS + `"><host>192.0.2.1</host></ping>`)
		out, err := cmd.CombinedOutput()
		if err != nil || !regexp.MustCompile(`<received xmlns="urn:example:mydevice">3</received>`).Match(out) {
			t.Errorf("ncws client rpc ping: %v\n%s", err, out)
		}
	})
	t.Logf("go mod init to a working rpc: %.2f s", time.Since(q.start).Seconds())

	q.step("pkg/client: rpc, action, notification", func() { checkDevice(ctx, t, dev) })
	q.step("pkg/client: the second package", func() { checkExtension(ctx, t, dev) })
	q.step("stop the agent (SIGTERM)", func() { dev.stop(t) })
	q.step("agent.New: conflicting revisions", func() { checkRevisionConflict(t, q.dir) })
}

// getTool runs go get -tool as a user does. A module proxy that answers 403 instead of 404 for
// paths it does not hold (the unpublished github.com/ncws/ncws/cmd/ncws, which the go command
// looks up as a possible module path) stops it; the test then retries with the same proxies
// joined by | and ending in off, which makes such an error "not found", as the public proxy's
// 404 is.
func (q *quickstart) getTool() {
	q.t.Helper()
	out, err := q.goTry(nil, "get", "-tool", qsTool)
	if err == nil {
		return
	}
	goproxy, perr := exec.Command("go", "env", "GOPROXY").Output()
	var proxies []string
	for _, p := range strings.FieldsFunc(strings.TrimSpace(string(goproxy)), func(r rune) bool { return r == ',' || r == '|' }) {
		if p != "direct" && p != "off" && p != "noproxy" {
			proxies = append(proxies, p)
		}
	}
	if perr != nil || !strings.Contains(out, "403 Forbidden") || len(proxies) == 0 {
		q.t.Fatalf("go get -tool %s: %v\n%s", qsTool, err, out)
	}
	retry := strings.Join(append(proxies, "off"), "|")
	q.t.Logf("go get -tool stopped at the proxy's 403 for an unpublished path; retrying with GOPROXY=%s:\n%s", retry, out)
	if out, err := q.goTry([]string{"GOPROXY=" + retry}, "get", "-tool", qsTool); err != nil {
		q.t.Fatalf("go get -tool %s (GOPROXY=%s): %v\n%s", qsTool, retry, err, out)
	}
}

// readme checks that README.md shows the YANG module and the go:generate line of
// testdata/quickstart, and writes the README's main.go (the Go block that starts with
// "package main") into the module's directory readme, for go vet: the README's code compiles
// against the generated package.
func (q *quickstart) readme(repo string) {
	q.t.Helper()
	b, err := os.ReadFile(filepath.Join(repo, "README.md"))
	if err != nil {
		q.t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```(\\w*)\n(.*?)```").FindAllStringSubmatch(string(b), -1)
	yangText, err := os.ReadFile(filepath.Join("testdata", "quickstart", "mydevice.yang"))
	if err != nil {
		q.t.Fatal(err)
	}
	var yangShown bool
	var main string
	for _, m := range blocks {
		switch {
		case m[1] == "yang" && m[2] == string(yangText):
			yangShown = true
		case m[1] == "go" && strings.HasPrefix(m[2], "package main\n\nimport") && main == "":
			main = m[2]
		}
	}
	if !yangShown {
		q.t.Error("README.md does not show testdata/quickstart/mydevice.yang as a yang block")
	}
	if gen := "//go:generate go tool ncws gen -o mydev --package mydev mydevice.yang"; !strings.Contains(string(b), gen) {
		q.t.Errorf("README.md does not show %s", gen)
	}
	if main == "" {
		q.t.Fatal("README.md has no Go block starting with package main and its imports")
	}
	if err := os.MkdirAll(filepath.Join(q.dir, "readme"), 0o755); err != nil {
		q.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(q.dir, "readme", "main.go"), []byte(main), 0o644); err != nil {
		q.t.Fatal(err)
	}
}

// copy copies files of testdata/quickstart into the temporary module.
func (q *quickstart) copy(names ...string) {
	q.t.Helper()
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("testdata", "quickstart", n))
		if err != nil {
			q.t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(q.dir, n), b, 0o644); err != nil {
			q.t.Fatal(err)
		}
	}
}

// device is the running agent built from testdata/quickstart/main.go.
type device struct {
	url, password  string
	cmd            *exec.Cmd
	stdout, stderr *logBuffer
	exited         chan struct{}
	waitErr        error
	stopped        bool
}

var (
	qsPassword = regexp.MustCompile(`created \S+: user admin, password (\S+)\n`)
	qsServing  = regexp.MustCompile(`serving NETCONF at (ws://\S+/netconf)\n`)
)

// startDevice starts the agent on a loopback port with its datastore in dir and reads the
// admin password and the URL it prints.
func startDevice(t *testing.T, bin, dir string) *device {
	t.Helper()
	d := &device{cmd: exec.Command(bin, "-dir", dir, "-listen", "127.0.0.1:0"),
		stdout: newLogBuffer(), stderr: newLogBuffer(), exited: make(chan struct{})}
	d.cmd.Stdout, d.cmd.Stderr = d.stdout, d.stderr
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		d.waitErr = d.cmd.Wait()
		close(d.exited)
	}()
	t.Cleanup(func() {
		d.stop(t)
		if t.Failed() {
			t.Logf("mydevice stdout:\n%s\nstderr:\n%s", d.stdout, d.stderr)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	m, err := d.stdout.waitFor(ctx, qsPassword, d.exited)
	if err != nil {
		t.Fatalf("the agent printed no admin password: %v", err)
	}
	d.password = m[1]
	if m, err = d.stdout.waitFor(ctx, qsServing, d.exited); err != nil {
		t.Fatalf("the agent did not say where it listens: %v", err)
	}
	d.url = m[1]
	return d
}

// stop sends SIGTERM and expects exit status 0 (ServeContext returned nil).
func (d *device) stop(t *testing.T) {
	t.Helper()
	if d.stopped {
		return
	}
	d.stopped = true
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Errorf("SIGTERM to the agent: %v", err)
	}
	select {
	case <-d.exited:
	case <-time.After(waitLimit):
		d.cmd.Process.Kill()
		<-d.exited
		t.Errorf("the agent did not exit within %v of SIGTERM; killed", waitLimit)
		return
	}
	if d.waitErr != nil {
		t.Errorf("the agent after SIGTERM: %v, want exit status 0", d.waitErr)
	}
}

func (d *device) dial(ctx context.Context, t *testing.T, opts client.Options) *client.Session {
	t.Helper()
	opts.Username, opts.Password = "admin", d.password
	s, err := client.Dial(ctx, d.url, &opts)
	if err != nil {
		t.Fatalf("dial %s: %v", d.url, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// call sends op and returns the reply's body; an rpc-error fails the test.
func call(ctx context.Context, t *testing.T, s *client.Session, op string) string {
	t.Helper()
	r, err := s.Call(ctx, []byte(op))
	if err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	return string(r.Body)
}

// callErr sends op and returns its rpc-errors; a reply without one fails the test.
func callErr(ctx context.Context, t *testing.T, s *client.Session, op string) rpcerror.List {
	t.Helper()
	_, err := s.Call(ctx, []byte(op))
	var errs rpcerror.List
	if !errors.As(err, &errs) || len(errs) == 0 {
		t.Fatalf("%s: got %v, want an rpc-error", op, err)
	}
	return errs
}

// checkDevice calls the rpc and the action of the generated package, receives the
// notification the action sends and reads the typed state provider's data.
func checkDevice(ctx context.Context, t *testing.T, d *device) {
	notes := make(chan string, 16)
	s := d.dial(ctx, t, client.Options{OnNotification: func(_ time.Time, body []byte) { notes <- string(body) }})

	if got := call(ctx, t, s, `<ping xmlns="`+mydevNS+`"><host>192.0.2.1</host><count>5</count></ping>`); !strings.Contains(got, `>5</received>`) {
		t.Errorf("ping with count 5: reply body %s", got)
	}
	// The mandatory input leaf: refused by the server before the handler runs (RFC 7950
	// section 7.14.2: missing-element, with bad-element naming the leaf).
	errs := callErr(ctx, t, s, `<ping xmlns="`+mydevNS+`"><count>1</count></ping>`)
	if e := errs[0]; e.Tag != rpcerror.TagMissingElement || !hasInfo(e, "bad-element", "host") {
		t.Errorf("ping without host: got %v (info %v), want missing-element with bad-element host", errs, e.Info)
	}

	filter := client.Filter{Subtree: []byte(`<reset-done xmlns="` + mydevNS + `"/>`)}
	if err := s.CreateSubscription(ctx, client.SubscribeOptions{Filter: filter}); err != nil {
		t.Fatalf("create-subscription: %v", err)
	}
	cfg := `<ports xmlns="` + mydevNS + `"><port><name>eth0</name></port></ports>`
	if err := s.EditConfig(ctx, client.Running, []byte(cfg), client.EditOptions{}); err != nil {
		t.Fatalf("edit-config: %v", err)
	}
	reset := func(port string) string {
		return `<action xmlns="urn:ietf:params:xml:ns:yang:1"><ports xmlns="` + mydevNS + `"><port><name>` + port +
			`</name><reset><hard>true</hard></reset></port></ports></action>`
	}
	if got := call(ctx, t, s, reset("eth0")); !strings.Contains(got, `>port eth0 reset</result>`) {
		t.Errorf("action reset: reply body %s", got)
	}
	select {
	case n := <-notes:
		if !strings.Contains(n, "<name>eth0</name>") || !strings.Contains(n, "<hard>true</hard>") {
			t.Errorf("notification: %s, want reset-done of eth0, hard", n)
		}
	case <-ctx.Done():
		t.Fatal("no reset-done notification after the action")
	}
	// An action on a port that is not configured: data-missing, and no notification.
	if errs := callErr(ctx, t, s, reset("eth9")); errs[0].Tag != rpcerror.TagDataMissing {
		t.Errorf("action on a missing port: %v, want data-missing", errs)
	}

	got, err := s.Get(ctx, client.Filter{Subtree: []byte(`<system xmlns="` + mydevNS + `"/>`)})
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	if !regexp.MustCompile(`<uptime>\d+</uptime>`).Match(got) {
		t.Errorf("get /system: no uptime from the typed state provider:\n%s", got)
	}
	if err := s.CloseSession(ctx); err != nil {
		t.Errorf("close-session: %v", err)
	}
	select {
	case n := <-notes:
		t.Errorf("unexpected notification: %s", n)
	default:
	}
}

// checkExtension checks the second generated package in the same agent: its rpc, and the leaf
// it augments into the first package's container, validated and read back (through get-config
// and through the typed commit hook that rpc locate reads).
func checkExtension(ctx context.Context, t *testing.T, d *device) {
	s := d.dial(ctx, t, client.Options{})
	locate := `<locate xmlns="` + extNS + `"/>`
	if got := call(ctx, t, s, locate); strings.Contains(got, "lab") {
		t.Errorf("locate before any location: %s", got)
	}
	set := func(loc string) error {
		cfg := `<system xmlns="` + mydevNS + `"><hostname>edge-1</hostname><location xmlns="` + extNS + `">` + loc + `</location></system>`
		return s.EditConfig(ctx, client.Running, []byte(cfg), client.EditOptions{})
	}
	// length "1..16"
	var errs rpcerror.List
	if err := set("a-location-longer-than-sixteen"); !errors.As(err, &errs) || errs[0].Tag != rpcerror.TagInvalidValue ||
		errs[0].Path != "/mydevice:system/mdx:location" {
		t.Errorf("augmented leaf over its length: %v, want invalid-value at /mydevice:system/mdx:location", err)
	}
	if err := set("lab-rack-7"); err != nil {
		t.Fatalf("edit-config of the augmented leaf: %v", err)
	}
	got, err := s.GetConfig(ctx, client.Running, client.Filter{Subtree: []byte(`<system xmlns="` + mydevNS + `"/>`)})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got), `<location xmlns="`+extNS+`">lab-rack-7</location>`) {
		t.Errorf("get-config: the augmented leaf is not read back:\n%s", got)
	}
	if got := call(ctx, t, s, locate); !strings.Contains(got, `>lab-rack-7</location>`) {
		t.Errorf("locate after the commit: reply body %s, want lab-rack-7", got)
	}
}

func hasInfo(e *rpcerror.Error, name, value string) bool {
	for _, i := range e.Info {
		if i.Name == name && strings.TrimSpace(i.Value) == value {
			return true
		}
	}
	return false
}

// checkRevisionConflict gives agent.New two schemas holding mydevice in different revisions:
// it must refuse them, naming the module and both revisions.
func checkRevisionConflict(t *testing.T, dir string) {
	b, err := os.ReadFile(filepath.Join(dir, "mydevice.yang"))
	if err != nil {
		t.Fatal(err)
	}
	newer := filepath.Join(t.TempDir(), "mydevice.yang")
	text := strings.Replace(string(b), "revision 2026-01-01", "revision 2026-06-01", 1)
	if err := os.WriteFile(newer, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	var schemas []*schema.Schema
	for _, f := range []string{filepath.Join(dir, "mydevice.yang"), newer} {
		s, err := yang.Load(yangload.Options{Files: []string{f}})
		if err != nil {
			t.Fatal(err)
		}
		schemas = append(schemas, s)
	}
	a, err := agent.New(&agent.Options{Schemas: schemas, InMemory: true, UsersFile: filepath.Join(t.TempDir(), "users"),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err == nil {
		a.Close()
		t.Fatal("agent.New merged mydevice@2026-01-01 and mydevice@2026-06-01")
	}
	t.Logf("agent.New with mydevice in two revisions: %v", err)
	if !errors.Is(err, schema.ErrMergeConflict) {
		t.Errorf("agent.New error %q does not wrap schema.ErrMergeConflict", err)
	}
	for _, want := range []string{"mydevice", "2026-01-01", "2026-06-01"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("agent.New error %q does not name %s", err, want)
		}
	}
}
