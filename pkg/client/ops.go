package client

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	ws "github.com/coder/websocket"

	"github.com/ncws/ncws/pkg/netconf"
)

// Datastore names a configuration datastore (RFC 6241 section 5.1): Running, Candidate
// (:candidate) or Startup (:startup).
type Datastore string

// The conventional datastores.
const (
	Running   Datastore = "running"
	Candidate Datastore = "candidate"
	Startup   Datastore = "startup"
)

// WithDefaultsNamespace is the namespace of the <with-defaults> parameter (RFC 6243 section 4.5).
const WithDefaultsNamespace = "urn:ietf:params:xml:ns:yang:ietf-netconf-with-defaults"

// Filter selects what Get and GetConfig return. The zero Filter selects everything.
type Filter struct {
	// Subtree is a subtree filter (RFC 6241 section 6): the content of <filter>, elements
	// declaring their namespaces.
	Subtree []byte
	// XPath is an XPath select expression (RFC 6241 section 8.9, :xpath), its prefixes bound by
	// Namespaces (prefix -> namespace URI). Subtree and XPath are exclusive.
	XPath      string
	Namespaces map[string]string
	// WithDefaults is the with-defaults retrieval mode (RFC 6243 section 3: "report-all",
	// "trim", "explicit", "report-all-tagged"), sent beside the filter; empty for the server's
	// basic mode.
	WithDefaults string
}

// EditOptions are the optional parameters of <edit-config> (RFC 6241 section 7.2); empty
// fields are not sent.
type EditOptions struct {
	DefaultOperation string // merge, replace, none
	TestOption       string // test-then-set, set, test-only (:validate)
	ErrorOption      string // stop-on-error, continue-on-error, rollback-on-error
}

// CommitOptions are the parameters of <commit> (RFC 6241 sections 8.3.4 and 8.4.5).
type CommitOptions struct {
	// Confirmed makes a confirmed commit that the server reverts unless confirmed within
	// Timeout (the server's default, 600 s, when 0; sent in whole seconds, rounded up).
	Confirmed bool
	Timeout   time.Duration
	// Persist makes the confirmed commit survive the session, identified by this token.
	Persist string
	// PersistID confirms (or extends) the persistent confirmed commit with that token.
	PersistID string
}

// elem appends <name>escaped text</name>.
func elem(b []byte, name, text string) []byte {
	b = append(b, '<')
	b = append(b, name...)
	b = append(b, '>')
	b = netconf.AppendEscaped(b, text, false)
	b = append(b, "</"...)
	b = append(b, name...)
	return append(b, '>')
}

// datastore appends <name><ds/></name>.
func datastore(b []byte, name string, ds Datastore) []byte {
	b = append(b, '<')
	b = append(b, name...)
	b = append(b, "><"...)
	b = append(b, ds...)
	b = append(b, "/></"...)
	b = append(b, name...)
	return append(b, '>')
}

// appendFilter appends <filter> (if any) and <with-defaults> (if set).
func appendFilter(b []byte, f Filter) ([]byte, error) {
	switch {
	case len(f.Subtree) > 0 && f.XPath != "":
		return nil, errors.New("client: a filter is either subtree or XPath, not both")
	case len(f.Subtree) > 0:
		b = append(b, `<filter type="subtree">`...)
		b = append(b, f.Subtree...)
		b = append(b, "</filter>"...)
	case f.XPath != "":
		b = append(b, `<filter type="xpath" select="`...)
		b = netconf.AppendEscaped(b, f.XPath, true)
		b = append(b, '"')
		prefixes := make([]string, 0, len(f.Namespaces))
		for p := range f.Namespaces {
			prefixes = append(prefixes, p)
		}
		slices.Sort(prefixes)
		for _, p := range prefixes {
			b = append(b, " xmlns:"...)
			b = append(b, p...)
			b = append(b, `="`...)
			b = netconf.AppendEscaped(b, f.Namespaces[p], true)
			b = append(b, '"')
		}
		b = append(b, "/>"...)
	}
	if f.WithDefaults != "" {
		b = append(b, `<with-defaults xmlns="`+WithDefaultsNamespace+`">`...)
		b = netconf.AppendEscaped(b, f.WithDefaults, false)
		b = append(b, "</with-defaults>"...)
	}
	return b, nil
}

// data calls op and returns the content of the reply's <data>.
func (s *Session) data(ctx context.Context, op []byte) ([]byte, error) {
	r, err := s.Call(ctx, op)
	if err != nil {
		return nil, err
	}
	if r.Data == nil {
		return nil, fmt.Errorf("client: reply without <data>: %s", r.Msg)
	}
	return r.Data, nil
}

// ok calls op and checks the reply is <ok/>.
func (s *Session) ok(ctx context.Context, op []byte) error {
	r, err := s.Call(ctx, op)
	if err != nil {
		return err
	}
	if !r.OK {
		return fmt.Errorf("client: reply without <ok/>: %s", r.Msg)
	}
	return nil
}

// The ...Op functions build the operation elements that the typed methods send, for Call
// (to see the whole <rpc-reply>, warnings included, or to send them from a script).

// GetConfigOp returns a <get-config> of source with filter.
func GetConfigOp(source Datastore, filter Filter) ([]byte, error) {
	b := append([]byte("<get-config>"), datastore(nil, "source", source)...)
	b, err := appendFilter(b, filter)
	if err != nil {
		return nil, err
	}
	return append(b, "</get-config>"...), nil
}

// GetOp returns a <get> with filter.
func GetOp(filter Filter) ([]byte, error) {
	b, err := appendFilter([]byte("<get>"), filter)
	if err != nil {
		return nil, err
	}
	return append(b, "</get>"...), nil
}

// EditConfigOp returns an <edit-config> of target with config, the content of <config>.
func EditConfigOp(target Datastore, config []byte, opts EditOptions) []byte {
	b := append([]byte("<edit-config>"), datastore(nil, "target", target)...)
	if opts.DefaultOperation != "" {
		b = elem(b, "default-operation", opts.DefaultOperation)
	}
	if opts.TestOption != "" {
		b = elem(b, "test-option", opts.TestOption)
	}
	if opts.ErrorOption != "" {
		b = elem(b, "error-option", opts.ErrorOption)
	}
	b = append(b, "<config>"...)
	b = append(b, config...)
	return append(b, "</config></edit-config>"...)
}

// CopyConfigOp returns a <copy-config> from source to target.
func CopyConfigOp(target, source Datastore) []byte {
	b := append([]byte("<copy-config>"), datastore(nil, "target", target)...)
	b = datastore(b, "source", source)
	return append(b, "</copy-config>"...)
}

// DeleteConfigOp returns a <delete-config> of target.
func DeleteConfigOp(target Datastore) []byte {
	return append(datastore([]byte("<delete-config>"), "target", target), "</delete-config>"...)
}

// LockOp returns a <lock> of target.
func LockOp(target Datastore) []byte {
	return append(datastore([]byte("<lock>"), "target", target), "</lock>"...)
}

// UnlockOp returns an <unlock> of target.
func UnlockOp(target Datastore) []byte {
	return append(datastore([]byte("<unlock>"), "target", target), "</unlock>"...)
}

// ValidateOp returns a <validate> of source.
func ValidateOp(source Datastore) []byte {
	return append(datastore([]byte("<validate>"), "source", source), "</validate>"...)
}

// CommitOp returns a <commit> with opts.
func CommitOp(opts CommitOptions) []byte {
	b := []byte("<commit>")
	if opts.Confirmed {
		b = append(b, "<confirmed/>"...)
		if opts.Timeout > 0 {
			secs := math.Ceil(opts.Timeout.Seconds())
			b = elem(b, "confirm-timeout", strconv.FormatFloat(min(secs, math.MaxUint32), 'f', 0, 64))
		}
		if opts.Persist != "" {
			b = elem(b, "persist", opts.Persist)
		}
	}
	if opts.PersistID != "" {
		b = elem(b, "persist-id", opts.PersistID)
	}
	return append(b, "</commit>"...)
}

// CancelCommitOp returns a <cancel-commit>, with persistID when not empty.
func CancelCommitOp(persistID string) []byte {
	if persistID == "" {
		return []byte("<cancel-commit/>")
	}
	return append(elem([]byte("<cancel-commit>"), "persist-id", persistID), "</cancel-commit>"...)
}

// KillSessionOp returns a <kill-session> of session id.
func KillSessionOp(id uint32) []byte {
	b := elem([]byte("<kill-session>"), "session-id", strconv.FormatUint(uint64(id), 10))
	return append(b, "</kill-session>"...)
}

// GetConfig retrieves configuration from source (RFC 6241 section 7.1) and returns the content
// of <data>, XML standing alone (empty when nothing matched).
func (s *Session) GetConfig(ctx context.Context, source Datastore, filter Filter) ([]byte, error) {
	op, err := GetConfigOp(source, filter)
	if err != nil {
		return nil, err
	}
	return s.data(ctx, op)
}

// Get retrieves running configuration and state data (RFC 6241 section 7.7) and returns the
// content of <data>.
func (s *Session) Get(ctx context.Context, filter Filter) ([]byte, error) {
	op, err := GetOp(filter)
	if err != nil {
		return nil, err
	}
	return s.data(ctx, op)
}

// EditConfig applies config, the content of <config> (elements declaring their namespaces),
// to target (RFC 6241 section 7.2).
func (s *Session) EditConfig(ctx context.Context, target Datastore, config []byte, opts EditOptions) error {
	return s.ok(ctx, EditConfigOp(target, config, opts))
}

// CopyConfig replaces target with the contents of source (RFC 6241 section 7.3).
func (s *Session) CopyConfig(ctx context.Context, target, source Datastore) error {
	return s.ok(ctx, CopyConfigOp(target, source))
}

// DeleteConfig deletes target, which cannot be Running (RFC 6241 section 7.4).
func (s *Session) DeleteConfig(ctx context.Context, target Datastore) error {
	return s.ok(ctx, DeleteConfigOp(target))
}

// Lock locks target for this session (RFC 6241 section 7.5). Held by another session, it
// fails with lock-denied whose error-info session-id names the holder.
func (s *Session) Lock(ctx context.Context, target Datastore) error {
	return s.ok(ctx, LockOp(target))
}

// Unlock releases this session's lock on target (RFC 6241 section 7.6).
func (s *Session) Unlock(ctx context.Context, target Datastore) error {
	return s.ok(ctx, UnlockOp(target))
}

// Validate validates source (RFC 6241 section 8.6, :validate).
func (s *Session) Validate(ctx context.Context, source Datastore) error {
	return s.ok(ctx, ValidateOp(source))
}

// Commit commits the candidate to running (RFC 6241 section 8.3.4.1), confirmed when
// opts.Confirmed (section 8.4.5.1).
func (s *Session) Commit(ctx context.Context, opts CommitOptions) error {
	return s.ok(ctx, CommitOp(opts))
}

// DiscardChanges reverts the candidate to running (RFC 6241 section 8.3.4.2).
func (s *Session) DiscardChanges(ctx context.Context) error {
	return s.ok(ctx, []byte("<discard-changes/>"))
}

// CancelCommit cancels an ongoing confirmed commit (RFC 6241 section 8.4.4.1): this session's
// when persistID is empty, else the persistent one with that token.
func (s *Session) CancelCommit(ctx context.Context, persistID string) error {
	return s.ok(ctx, CancelCommitOp(persistID))
}

// KillSession ends session id (RFC 6241 section 7.9); its connection closes with 4001.
func (s *Session) KillSession(ctx context.Context, id uint32) error {
	return s.ok(ctx, KillSessionOp(id))
}

// CloseSession ends the session gracefully (RFC 6241 section 7.8): it sends <close-session>,
// waits for <ok/> and for the server to close the connection with 1000. A session already
// closed that way returns nil. When ctx ends first, the connection is closed by the client.
func (s *Session) CloseSession(ctx context.Context) error {
	if ce := (*ClosedError)(nil); errors.As(s.Err(), &ce) && ce.Code == int(ws.StatusNormalClosure) {
		return nil
	}
	if err := s.ok(ctx, []byte("<close-session/>")); err != nil {
		var ce *ClosedError
		if errors.As(err, &ce) && ce.Code == int(ws.StatusNormalClosure) {
			return nil // an earlier <close-session> (sent through Call) ended it
		}
		if ctx.Err() != nil {
			s.Close()
		}
		return err
	}
	select {
	case <-s.done:
	case <-ctx.Done():
		s.Close()
		return ctx.Err()
	}
	var ce *ClosedError
	if errors.As(s.err, &ce) && ce.Code == int(ws.StatusNormalClosure) {
		return nil
	}
	return s.err
}
