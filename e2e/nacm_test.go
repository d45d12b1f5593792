package e2e

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ncws/ncws/pkg/client"
)

// TestNacmOperator: access control (RFC 8341) through `ncws serve` and `ncws client`, real
// binaries over real sockets, as the README's "Access control (NACM)" section tells it. The
// server starts on an empty datastore in ./ncws-data, as a new user starts it: it makes the users
// file with admin (the first user, so in the group admin /nacm is seeded with) and prints the
// password. The README's three commands, run as they stand, add a read-only operator; its
// transcript of what the operator then sees is compared line by line. Beyond it: the operator
// reads configuration and state but neither /nacm nor the commit history, cannot kill the
// admin's session (which lives on), and over SSH fares the same; the admin can do everything
// (kill the operator's session, edit, read /nacm and the counters); a user in the groups file's
// admin group is an admin; the --recovery-user is not subject to access control; every denial is
// in the server's log.
func TestNacmOperator(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	setup, transcript := nacmReadme(t, string(readme))

	dir := t.TempDir()
	// The groups file exists before the start, so that it is read at the first lookup.
	if err := os.MkdirAll(filepath.Join(dir, "ncws-data"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ncws-data", "groups"), []byte("# external groups\nadmin: carol\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, adminPW, sshAddr := startNacmServer(t, dir)
	addr := strings.TrimSuffix(strings.TrimPrefix(s.URL, "ws://"), "/netconf")
	const operatorPW = "operator's long passphrase"
	env := append(os.Environ(),
		"PATH="+filepath.Dir(ncwsBin)+string(os.PathListSeparator)+os.Getenv("PATH"),
		"NCWS_PASSWORD="+adminPW, "OPERATOR_PASSWORD="+operatorPW)
	sh := func(cmd string) (stdout, stderr string, code int) {
		t.Helper()
		c := exec.Command("sh", "-c", strings.ReplaceAll(cmd, "127.0.0.1:8080", addr))
		c.Dir, c.Env = dir, env
		var o, e bytes.Buffer
		c.Stdout, c.Stderr = &o, &e
		err := c.Run()
		var exit *exec.ExitError
		switch {
		case errors.As(err, &exit):
			code = exit.ExitCode()
		case err != nil:
			t.Fatalf("%s: %v", cmd, err)
		}
		return o.String(), e.String(), code
	}
	// ncws runs `ncws client URL --user USER ARGS` with USER's password.
	ncws := func(user, pw string, args ...string) (stdout, stderr string, code int) {
		t.Helper()
		c := exec.Command(ncwsBin, append([]string{"client", s.URL, "--user", user}, args...)...)
		c.Env = append(os.Environ(), "NCWS_PASSWORD="+pw)
		var o, e bytes.Buffer
		c.Stdout, c.Stderr = &o, &e
		err := c.Run()
		var exit *exec.ExitError
		switch {
		case errors.As(err, &exit):
			code = exit.ExitCode()
		case err != nil:
			t.Fatalf("ncws client %s: %v", strings.Join(args, " "), err)
		}
		return o.String(), e.String(), code
	}

	// The README's three commands.
	if out, errOut, code := sh(setup); code != 0 {
		t.Fatalf("the README's three commands: exit %d\nstdout:\n%s\nstderr:\n%s\nscript:\n%s", code, out, errOut, setup)
	}
	// The README's transcript: each command's output (stdout and stderr) as shown.
	// rpc-errors go to stderr, with exit status 1.
	for _, st := range transcript {
		out, errOut, code := sh(st.cmd)
		if got := out + errOut; got != st.want {
			t.Errorf("$ %s\ngot:\n%swant (README):\n%s", st.cmd, got, st.want)
		}
		if strings.HasPrefix(st.want, "rpc-error:") && (out != "" || code != 1) {
			t.Errorf("$ %s\nexit %d, stdout %q: want the rpc-error on stderr and exit status 1", st.cmd, code, out)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	admin, err := client.Dial(ctx, s.URL, &client.Options{Username: "admin", Password: adminPW})
	if err != nil {
		t.Fatalf("admin session: %v", err)
	}
	defer admin.Close()
	oper, err := client.Dial(ctx, s.URL, &client.Options{Username: "operator", Password: operatorPW})
	if err != nil {
		t.Fatalf("operator session: %v", err)
	}
	defer oper.Close()

	// The operator reads configuration and state, not /nacm nor the commit history.
	out, errOut, code := ncws("operator", operatorPW, "get")
	if code != 0 || !strings.Contains(out, `<system xmlns="urn:ncws:yang:ncws-example">`) || !strings.Contains(out, "<uptime>") {
		t.Errorf("operator get: exit %d, want 0 with the system's state\n%s%s", code, out, errOut)
	}
	if strings.Contains(out, "<nacm ") || strings.Contains(out, "<commit-history") {
		t.Errorf("operator get shows /nacm or the commit history:\n%s", out)
	}
	out, errOut, code = ncws("operator", operatorPW, "get", "--filter", `<commit-history xmlns="urn:ncws:yang:ncws-server"/>`)
	if code != 0 || strings.Contains(out, "<commit") {
		t.Errorf("operator get commit-history: exit %d, want 0 and nothing\n%s%s", code, out, errOut)
	}

	// It cannot kill the admin's session, which lives on.
	_, errOut, code = ncws("operator", operatorPW, "kill-session", strconv.FormatUint(uint64(admin.ID()), 10))
	if code != 1 || !strings.Contains(errOut, "rpc-error: access-denied (protocol)") {
		t.Errorf("operator kill-session of the admin's session: exit %d, want 1 with access-denied\n%s", code, errOut)
	}
	if _, err := admin.GetConfig(ctx, client.Running, client.Filter{}); err != nil {
		t.Errorf("the admin's session after the operator's kill-session: %v", err)
	}

	// The admin can do everything: edit, read /nacm, kill the operator's session.
	edit := filepath.Join(dir, "hostname.xml")
	os.WriteFile(edit, []byte(`<system xmlns="urn:ncws:yang:ncws-example"><hostname>edge-1</hostname></system>`), 0o600)
	if out, errOut, code := ncws("admin", adminPW, "edit-config", "--config", edit); code != 0 {
		t.Errorf("admin edit-config: exit %d\n%s%s", code, out, errOut)
	}
	out, _, _ = ncws("operator", operatorPW, "get-config", "--filter", `<system xmlns="urn:ncws:yang:ncws-example"><hostname/></system>`)
	if !strings.Contains(out, "<hostname>edge-1</hostname>") {
		t.Errorf("the operator does not read the admin's edit:\n%s", out)
	}
	if _, errOut, code := ncws("admin", adminPW, "kill-session", strconv.FormatUint(uint64(oper.ID()), 10)); code != 0 {
		t.Errorf("admin kill-session of the operator's session: exit %d\n%s", code, errOut)
	}
	select {
	case <-oper.Done():
	case <-ctx.Done():
		t.Error("the operator's session outlived the admin's kill-session")
	}
	out, errOut, code = ncws("admin", adminPW, "get", "--filter", `<nacm xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-acm"/>`)
	if code != 0 || !strings.Contains(out, "<user-name>operator</user-name>") || !strings.Contains(out, "<name>read-only</name>") {
		t.Errorf("admin get /nacm: exit %d, want the operator's group and rule\n%s%s", code, out, errOut)
	}
	// Denied: the README's kill-session and the one above; the README's edit.
	for _, c := range []string{"<denied-operations>2</denied-operations>", "<denied-data-writes>1</denied-data-writes>", "<denied-notifications>0</denied-notifications>"} {
		if !strings.Contains(out, c) {
			t.Errorf("admin get /nacm: no %s\n%s", c, out)
		}
	}

	// Over SSH the operator fares the same.
	sshOp := func(args ...string) (string, string, int) {
		t.Helper()
		c := exec.Command(ncwsBin, append([]string{"client", "ssh://operator@" + sshAddr, "--insecure"}, args...)...)
		c.Env = append(os.Environ(), "NCWS_PASSWORD="+operatorPW)
		c.Stdin = strings.NewReader(`<system xmlns="urn:ncws:yang:ncws-example"><hostname>edge-2</hostname></system>`)
		var o, e bytes.Buffer
		c.Stdout, c.Stderr = &o, &e
		err := c.Run()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatalf("ncws client over SSH: %v", err)
		}
		return o.String(), e.String(), c.ProcessState.ExitCode()
	}
	_, errOut, code = sshOp("edit-config", "--config", "-")
	if code != 1 || !strings.Contains(errOut, "rpc-error: access-denied (application)") || !strings.Contains(errOut, "path: /ex:system/ex:hostname") {
		t.Errorf("operator edit-config over SSH: exit %d, want 1 with access-denied at the hostname\n%s", code, errOut)
	}
	out, errOut, code = sshOp("get-config", "--filter", `<nacm xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-acm"/>`)
	if code != 0 || strings.Contains(out, "<nacm") {
		t.Errorf("operator get-config /nacm over SSH: exit %d, want 0 and nothing\n%s%s", code, out, errOut)
	}

	// carol, in the groups file's admin group, is an admin; rescue, the recovery user, is in no
	// group and still reads /nacm.
	for _, u := range []string{"carol", "rescue"} {
		p := exec.Command(ncwsBin, "passwd", "--cost", "4", filepath.Join(dir, "ncws-data", "users.htpasswd"), u)
		p.Stdin = strings.NewReader(u + "'s passphrase\n")
		if out, err := p.CombinedOutput(); err != nil {
			t.Fatalf("ncws passwd %s: %v\n%s", u, err, out)
		}
	}
	if out, errOut, code := ncws("carol", "carol's passphrase", "edit-config", "--config", edit); code != 0 {
		t.Errorf("carol (groups file: admin) edit-config: exit %d\n%s%s", code, out, errOut)
	}
	out, errOut, code = ncws("rescue", "rescue's passphrase", "get-config", "--filter", `<nacm xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-acm"/>`)
	if code != 0 || !strings.Contains(out, "<name>operators</name>") {
		t.Errorf("rescue (--recovery-user) reads /nacm: exit %d\n%s%s", code, out, errOut)
	}

	// Every denial is logged with the user, the path or operation, and what decided.
	log := s.stderr.String()
	for _, want := range []string{
		`msg="nacm: write denied" user=operator session=`,
		`operation=update path=/ncws-example:system/hostname by="rule operators/read-only"`,
		`msg="nacm: operation denied" user=operator session=`,
		`operation=/ietf-netconf:kill-session by=nacm:default-deny-all`,
	} {
		if !strings.Contains(log, want) {
			t.Errorf("the server's log has no %q", want)
		}
	}
}

// step is one command of a README transcript and the output shown after it.
type step struct{ cmd, want string }

// nacmReadme returns the README's commands that add a read-only operator (the sh block after
// "three commands") and its transcript of what the operator sees (the console block after it).
func nacmReadme(t *testing.T, readme string) (string, []step) {
	t.Helper()
	i := strings.Index(readme, "### Access control (NACM)")
	if i < 0 {
		t.Fatal("README.md has no section \"Access control (NACM)\"")
	}
	sec := readme[i:]
	if j := strings.Index(sec[1:], "\n### "); j >= 0 {
		sec = sec[:j+1]
	}
	block := func(s, lang string) (string, string) {
		k := strings.Index(s, "```"+lang+"\n")
		if k < 0 {
			t.Fatalf("README.md's NACM section has no %s block after the three commands", lang)
		}
		body := s[k+len(lang)+4:]
		end := strings.Index(body, "```")
		if end < 0 {
			t.Fatalf("README.md's NACM section: unterminated %s block", lang)
		}
		return body[:end], body[end+3:]
	}
	k := strings.Index(sec, "three commands")
	if k < 0 {
		t.Fatal("README.md's NACM section does not add an operator in three commands")
	}
	setup, rest := block(sec[k:], "sh")
	if n := countCommands(setup); n != 3 {
		t.Errorf("README.md's operator takes %d commands, want 3:\n%s", n, setup)
	}
	console, _ := block(rest, "console")
	var steps []step
	for _, line := range strings.SplitAfter(console, "\n") {
		if c, ok := strings.CutPrefix(line, "$ "); ok {
			steps = append(steps, step{cmd: strings.TrimSuffix(c, "\n")})
			continue
		}
		if len(steps) > 0 && line != "" {
			steps[len(steps)-1].want += line
		}
	}
	if len(steps) == 0 {
		t.Fatal("README.md's NACM section shows no command of the operator's")
	}
	return setup, steps
}

// countCommands counts the shell commands of a block: its lines, a here-document's body and
// terminator counting with the line that opens it.
func countCommands(block string) int {
	n := 0
	var until string
	for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
		if until != "" {
			if strings.TrimSpace(line) == until {
				until = ""
			}
			continue
		}
		n++
		if m := heredoc.FindStringSubmatch(line); m != nil {
			until = m[1]
		}
	}
	return n
}

var heredoc = regexp.MustCompile(`<<-?\s*'?"?(\w+)'?"?`)

// startNacmServer starts `ncws serve` in dir as a new user does: no --users nor --datastore (so
// ./ncws-data, with the users file ncws makes), on loopback ports for WebSocket and SSH, with
// the recovery user rescue. It returns the server, the admin's password ncws printed and the
// SSH address.
func startNacmServer(t *testing.T, dir string) (s *server, adminPassword, sshAddr string) {
	t.Helper()
	args := []string{"serve", "--listen", "127.0.0.1:0", "--ssh-listen", "127.0.0.1:0", "--no-page", "--recovery-user", "rescue"}
	s = launch(t, dir, dir, args)
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	pw, err := s.stdout.waitFor(ctx, regexp.MustCompile(`created ncws-data/users\.htpasswd with user admin, password (\S+) `), s.exited)
	if err != nil {
		t.Fatalf("ncws serve did not print the admin's password: %v", err)
	}
	ssh, err := s.stdout.waitFor(ctx, regexp.MustCompile(`serving NETCONF over SSH at (\S+) `), s.exited)
	if err != nil {
		t.Fatalf("ncws serve did not say where it serves SSH: %v", err)
	}
	return s, pw[1], ssh[1]
}
