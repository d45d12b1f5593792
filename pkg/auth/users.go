package auth

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// MaxUsernameLen is the longest username accepted, in bytes.
const MaxUsernameLen = 255

// HashCost is the bcrypt cost of the hashes SetPassword and EnsureAdmin write (Apache htpasswd -B
// writes 5 by default; 10 is Go's bcrypt.DefaultCost).
const HashCost = bcrypt.DefaultCost

// hashCost is HashCost, lowered by this package's tests to keep them fast under -race.
var hashCost = HashCost

// AdminUser is the user EnsureAdmin creates.
const AdminUser = "admin"

// Users is the set of users of an htpasswd file with bcrypt hashes (the format of Apache's
// `htpasswd -B`). It re-reads its file when the file changes: each Check (and Reload) compares the
// file's identity, size and modification time with those last read, so `ncws passwd` takes effect
// without a restart. The methods are safe for concurrent use.
type Users struct {
	path string

	mu     sync.Mutex
	hashes map[string]string // user -> bcrypt hash
	cost   int               // highest cost in the file, for the unknown-user dummy
	stat   fs.FileInfo       // of the file as last read; nil when not read from a file
	err    error             // of the last reload; the set is empty while it is non-nil

	// verified remembers passwords that matched, for VerifiedTTL, so that a client opening
	// many sessions pays bcrypt's cost once: keyed by an HMAC (with a per-process random key)
	// of user, hash and password, so a changed password (a new hash) is never matched by it.
	verified map[[32]byte]time.Time
	macKey   [32]byte
}

// VerifiedTTL is how long a matched password is remembered; at most maxVerified are held.
const VerifiedTTL = 5 * time.Minute

const maxVerified = 4096

// LoadUsers reads the htpasswd file at path. Every line is "user:hash" where hash is a bcrypt hash
// ($2y$, $2b$ or $2a$); blank lines and lines starting with '#' are ignored. Any other hash kind
// (MD5 $apr1$, {SHA}, crypt, plain text), a malformed line, an invalid username or a user listed
// twice is an error naming the line.
func LoadUsers(path string) (*Users, error) {
	u := &Users{path: path, verified: map[[32]byte]time.Time{}}
	rand.Read(u.macKey[:])
	if err := u.load(); err != nil {
		return nil, err
	}
	return u, nil
}

// Check reports whether password is the password of user. It first reloads the file if it
// changed (see Reload); while the file cannot be read or parsed every check fails. An unknown user
// costs the same bcrypt work as a known one, so timing does not reveal which users exist.
func (u *Users) Check(user, password string) bool {
	_ = u.Reload()
	u.mu.Lock()
	hash, ok := u.hashes[user]
	cost := u.cost
	u.mu.Unlock()
	if !ok {
		_ = bcrypt.CompareHashAndPassword(dummyHash(cost), []byte(password))
		return false
	}
	mac := hmac.New(sha256.New, u.macKey[:])
	mac.Write([]byte(user))
	mac.Write([]byte{0})
	mac.Write([]byte(hash))
	mac.Write([]byte{0})
	mac.Write([]byte(password))
	var key [32]byte
	mac.Sum(key[:0])
	now := time.Now()
	u.mu.Lock()
	at, hit := u.verified[key]
	u.mu.Unlock()
	if hit && now.Sub(at) < VerifiedTTL {
		return true
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return false
	}
	u.mu.Lock()
	if len(u.verified) >= maxVerified {
		clear(u.verified)
	}
	u.verified[key] = now
	u.mu.Unlock()
	return true
}

// Reload re-reads the file if its identity (inode), size or modification time changed since it
// was last read, and returns the error of the last read. After a failed read the set is empty
// (every Check fails) until the file is fixed: a broken file never leaves stale users in place.
func (u *Users) Reload() error {
	if u.path == "" {
		return nil
	}
	fi, err := os.Stat(u.path)
	u.mu.Lock()
	unchanged := err == nil && u.stat != nil && os.SameFile(fi, u.stat) &&
		fi.Size() == u.stat.Size() && fi.ModTime().Equal(u.stat.ModTime())
	lastErr := u.err
	u.mu.Unlock()
	if unchanged {
		return lastErr
	}
	return u.load()
}

// load reads and parses the file, replacing the set (with an empty one on error).
func (u *Users) load() error {
	fi, err := os.Stat(u.path)
	var data []byte
	if err == nil {
		data, err = os.ReadFile(u.path)
	}
	var hashes map[string]string
	cost := HashCost
	if err == nil {
		hashes, cost, err = parseUsers(data, u.path)
	} else {
		err = fmt.Errorf("auth: users file: %w", err)
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	u.stat, u.err = fi, err
	if err != nil {
		u.hashes = nil
		return err
	}
	u.hashes, u.cost = hashes, cost
	return nil
}

// parseUsers parses htpasswd text; name prefixes error messages. It returns the hashes by user
// and the highest bcrypt cost seen (HashCost for an empty file).
func parseUsers(data []byte, name string) (map[string]string, int, error) {
	hashes := make(map[string]string)
	maxCost := 0
	for i, line := range strings.Split(string(data), "\n") {
		lineNo := i + 1
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		user, hash, ok := strings.Cut(line, ":")
		if !ok {
			return nil, 0, fmt.Errorf("auth: %s:%d: not a \"user:hash\" line", name, lineNo)
		}
		if err := ValidUsername(user); err != nil {
			return nil, 0, fmt.Errorf("auth: %s:%d: %w", name, lineNo, err)
		}
		cost, err := bcryptCost(hash)
		if err != nil {
			return nil, 0, fmt.Errorf("auth: %s:%d: user %q: %w", name, lineNo, user, err)
		}
		if _, dup := hashes[user]; dup {
			return nil, 0, fmt.Errorf("auth: %s:%d: user %q is listed twice", name, lineNo, user)
		}
		hashes[user] = hash
		maxCost = max(maxCost, cost)
	}
	if maxCost == 0 {
		maxCost = HashCost
	}
	return hashes, maxCost, nil
}

// bcryptCost checks that hash is a well-formed bcrypt hash ($2a$, $2b$ or $2y$, two-digit cost,
// 53 characters of salt and hash) and returns its cost.
func bcryptCost(hash string) (int, error) {
	switch kind := hashKind(hash); kind {
	case `"$2a$"`, `"$2b$"`, `"$2y$"`:
	default:
		return 0, fmt.Errorf("unsupported password hash kind %s: only bcrypt ($2y$, $2b$, $2a$) is accepted; set the password again with `ncws passwd` or `htpasswd -B`", kind)
	}
	// $2y$10$ + 22 characters of salt + 31 of hash.
	if len(hash) != 60 || hash[6] != '$' {
		return 0, errors.New("malformed bcrypt hash")
	}
	cost, err := strconv.Atoi(hash[4:6])
	if err != nil || cost < bcrypt.MinCost || cost > bcrypt.MaxCost {
		return 0, errors.New("malformed bcrypt hash: bad cost")
	}
	for _, c := range []byte(hash[7:]) {
		if !isBcryptBase64(c) {
			return 0, errors.New("malformed bcrypt hash: bad character")
		}
	}
	return cost, nil
}

// hashKind names the kind of a password hash for error messages: its quoted "$...$" prefix, or
// a description.
func hashKind(hash string) string {
	switch {
	case strings.HasPrefix(hash, "{SHA}"):
		return "{SHA}"
	case strings.HasPrefix(hash, "$"):
		if end := strings.IndexByte(hash[1:], '$'); end >= 0 && end <= 8 {
			return strconv.Quote(hash[:end+2])
		}
		return "(unknown $ prefix)"
	case len(hash) == 13:
		return "(crypt)"
	default:
		return "(plain text or unknown)"
	}
}

func isBcryptBase64(c byte) bool {
	return c == '.' || c == '/' || '0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z'
}

// dummyHashBase is a well-formed bcrypt hash of a random string nobody knows; dummyHash puts the
// wanted cost into it so an unknown user costs as much work as a known one.
const dummyHashBase = "$2y$10$HeJ2IgZ3Sdo3tJ1Tqk1ox.jwx6pxg64qR3Vv7nGi74/fRpsv7Jccq"

func dummyHash(cost int) []byte {
	h := []byte(dummyHashBase)
	copy(h[4:6], fmt.Sprintf("%02d", cost))
	return h
}

// ValidUsername reports why name cannot be a username, or nil: a username is non-empty valid
// UTF-8 of at most MaxUsernameLen bytes with no ':', no white space and no control characters,
// not starting with '#' (that line would be a comment).
func ValidUsername(name string) error {
	switch {
	case name == "":
		return errors.New("empty username")
	case len(name) > MaxUsernameLen:
		return fmt.Errorf("username longer than %d bytes", MaxUsernameLen)
	case !utf8.ValidString(name):
		return errors.New("username is not valid UTF-8")
	case name[0] == '#':
		return fmt.Errorf("username %q starts with '#'", name)
	}
	for _, r := range name {
		if r == ':' || unicode.IsSpace(r) || unicode.IsControl(r) {
			return fmt.Errorf("username %q contains %q: no ':', white space or control characters allowed", name, r)
		}
	}
	return nil
}

// SetPassword adds user to the htpasswd file at path, or changes the user's password, hashing it
// with bcrypt (cost HashCost, written as $2y$ like `htpasswd -B`). Every other line (users,
// comments, even lines LoadUsers would refuse) is kept as is; a second line for user is dropped.
// The file is created if missing. It is replaced atomically: a temporary file in the same
// directory, written and synced, renamed over it, and the directory synced; the new file has mode
// 0600. A symbolic link at path is followed. Two SetPassword calls on the same file at the same
// time may lose one update.
func SetPassword(path, user, password string) error {
	return SetPasswordCost(path, user, password, hashCost)
}

// SetPasswordCost is SetPassword hashing at the given bcrypt cost (bcrypt.MinCost to
// bcrypt.MaxCost, like `htpasswd -B -C cost`): every login of the user then costs about 2^cost
// rounds of the key schedule. Below HashCost only for short-lived or test users.
func SetPasswordCost(path, user, password string, cost int) error {
	if err := ValidUsername(user); err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	if password == "" {
		return errors.New("auth: empty password")
	}
	if cost < bcrypt.MinCost || cost > bcrypt.MaxCost {
		return fmt.Errorf("auth: bcrypt cost %d out of range %d-%d", cost, bcrypt.MinCost, bcrypt.MaxCost)
	}
	line, err := hashLine(user, password, cost)
	if err != nil {
		return err
	}
	if p, err := filepath.EvalSymlinks(path); err == nil {
		path = p
	}
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("auth: users file: %w", err)
	}
	var out bytes.Buffer
	replaced := false
	text := strings.TrimSuffix(string(old), "\n")
	if text != "" {
		for _, l := range strings.Split(text, "\n") {
			name, _, ok := strings.Cut(strings.TrimSpace(l), ":")
			if ok && name == user {
				if replaced {
					continue
				}
				l, replaced = line, true
			}
			out.WriteString(l)
			out.WriteByte('\n')
		}
	}
	if !replaced {
		out.WriteString(line)
		out.WriteByte('\n')
	}
	return writeAtomic(path, out.Bytes(), false)
}

// hashLine returns "user:$2y$..." for password.
func hashLine(user, password string, cost int) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		return "", fmt.Errorf("auth: %w", err)
	}
	// Go's bcrypt writes $2a$; it has none of the bugs $2y$/$2b$ mark as fixed, so the hash is the
	// same under the prefix Apache's htpasswd -B writes.
	if bytes.HasPrefix(h, []byte("$2a$")) {
		h[2] = 'y'
	}
	return user + ":" + string(h), nil
}

// EnsureAdmin bootstraps the users file at path: if it does not exist, it creates it (mode 0600)
// with the single user "admin" and a random password (24 URL-safe characters from crypto/rand),
// and returns that password with created true, for the caller to show once. If the file exists it
// is left alone and created is false. Creation never replaces a file that appears meanwhile.
func EnsureAdmin(path string) (password string, created bool, err error) {
	if _, err := os.Lstat(path); err == nil {
		return "", false, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", false, fmt.Errorf("auth: users file: %w", err)
	}
	password = randomString(18)
	line, err := hashLine(AdminUser, password, hashCost)
	if err != nil {
		return "", false, err
	}
	err = writeAtomic(path, []byte(line+"\n"), true)
	if errors.Is(err, fs.ErrExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return password, true, nil
}

// randomString returns n random bytes from crypto/rand, base64url-encoded without padding.
func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (it crashes the program instead).
	return base64.RawURLEncoding.EncodeToString(b)
}

// writeAtomic writes data to path through a synced temporary file in the same directory, mode
// 0600. With noReplace it fails with an error wrapping fs.ErrExist if path exists.
func writeAtomic(path string, data []byte, noReplace bool) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return fmt.Errorf("auth: users file: %w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if err = f.Chmod(0o600); err == nil {
		if _, err = f.Write(data); err == nil {
			err = f.Sync()
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("auth: users file: %w", err)
	}
	if noReplace {
		// A hard link never replaces an existing file; where the file system has none, fall back
		// to a rename after one more look.
		if err = os.Link(tmp, path); err == nil {
			os.Remove(tmp)
		} else if errors.Is(err, fs.ErrExist) {
			return err
		} else if _, serr := os.Lstat(path); serr == nil {
			return fs.ErrExist
		} else {
			err = os.Rename(tmp, path)
		}
	} else {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		return fmt.Errorf("auth: users file: %w", err)
	}
	if d, derr := os.Open(dir); derr == nil {
		derr = d.Sync()
		d.Close()
		if derr != nil {
			return fmt.Errorf("auth: users file: sync directory: %w", derr)
		}
	}
	return nil
}
