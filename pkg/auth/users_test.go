package auth_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/bcrypt"

	"github.com/ncws/ncws/pkg/auth"
)

// hashOf returns a bcrypt hash of password at the minimum cost with the given prefix ("$2y$"...).
func hashOf(t *testing.T, prefix, password string) string {
	t.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return prefix + string(h[4:])
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "users.htpasswd")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// checks returns, for each "user:password" pair, whether u accepts it.
func checks(u *auth.Users, pairs ...string) map[string]bool {
	got := make(map[string]bool)
	for _, p := range pairs {
		user, pass, _ := strings.Cut(p, ":")
		got[p] = u.Check(user, pass)
	}
	return got
}

func TestLoadUsersAccepts(t *testing.T) {
	content := "# users of ncws\n\n" +
		"alice:" + hashOf(t, "$2y$", "a-secret") + "\n" +
		"  # indented comment\r\n" +
		"bob:" + hashOf(t, "$2a$", "b-secret") + "\r\n" +
		"carol:" + hashOf(t, "$2b$", "c-secret") // no final newline
	u, err := auth.LoadUsers(writeFile(t, content))
	if err != nil {
		t.Fatal(err)
	}
	got := checks(u, "alice:a-secret", "bob:b-secret", "carol:c-secret",
		"alice:b-secret", "alice:", "dave:a-secret", "#:x", ":a-secret")
	want := map[string]bool{
		"alice:a-secret": true, "bob:b-secret": true, "carol:c-secret": true,
		"alice:b-secret": false, "alice:": false, "dave:a-secret": false, "#:x": false, ":a-secret": false,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Check mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadUsersRejects(t *testing.T) {
	good := hashOf(t, "$2y$", "pw")
	for _, tc := range []struct {
		name, content string
		want          string // regexp the error must match
	}{
		{"md5", "ok:" + good + "\nbob:$apr1$abcdefgh$0123456789012345678901\n", `users\.htpasswd:2: user "bob": unsupported password hash kind "\$apr1\$"`},
		{"sha1", "bob:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n", `:1: user "bob": unsupported password hash kind {SHA}`},
		{"crypt", "bob:abJnggxhB/yWI\n", `:1: user "bob": unsupported password hash kind \(crypt\)`},
		{"plain", "bob:secret\n", `:1: user "bob": unsupported password hash kind \(plain text`},
		{"sha512-crypt", "bob:$6$salt$hash\n", `:1: user "bob": unsupported password hash kind "\$6\$"`},
		{"2x", "bob:$2x" + good[3:] + "\n", `unsupported password hash kind "\$2x\$"`},
		{"short hash", "bob:" + good[:59] + "\n", `:1: user "bob": malformed bcrypt hash`},
		{"bad cost", "bob:" + good[:4] + "99" + good[6:] + "\n", `malformed bcrypt hash: bad cost`},
		{"bad character", "bob:" + good[:59] + "!\n", `malformed bcrypt hash: bad character`},
		{"no colon", "# c\n\nbob\n", `:3: not a "user:hash" line`},
		{"empty user", ":" + good + "\n", `:1: empty username`},
		{"space in user", "bo b:" + good + "\n", `:1: username "bo b" contains ' '`},
		{"control in user", "bo\x01b:" + good + "\n", `:1: username .* contains`},
		{"duplicate", "bob:" + good + "\nbob:" + good + "\n", `:2: user "bob" is listed twice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := auth.LoadUsers(writeFile(t, tc.content))
			if err == nil || !regexp.MustCompile(tc.want).MatchString(err.Error()) {
				t.Errorf("LoadUsers error %v, want one matching %q", err, tc.want)
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		if _, err := auth.LoadUsers(filepath.Join(t.TempDir(), "none")); err == nil {
			t.Error("LoadUsers of a missing file succeeded")
		}
	})
}

func TestSetPassword(t *testing.T) {
	alice := "alice:" + hashOf(t, "$2y$", "a-secret")
	bobOld := "bob:" + hashOf(t, "$2y$", "old")
	legacy := "legacy:$apr1$abcdefgh$0123456789012345678901" // kept, though LoadUsers refuses it
	path := writeFile(t, "# header\n"+alice+"\n"+bobOld+"\n"+legacy+"\n")
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}

	if err := auth.SetPassword(path, "bob", "new"); err != nil {
		t.Fatal(err)
	}
	if err := auth.SetPassword(path, "carol", "c-secret"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) != 5 {
		t.Fatalf("file has %d lines, want 5:\n%s", len(lines), b)
	}
	// Other lines are kept byte for byte and in order; bob changed in place; carol appended.
	wantKept := []string{"# header", alice, legacy}
	if diff := cmp.Diff(wantKept, []string{lines[0], lines[1], lines[3]}); diff != "" {
		t.Errorf("kept lines mismatch (-want +got):\n%s", diff)
	}
	for i, prefix := range map[int]string{2: "bob:$2y$", 4: "carol:$2y$"} {
		if !strings.HasPrefix(lines[i], prefix) {
			t.Errorf("line %d = %q, want prefix %q", i+1, lines[i], prefix)
		}
	}

	// The legacy line makes the file unloadable; without it, the passwords check.
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), legacy+"\n", "", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	u, err := auth.LoadUsers(path)
	if err != nil {
		t.Fatal(err)
	}
	got := checks(u, "alice:a-secret", "bob:new", "bob:old", "carol:c-secret")
	want := map[string]bool{"alice:a-secret": true, "bob:new": true, "bob:old": false, "carol:c-secret": true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Check mismatch (-want +got):\n%s", diff)
	}
}

func TestSetPasswordAtomicFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "users")
	if err := os.WriteFile(path, []byte("# old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	old, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := auth.SetPassword(path, "alice", "pw"); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	if os.SameFile(old, fi) {
		t.Error("file rewritten in place; want a new file renamed over it")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if diff := cmp.Diff([]string{"users"}, names); diff != "" {
		t.Errorf("directory mismatch (-want +got), temporary file left behind?\n%s", diff)
	}

	// A new file through a missing path is created with mode 0600 too.
	fresh := filepath.Join(dir, "fresh")
	if err := auth.SetPassword(fresh, "bob", "pw"); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(fresh); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("new file: %v, mode %v; want mode 0600", err, fi.Mode().Perm())
	}
}

func TestSetPasswordRefuses(t *testing.T) {
	for _, tc := range []struct{ name, user, password, want string }{
		{"empty user", "", "pw", "empty username"},
		{"colon", "a:b", "pw", "contains ':'"},
		{"tab", "a\tb", "pw", "contains '\\t'"},
		{"newline", "a\nb", "pw", "contains '\\n'"},
		{"comment", "#a", "pw", "starts with '#'"},
		{"empty password", "alice", "", "empty password"},
		{"too long", "alice", strings.Repeat("x", 73), "exceeds 72 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "users")
			err := auth.SetPassword(path, tc.user, tc.password)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("SetPassword error %v, want one containing %q", err, tc.want)
			}
			if _, err := os.Stat(path); err == nil {
				t.Error("file created despite the error")
			}
		})
	}
}

func TestUsersReload(t *testing.T) {
	path := writeFile(t, "alice:"+hashOf(t, "$2y$", "a-secret")+"\n")
	u, err := auth.LoadUsers(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := auth.SetPassword(path, "bob", "b-secret"); err != nil {
		t.Fatal(err)
	}
	if !u.Check("bob", "b-secret") {
		t.Error("user added by SetPassword not seen without reload")
	}
	// A broken file fails closed: nobody checks until it is fixed.
	if err := os.WriteFile(path, []byte("alice:plain\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := u.Reload(); err == nil {
		t.Error("Reload of a broken file succeeded")
	}
	if u.Check("bob", "b-secret") {
		t.Error("Check succeeded while the file is broken")
	}
	// SetPassword replaces the broken line; the file loads again.
	if err := auth.SetPassword(path, "alice", "fixed"); err != nil {
		t.Fatal(err)
	}
	if !u.Check("alice", "fixed") || u.Reload() != nil {
		t.Error("fixed file not reloaded")
	}
}

func TestEnsureAdmin(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.htpasswd")
	pw, created, err := auth.EnsureAdmin(path)
	if err != nil || !created {
		t.Fatalf("EnsureAdmin = %v, %v; want created", created, err)
	}
	if !regexp.MustCompile(`^[A-Za-z0-9_-]{16,}$`).MatchString(pw) {
		t.Errorf("password %q is not >= 16 URL-safe characters", pw)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("stat: %v, mode %v; want 0600", err, fi.Mode().Perm())
	}
	before, _ := os.ReadFile(path)
	u, err := auth.LoadUsers(path)
	if err != nil {
		t.Fatal(err)
	}
	if !u.Check("admin", pw) || u.Check("admin", pw+"x") {
		t.Error("admin's password does not check as returned")
	}

	pw2, created, err := auth.EnsureAdmin(path)
	if err != nil || created || pw2 != "" {
		t.Errorf("second EnsureAdmin = %q, %v, %v; want nothing created", pw2, created, err)
	}
	after, _ := os.ReadFile(path)
	if diff := cmp.Diff(string(before), string(after)); diff != "" {
		t.Errorf("existing file changed (-want +got):\n%s", diff)
	}

	// Two bootstraps never yield two passwords.
	path2 := filepath.Join(t.TempDir(), "users")
	_, c1, err1 := auth.EnsureAdmin(path2)
	_, c2, err2 := auth.EnsureAdmin(path2)
	if err1 != nil || err2 != nil || !c1 || c2 {
		t.Errorf("EnsureAdmin twice: created %v, %v (errors %v, %v); want true, false", c1, c2, err1, err2)
	}
}

// TestApacheHtpasswd checks both directions with Apache's htpasswd when it is installed (package
// apache2-utils). Without it, the file is a $2y$ line made with Go's bcrypt and the prefix
// rewritten, which is what htpasswd -B writes, and the reverse direction is skipped.
func TestApacheHtpasswd(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users")
	htpasswd, lookErr := exec.LookPath("htpasswd")
	if lookErr == nil {
		out, err := exec.Command(htpasswd, "-cbB", path, "apache", "s3cret pass").CombinedOutput()
		if err != nil {
			t.Fatalf("htpasswd: %v\n%s", err, out)
		}
	} else if err := os.WriteFile(path, []byte("apache:"+hashOf(t, "$2y$", "s3cret pass")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	u, err := auth.LoadUsers(path)
	if err != nil {
		t.Fatal(err)
	}
	if !u.Check("apache", "s3cret pass") {
		t.Error("password from htpasswd -B does not check")
	}

	if err := auth.SetPassword(path, "ours", "other pass"); err != nil {
		t.Fatal(err)
	}
	if lookErr != nil {
		t.Skip("htpasswd not installed: not checking that Apache reads our lines")
	}
	for user, pass := range map[string]string{"apache": "s3cret pass", "ours": "other pass"} {
		if out, err := exec.Command(htpasswd, "-vb", path, user, pass).CombinedOutput(); err != nil {
			t.Errorf("htpasswd -v %s: %v\n%s", user, err, out)
		}
	}
}

// TestCheckRemembers: a matched password is remembered (a client opening many sessions pays
// bcrypt once), but never past a change of the password.
func TestCheckRemembers(t *testing.T) {
	path := writeFile(t, "alice:"+hashOf(t, "$2y$", "first")+"\n")
	u, err := auth.LoadUsers(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range []struct {
		pass string
		want bool
	}{{"first", true}, {"first", true}, {"firsT", false}, {"", false}} {
		if got := u.Check("alice", c.pass); got != c.want {
			t.Errorf("check %d (%q): %v, want %v", i, c.pass, got, c.want)
		}
	}
	if err := auth.SetPassword(path, "alice", "second"); err != nil {
		t.Fatal(err)
	}
	if u.Check("alice", "first") {
		t.Error("the old password still passes after the change")
	}
	if !u.Check("alice", "second") {
		t.Error("the new password fails")
	}
}
