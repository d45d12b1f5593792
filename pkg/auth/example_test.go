package auth_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/ncws/ncws/pkg/auth"
)

// A browser logs in with POST /login and offers the token as a WebSocket subprotocol; the
// transport calls Authenticate before the upgrade.
func Example() {
	dir, _ := os.MkdirTemp("", "ncws-auth")
	defer os.RemoveAll(dir)
	users := filepath.Join(dir, "users.htpasswd")
	if err := auth.SetPassword(users, "alice", "correct horse"); err != nil {
		fmt.Println(err)
		return
	}
	a, err := auth.New(auth.Options{UsersFile: users})
	if err != nil {
		fmt.Println(err)
		return
	}

	// POST /login
	w := httptest.NewRecorder()
	login := httptest.NewRequest(http.MethodPost, "/login",
		strings.NewReader(`{"username": "alice", "password": "correct horse"}`))
	login.Header.Set("Content-Type", "application/json")
	a.LoginHandler().ServeHTTP(w, login)
	token := strings.TrimSuffix(strings.TrimPrefix(w.Body.String(), `{"token":"`), "\"}\n")
	fmt.Println("login:", w.Code, w.Result().Cookies()[0].Name)

	// new WebSocket(url, ["netconf", "ncws.token." + token])
	upgrade := httptest.NewRequest(http.MethodGet, "/netconf", nil)
	upgrade.Header.Set("Sec-WebSocket-Protocol", "netconf, ncws.token."+token)
	user, err := a.Authenticate(upgrade)
	fmt.Println("upgrade as:", user, err)

	// A wrong password is refused; WriteError answers it.
	bad := httptest.NewRequest(http.MethodGet, "/netconf", nil)
	bad.SetBasicAuth("alice", "wrong")
	_, err = a.Authenticate(bad)
	w = httptest.NewRecorder()
	auth.WriteError(w, err)
	fmt.Println("wrong password:", w.Code, w.Header().Get("WWW-Authenticate"))
	// Output:
	// login: 200 ncws_session
	// upgrade as: alice <nil>
	// wrong password: 401 Basic realm="ncws", charset="UTF-8"
}

// EnsureAdmin creates the users file on the first start and returns the password to show once.
func ExampleEnsureAdmin() {
	dir, _ := os.MkdirTemp("", "ncws-auth")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "users.htpasswd")

	pw, created, err := auth.EnsureAdmin(path)
	fmt.Println(created, len(pw) >= 16, err)
	u, _ := auth.LoadUsers(path)
	fmt.Println(u.Check(auth.AdminUser, pw))

	_, created, err = auth.EnsureAdmin(path) // later starts leave the file alone
	fmt.Println(created, err)
	// Output:
	// true true <nil>
	// true
	// false <nil>
}
