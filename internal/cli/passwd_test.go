package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/auth"
)

func runStdin(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = Main(context.Background(), args, strings.NewReader(stdin), &o, &e)
	return code, o.String(), e.String()
}

// TestPasswd hashes alice at the default cost (bcrypt.DefaultCost, slow under -race) and bob at
// --cost 4, so it keeps to a few passwords.
func TestPasswd(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "users.htpasswd")

	code, out, errOut := runStdin(t, "first pass\nignored line\n", "passwd", path, "alice")
	if code != ExitOK || errOut != "" {
		t.Fatalf("passwd: exit %d, stderr %q", code, errOut)
	}
	if want := "password of alice set in " + path + "\n"; out != want {
		t.Errorf("stdout mismatch (-want +got):\n%s", cmp.Diff(want, out))
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("users file: %v, mode %v; want mode 0600", err, fi.Mode().Perm())
	}
	// A second user, the password without a final newline and with a CR (a Windows script).
	if code, _, errOut := runStdin(t, " spaced pass \r\n", "passwd", "--cost", "4", path, "bob"); code != ExitOK {
		t.Fatalf("passwd bob: exit %d, stderr %q", code, errOut)
	}

	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The cost is the two digits after $2y$ (htpasswd -B's prefix).
	for _, want := range []string{"alice:$2y$10$", "bob:$2y$04$"} {
		if !strings.Contains(string(text), "\n"+want) && !strings.HasPrefix(string(text), want) {
			t.Errorf("users file has no line starting %q:\n%s", want, text)
		}
	}
	u, err := auth.LoadUsers(path)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{
		"alice/first pass":   u.Check("alice", "first pass"),
		"alice/ignored line": u.Check("alice", "ignored line"),
		"bob/ spaced pass ":  u.Check("bob", " spaced pass "),
		"bob/spaced pass":    u.Check("bob", "spaced pass"),
	}
	want := map[string]bool{
		"alice/first pass": true, "alice/ignored line": false,
		"bob/ spaced pass ": true, "bob/spaced pass": false,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Check mismatch (-want +got):\n%s", diff)
	}
}

func TestPasswdRefuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		want  string // in stderr
	}{
		{"empty password", "\n", []string{"USERS", "alice"}, "ncws passwd: empty password refused"},
		{"no stdin", "", []string{"USERS", "alice"}, "ncws passwd: empty password refused"},
		{"bad user", "pw\n", []string{"USERS", "al:ice"}, `ncws passwd: username "al:ice" contains ':'`},
		{"too long", strings.Repeat("x", 73) + "\n", []string{"USERS", "alice"}, "ncws passwd: auth: bcrypt: password length exceeds 72 bytes"},
		{"one argument", "pw\n", []string{"USERS"}, "accepts 2 arg(s), received 1"},
		{"cost too low", "pw\n", []string{"--cost", "3", "USERS", "alice"}, "ncws passwd: auth: bcrypt cost 3 out of range 4-31"},
		{"cost too high", "pw\n", []string{"--cost", "32", "USERS", "alice"}, "ncws passwd: auth: bcrypt cost 32 out of range 4-31"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "users")
			args := []string{"passwd"}
			for _, a := range tc.args {
				args = append(args, strings.ReplaceAll(a, "USERS", path))
			}
			code, out, errOut := runStdin(t, tc.stdin, args...)
			if code != ExitUsage || out != "" || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and stderr containing %q", code, out, errOut, tc.want)
			}
			if _, err := os.Stat(path); err == nil {
				t.Error("users file created despite the error")
			}
		})
	}
}
