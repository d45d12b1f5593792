//go:build unix

package procs

import (
	"syscall"
	"time"
)

const canReadCPU = true

// processCPU is the CPU time (user and system) all the process's threads used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
