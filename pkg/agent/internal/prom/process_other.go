//go:build !linux

package prom

// RegisterProcess registers nothing where there is no /proc to read the process's metrics
// from.
func (r *Registry) RegisterProcess() {}
