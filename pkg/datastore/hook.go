package datastore

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/ncws/ncws/pkg/rpcerror"
)

// A Hook is a device agent's part in commits to running. For each commit the store calls
// Validate on every hook, then Apply on every hook in order, then writes the commit to the
// journal. A non-nil error from Validate or Apply refuses the commit: the hooks already applied
// get Abort (newest first), running stays as it was, and the error becomes the rpc-error (an
// *rpcerror.Error or rpcerror.List passes through; any other error becomes operation-failed,
// logged, never shown to the client). A panic in a hook is recovered the same way. Hooks run
// with the store locked: they must not call the Store.
type Hook interface {
	Validate(ctx context.Context, c *Commit) error
	Apply(ctx context.Context, c *Commit) error
	Abort(ctx context.Context, c *Commit)
}

// A CommittedHook is a Hook that is also told when a commit it applied is durable (written to
// the journal, about to be acknowledged): the time to announce the change (a notification) or
// to forget what Abort would have needed. It runs with the store locked, after every hook's
// Apply succeeded; it cannot refuse the commit, and a panic is recovered and logged.
type CommittedHook interface {
	Hook
	Committed(ctx context.Context, c *Commit)
}

// committedHooks tells the CommittedHooks that c is durable.
func (s *Store) committedHooks(ctx context.Context, c *Commit) {
	for i, h := range s.hooks {
		if ch, ok := h.(CommittedHook); ok {
			s.callHook(ctx, "committed", i, func() error { ch.Committed(ctx, c); return nil })
		}
	}
}

// HookFuncs adapts functions to a Hook; nil fields do nothing.
type HookFuncs struct {
	ValidateFunc func(ctx context.Context, c *Commit) error
	ApplyFunc    func(ctx context.Context, c *Commit) error
	AbortFunc    func(ctx context.Context, c *Commit)
}

// Validate calls ValidateFunc.
func (h HookFuncs) Validate(ctx context.Context, c *Commit) error {
	if h.ValidateFunc == nil {
		return nil
	}
	return h.ValidateFunc(ctx, c)
}

// Apply calls ApplyFunc.
func (h HookFuncs) Apply(ctx context.Context, c *Commit) error {
	if h.ApplyFunc == nil {
		return nil
	}
	return h.ApplyFunc(ctx, c)
}

// Abort calls AbortFunc.
func (h HookFuncs) Abort(ctx context.Context, c *Commit) {
	if h.AbortFunc != nil {
		h.AbortFunc(ctx, c)
	}
}

// runHooks runs Validate on all hooks, then Apply in order; on failure it aborts the applied
// ones and returns the errors.
func (s *Store) runHooks(ctx context.Context, c *Commit) rpcerror.List {
	for i, h := range s.hooks {
		if errs := s.callHook(ctx, "validate", i, func() error { return h.Validate(ctx, c) }); errs != nil {
			return errs
		}
	}
	for i, h := range s.hooks {
		if errs := s.callHook(ctx, "apply", i, func() error { return h.Apply(ctx, c) }); errs != nil {
			s.abortHooks(ctx, c, i)
			return errs
		}
	}
	return nil
}

// abortHooks calls Abort on hooks[:n], newest first.
func (s *Store) abortHooks(ctx context.Context, c *Commit, n int) {
	for i := n - 1; i >= 0; i-- {
		h := s.hooks[i]
		s.callHook(ctx, "abort", i, func() error { h.Abort(ctx, c); return nil })
	}
}

// callHook calls fn, turning its error or panic into rpc-errors.
func (s *Store) callHook(ctx context.Context, phase string, i int, fn func() error) (errs rpcerror.List) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("datastore: hook panicked", "phase", phase, "hook", i, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			errs = rpcerror.List{rpcerror.OperationFailed("the device failed to %s the change", phase)}
		}
	}()
	err := fn()
	if err == nil {
		return nil
	}
	errs = rpcerror.From(err)
	if len(errs) == 0 {
		errs = rpcerror.List{rpcerror.OperationFailed("the device refused the change")}
	}
	s.log.Info("datastore: hook refused a commit", "phase", phase, "hook", i, "err", err)
	return errs
}
