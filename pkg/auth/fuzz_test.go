package auth

import (
	"strings"
	"testing"
)

// FuzzParseUsers checks that the htpasswd parser never panics, that what it accepts holds only
// valid usernames and well-formed bcrypt hashes, and that writing the result back parses the same.
func FuzzParseUsers(f *testing.F) {
	const h = "$2y$05$KonuisifBd0CDtBdolBSXeyxUy3x/obA.pyUNf/1Z2cF0yBEzdBre"
	for _, seed := range []string{
		"",
		"# comment\n\nalice:" + h + "\n",
		"alice:" + h + "\r\nbob:$2a" + h[3:] + "\r\n",
		"alice:" + h + "\nalice:" + h + "\n",
		"bob:$apr1$abcdefgh$0123456789012345678901\n",
		"bob:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n",
		"bob\n",
		":" + h,
		"bo b:" + h,
		"b\x00b:" + h,
		"bob:$2y$99$" + h[7:],
		"bob:$2y$1$" + h[7:],
		"\xff:" + h,
		"bob:$$$$",
		"bob:$",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		users, cost, err := parseUsers(data, "fuzz")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "auth: fuzz:") {
				t.Fatalf("error %q does not name the file and line", err)
			}
			return
		}
		var b strings.Builder
		for user, hash := range users {
			if err := ValidUsername(user); err != nil {
				t.Fatalf("accepted username %q: %v", user, err)
			}
			c, err := bcryptCost(hash)
			if err != nil || c > cost {
				t.Fatalf("accepted hash %q of %q: cost %d (max %d), %v", hash, user, c, cost, err)
			}
			b.WriteString(user + ":" + hash + "\n")
		}
		again, _, err := parseUsers([]byte(b.String()), "again")
		if err != nil || len(again) != len(users) {
			t.Fatalf("written back, %d users parse to %d: %v", len(users), len(again), err)
		}
		for u, h := range users {
			if again[u] != h {
				t.Fatalf("user %q: hash %q became %q", u, h, again[u])
			}
		}
	})
}
