package auth

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strings"
	"time"
)

// tokenBytes is the number of random bytes of a token (43 characters in base64url).
const tokenBytes = 32

// maxLoginBody caps the body of a login request.
const maxLoginBody = 64 << 10

// Login issues a token for user, valid for Options.TokenLifetime, as the login handler does after
// checking the password; it returns the token (base64url without padding, 32 random bytes) and
// its expiry. Use it for logins checked elsewhere.
func (a *Authenticator) Login(user string) (token string, expires time.Time) {
	token = randomString(tokenBytes)
	now := a.now()
	expires = now.Add(a.opts.TokenLifetime)
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.tokens) >= a.opts.MaxTokens || now.Sub(a.pruned) >= time.Minute {
		a.pruned = now
		for k, s := range a.tokens {
			if !now.Before(s.expires) {
				delete(a.tokens, k)
			}
		}
	}
	if len(a.tokens) >= a.opts.MaxTokens {
		var soonest [32]byte
		var t time.Time
		first := true
		for k, s := range a.tokens {
			if first || s.expires.Before(t) {
				soonest, t, first = k, s.expires, false
			}
		}
		delete(a.tokens, soonest)
	}
	a.tokens[sha256.Sum256([]byte(token))] = session{user: user, expires: expires}
	return token, expires
}

// Revoke ends the token's validity; an unknown token is ignored.
func (a *Authenticator) Revoke(token string) {
	a.mu.Lock()
	delete(a.tokens, sha256.Sum256([]byte(token)))
	a.mu.Unlock()
}

// lookupToken returns the user of a valid token; an expired one is deleted.
func (a *Authenticator) lookupToken(token string) (string, bool) {
	if token == "" {
		return "", false
	}
	key := sha256.Sum256([]byte(token))
	now := a.now()
	a.mu.Lock()
	defer a.mu.Unlock()
	s, ok := a.tokens[key]
	if !ok {
		return "", false
	}
	if !now.Before(s.expires) {
		delete(a.tokens, key)
		return "", false
	}
	return s.user, true
}

// LoginHandler returns the handler of POST /login. The request body is JSON
// {"username": "...", "password": "..."} (Content-Type application/json) or an HTML form
// (application/x-www-form-urlencoded) with the fields username and password. On success it answers
// 200 with JSON {"token": "..."} and sets the session cookie (CookieName; the token; Path=/,
// HttpOnly, Max-Age the token lifetime; SameSite=Strict, Secure under TLS, except for the cross-site
// case below). Failures answer JSON {"error": "..."}: 401 for bad credentials (without a Basic
// challenge, which would make a browser open its own login dialog over a fetch), 429 with
// Retry-After when the client address is blocked, 400 for a malformed body, 415 for another content
// type, 403 for a cross-origin browser request (http.CrossOriginProtection, with
// Options.TrustedOrigins), 405 with Allow: POST for another method. Every answer carries
// Cache-Control: no-store and Vary: Origin.
//
// CORS: for a request whose Origin is one of Options.TrustedOrigins, every answer also carries
// Access-Control-Allow-Origin (that origin) and Access-Control-Allow-Credentials: true, and a
// preflight (OPTIONS with Access-Control-Request-Method) is answered 204 with
// Access-Control-Allow-Methods: POST, Access-Control-Allow-Headers: Content-Type, Authorization
// and Access-Control-Max-Age. A preflight from any other origin gets 403 without CORS headers, so
// the browser refuses the request before it is sent.
//
// The cookie of a login from a trusted origin other than the server's own is SameSite=None; Secure
// when the request came over TLS, so that the browser sends it with that page's WebSocket; over
// plain HTTP browsers refuse SameSite=None, and such a page uses the token (the subprotocol
// "ncws.token.<token>"), which works over both.
func (a *Authenticator) LoginHandler() http.Handler {
	return http.HandlerFunc(a.serveLogin)
}

func (a *Authenticator) serveLogin(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	cross := a.corsHeaders(w, r)
	if !a.checkPost(w, r) {
		return
	}
	user, pass, err := loginFields(w, r)
	if err != nil {
		writeJSONError(w, err)
		return
	}
	if _, err := a.checkPassword(clientAddr(r), user, pass, "login"); err != nil {
		writeJSONError(w, err)
		return
	}
	token, _ := a.Login(user)
	c := &http.Cookie{
		Name:     CookieName,
		Value:    token,
		Path:     "/",
		MaxAge:   int(a.opts.TokenLifetime / time.Second),
		HttpOnly: true,
		Secure:   r.TLS != nil,
		SameSite: http.SameSiteStrictMode,
	}
	if cross && r.TLS != nil {
		c.SameSite = http.SameSiteNoneMode
	}
	http.SetCookie(w, c)
	writeJSON(w, http.StatusOK, map[string]string{"token": token})
}

// LogoutHandler returns the handler of POST /logout: it revokes the token of the session cookie
// and of an "Authorization: Bearer <token>" header, clears the cookie and answers 204, also when
// the token was unknown. Like the login handler it answers 405 to another method, 403 to a
// cross-origin browser request, and CORS (preflight included) to the trusted origins.
func (a *Authenticator) LogoutHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		cross := a.corsHeaders(w, r)
		if !a.checkPost(w, r) {
			return
		}
		if c, err := r.Cookie(CookieName); err == nil {
			a.Revoke(c.Value)
		}
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			a.Revoke(strings.TrimSpace(tok))
		}
		c := &http.Cookie{
			Name: CookieName, Path: "/", MaxAge: -1,
			HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode,
		}
		if cross && r.TLS != nil {
			c.SameSite = http.SameSiteNoneMode
		}
		http.SetCookie(w, c)
		w.WriteHeader(http.StatusNoContent)
	})
}

// corsHeaders adds Vary: Origin to every answer, and the CORS answer headers when the request's
// Origin is a trusted origin; it reports whether it is (a cross-origin request of a trusted page).
func (a *Authenticator) corsHeaders(w http.ResponseWriter, r *http.Request) bool {
	h := w.Header()
	h.Add("Vary", "Origin")
	origin := r.Header.Get("Origin")
	if origin == "" || !a.cors[strings.ToLower(origin)] {
		return false
	}
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Allow-Credentials", "true")
	return true
}

// corsMaxAge is how long (seconds) a browser may cache a preflight's answer.
const corsMaxAge = "600"

// checkPost answers a CORS preflight of a trusted origin (204), 405 to a method other than POST
// and 403 to a cross-origin browser request (a preflight of another origin included); it reports
// whether the request may go on.
func (a *Authenticator) checkPost(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodOptions && r.Header.Get("Origin") != "" && r.Header.Get("Access-Control-Request-Method") != "" {
		if w.Header().Get("Access-Control-Allow-Origin") == "" {
			writeJSON(w, http.StatusForbidden, map[string]string{"error": "cross-origin request refused"})
			return false
		}
		h := w.Header()
		h.Add("Vary", "Access-Control-Request-Method")
		h.Add("Vary", "Access-Control-Request-Headers")
		h.Set("Access-Control-Allow-Methods", http.MethodPost)
		h.Set("Access-Control-Allow-Headers", "Content-Type, Authorization")
		h.Set("Access-Control-Max-Age", corsMaxAge)
		w.WriteHeader(http.StatusNoContent)
		return false
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "method not allowed; use POST"})
		return false
	}
	if err := a.origin.Check(r); err != nil {
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "cross-origin request refused"})
		return false
	}
	return true
}

// loginFields reads username and password from a JSON or form body.
func loginFields(w http.ResponseWriter, r *http.Request) (user, pass string, err error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginBody)
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	bad := func(msg string) error { return &Error{Status: http.StatusBadRequest, Msg: msg} }
	switch mt {
	case "application/json":
		var body struct {
			Username *string `json:"username"`
			Password *string `json:"password"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			return "", "", bad("body is not a JSON object with string fields username and password")
		}
		if body.Username == nil || body.Password == nil {
			return "", "", bad("username and password are required")
		}
		user, pass = *body.Username, *body.Password
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return "", "", bad("malformed form body")
		}
		if !r.PostForm.Has("username") || !r.PostForm.Has("password") {
			return "", "", bad("username and password are required")
		}
		user, pass = r.PostForm.Get("username"), r.PostForm.Get("password")
	default:
		return "", "", &Error{Status: http.StatusUnsupportedMediaType,
			Msg: "Content-Type must be application/json or application/x-www-form-urlencoded"}
	}
	return user, pass, nil
}

// writeJSONError answers err as JSON {"error": "..."}, with Retry-After on 429.
func writeJSONError(w http.ResponseWriter, err error) {
	e := &Error{Status: http.StatusInternalServerError, Msg: "internal error"}
	errors.As(err, &e)
	if e.Status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", retryAfter(e.RetryAfter))
	}
	writeJSON(w, e.Status, map[string]string{"error": e.Msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
