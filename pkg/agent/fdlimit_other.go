//go:build !unix

package agent

import "math"

// raiseFileLimit has nothing to raise on this system.
func raiseFileLimit() (soft, hard uint64, err error) { return math.MaxUint64, math.MaxUint64, nil }
