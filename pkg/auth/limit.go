package auth

import "time"

// limiter counts failed attempts per client address. It is guarded by Authenticator.mu.
type limiter struct {
	maxFailures int // <0: no limit
	window      time.Duration
	backoff     time.Duration
	maxBackoff  time.Duration
	maxAddrs    int
	addrs       map[string]*addrState
	pruned      time.Time
}

// addrState is the record of one address. While backoff is non-zero the address is on probation:
// every further failure blocks it again for twice as long (up to the cap); it is forgiven
// (forgotten) maxBackoff after its block ends without another failure.
type addrState struct {
	failures     int       // in the window starting at windowStart
	windowStart  time.Time //
	backoff      time.Duration
	blockedUntil time.Time
	last         time.Time // last failure
}

// blocked reports whether addr is blocked at now, and for how much longer.
func (l *limiter) blocked(addr string, now time.Time) (time.Duration, bool) {
	s := l.addrs[addr]
	if s == nil || !now.Before(s.blockedUntil) {
		return 0, false
	}
	return s.blockedUntil.Sub(now), true
}

// fail records a failure of addr at now; it reports whether the address became blocked.
func (l *limiter) fail(addr string, now time.Time) bool {
	if l.maxFailures < 0 {
		return false
	}
	l.prune(now)
	s := l.addrs[addr]
	if s != nil && l.stale(s, now) {
		s = nil
	}
	if s == nil {
		if len(l.addrs) >= l.maxAddrs {
			l.evictOldest()
		}
		s = &addrState{windowStart: now}
		l.addrs[addr] = s
	}
	s.last = now
	if s.backoff > 0 {
		s.backoff = min(2*s.backoff, l.maxBackoff)
		s.blockedUntil = now.Add(s.backoff)
		return true
	}
	if now.Sub(s.windowStart) >= l.window {
		s.failures, s.windowStart = 0, now
	}
	s.failures++
	if s.failures < l.maxFailures {
		return false
	}
	s.backoff = min(l.backoff, l.maxBackoff)
	s.blockedUntil = now.Add(s.backoff)
	return true
}

// reset forgets addr after a success.
func (l *limiter) reset(addr string) { delete(l.addrs, addr) }

// stale reports whether s no longer matters at now: its window is over and it is not blocked nor
// on probation.
func (l *limiter) stale(s *addrState, now time.Time) bool {
	if s.backoff > 0 {
		return now.Sub(s.blockedUntil) >= l.maxBackoff
	}
	return now.Sub(s.windowStart) >= l.window
}

// prune drops stale records, at most once per window.
func (l *limiter) prune(now time.Time) {
	if now.Sub(l.pruned) < l.window {
		return
	}
	l.pruned = now
	for k, s := range l.addrs {
		if l.stale(s, now) {
			delete(l.addrs, k)
		}
	}
}

// evictOldest drops the record with the oldest last failure to make room (the table is full
// even after pruning: many addresses are failing at once).
func (l *limiter) evictOldest() {
	var oldest string
	var t time.Time
	for k, s := range l.addrs {
		if oldest == "" || s.last.Before(t) {
			oldest, t = k, s.last
		}
	}
	delete(l.addrs, oldest)
}
