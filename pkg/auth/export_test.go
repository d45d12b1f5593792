package auth

import "golang.org/x/crypto/bcrypt"

// Hashing at bcrypt.DefaultCost takes most of a second under -race; the tests check behaviour,
// not cost, so they hash at the minimum. internal/cli's tests exercise the real cost.
func init() { hashCost = bcrypt.MinCost }

// LimitRecords returns how many addresses and usernames at addresses the rate limit holds.
func (a *Authenticator) LimitRecords() (addrs, users int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.limit.addrs), len(a.limit.users)
}
