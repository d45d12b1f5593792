package auth

import (
	"crypto/sha256"
	"time"
)

// limiter counts failed attempts per username at a client address and per client address. It
// is guarded by Authenticator.mu.
//
// Every failure counts against its address; one with a username (a password) counts against
// that username at the address too. The caps differ: maxFailures blocks one username at one
// address (someone mistyping their password, or guessing one user's), so the administrator
// still logs in from the same address at once; maxAddrFailures, higher, blocks the whole address
// (a spray over many usernames, or bad tokens). A success forgives its username at its address,
// not the address: a valid account of the attacker's own must not wipe the count of a spray.
type limiter struct {
	maxFailures     int // per username at an address; <0: no limit
	maxAddrFailures int // per address; <0: no limit
	window          time.Duration
	backoff         time.Duration
	maxBackoff      time.Duration
	maxAddrs        int // the most records of each map
	addrs           map[string]*counter
	users           map[userAt]*counter
	pruned          time.Time
}

// userAt is the key of a username's record: the address and userKey of the username.
type userAt struct{ addr, user string }

// counter is the record of an address or of a username at an address. While backoff is
// non-zero it is on probation: every further failure blocks it again for twice as long (up to
// the cap); it is forgiven (forgotten) maxBackoff after its block ends without another failure.
type counter struct {
	failures     int       // in the window starting at windowStart
	windowStart  time.Time //
	backoff      time.Duration
	blockedUntil time.Time
	last         time.Time // last failure
}

// userKey is the limiter's key of a username: the name itself, or the SHA-256 of one too long
// to be any user's (see MaxUsernameLen), so that a record's size stays bounded.
func userKey(user string) string {
	if len(user) <= MaxUsernameLen {
		return user
	}
	sum := sha256.Sum256([]byte(user))
	return "\x00sha256:" + string(sum[:])
}

// blocked reports whether addr, or user at addr, is blocked at now, and for how much longer (the
// longer of the two blocks); an empty user asks about the address only.
func (l *limiter) blocked(addr, user string, now time.Time) (time.Duration, bool) {
	d := l.addrs[addr].remaining(now)
	if user != "" {
		d = max(d, l.users[userAt{addr, userKey(user)}].remaining(now))
	}
	return d, d > 0
}

// remaining returns how long c (which may be nil) stays blocked after now.
func (c *counter) remaining(now time.Time) time.Duration {
	if c == nil || !now.Before(c.blockedUntil) {
		return 0
	}
	return c.blockedUntil.Sub(now)
}

// fail records a failure at addr at now, and of user there unless user is empty; it reports
// whether user at addr, and whether addr, is blocked by it.
func (l *limiter) fail(addr, user string, now time.Time) (userBlocked, addrBlocked bool) {
	if l.maxFailures < 0 && l.maxAddrFailures < 0 {
		return false, false
	}
	l.prune(now)
	if l.maxAddrFailures >= 0 {
		addrBlocked = l.count(counterOf(l.addrs, addr, l.maxAddrs), l.maxAddrFailures, now)
	}
	if user != "" && l.maxFailures >= 0 {
		userBlocked = l.count(counterOf(l.users, userAt{addr, userKey(user)}, l.maxAddrs), l.maxFailures, now)
	}
	return userBlocked, addrBlocked
}

// count adds a failure at now to c, whose cap is limit; it reports whether c is blocked by it.
func (l *limiter) count(c *counter, limit int, now time.Time) bool {
	if l.stale(c, now) {
		*c = counter{windowStart: now}
	}
	c.last = now
	if c.backoff > 0 {
		c.backoff = min(2*c.backoff, l.maxBackoff)
		c.blockedUntil = now.Add(c.backoff)
		return true
	}
	c.failures++
	if c.failures < limit {
		return false
	}
	c.backoff = min(l.backoff, l.maxBackoff)
	c.blockedUntil = now.Add(c.backoff)
	return true
}

// reset forgets user at addr after a success.
func (l *limiter) reset(addr, user string) { delete(l.users, userAt{addr, userKey(user)}) }

// stale reports whether c no longer matters at now: its window is over and it is not blocked nor
// on probation.
func (l *limiter) stale(c *counter, now time.Time) bool {
	if c.backoff > 0 {
		return now.Sub(c.blockedUntil) >= l.maxBackoff
	}
	return now.Sub(c.windowStart) >= l.window
}

// prune drops stale records, at most once per window.
func (l *limiter) prune(now time.Time) {
	if now.Sub(l.pruned) < l.window {
		return
	}
	l.pruned = now
	for k, c := range l.addrs {
		if l.stale(c, now) {
			delete(l.addrs, k)
		}
	}
	for k, c := range l.users {
		if l.stale(c, now) {
			delete(l.users, k)
		}
	}
}

// counterOf returns the record of k in m, adding a new one if there is none. When m already holds
// limit records (even after pruning: many addresses are failing at once), the one with the
// oldest last failure is dropped to make room.
func counterOf[K comparable](m map[K]*counter, k K, limit int) *counter {
	if c := m[k]; c != nil {
		return c
	}
	if len(m) >= limit {
		var oldest K
		var t time.Time
		first := true
		for k, c := range m {
			if first || c.last.Before(t) {
				oldest, t, first = k, c.last, false
			}
		}
		delete(m, oldest)
	}
	c := &counter{}
	m[k] = c
	return c
}
