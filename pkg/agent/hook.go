package agent

import (
	"context"
	"fmt"
	"runtime/debug"
	"sort"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/genimpl"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

// A Hook is a device agent's part in commits to running for one subtree of the configuration:
// it checks a change (Validate), carries it into the device (Apply) and takes it back when the
// commit fails after Apply (Abort).
//
// For each commit that changes something at or below Path, the agent calls, under the
// datastore's commit lock:
//  1. Validate of every such hook, Priority ascending, with all its changes;
//  2. Apply of the hooks with deletions, Priority descending, with only the deletions
//     (Commit.Deletes set): what depends on others goes first (routes before interfaces);
//  3. Apply of the hooks with creations and updates, Priority ascending, with those: what
//     others depend on goes first (interfaces before routes).
//
// An error from Validate or Apply refuses the commit: the Apply calls already made get Abort,
// newest first, running stays as it was, and the error becomes the rpc-error (an
// *rpcerror.Error or rpcerror.List passes through, anything else is operation-failed, logged
// and not shown to the client; a panic likewise). Hooks must not call the agent's Store.
//
// Once the commit is durable (written, about to be acknowledged), Committed is called on the
// hooks that applied part of it, in the order of their Apply calls, with the same Commit each
// Apply got: the place to send notifications about the change, or to drop undo state. It
// cannot refuse the commit; a panic is recovered and logged.
//
// When the agent starts (Start), every hook's Apply is called once with Commit.Initial set
// and the running configuration of its subtree as creations, so that the device is configured
// from running after a restart; errors there are logged.
type Hook struct {
	// Path is the schema node path of the subtree ("/ncws-example:interfaces", with module
	// names as prefixes where the module changes, no choice or case steps); empty: the whole
	// configuration. A change of an ancestor (the whole container replaced) reaches the hook as
	// the changes of the instances of Path it held.
	Path string
	// Priority orders the hooks of different subtrees (see above); equal priorities run in
	// registration order.
	Priority int
	// Validate, Apply and Abort may be nil.
	Validate  func(ctx context.Context, c *Commit) error
	Apply     func(ctx context.Context, c *Commit) error
	Abort     func(ctx context.Context, c *Commit)
	Committed func(ctx context.Context, c *Commit)
}

// A Commit is the part of a commit to running one Hook sees.
type Commit struct {
	// ID, Time, Who, Comment: as datastore.Commit (ID 0 for the initial Apply).
	*datastore.Commit
	// Changes are the changed subtrees at or below the hook's Path (it hides the embedded
	// Commit's Changes, which hold all of them).
	Changes []datastore.Change
	// Deletes is set on the Apply (and Abort) of the deletions.
	Deletes bool
	// Initial is set on the Apply the agent makes at start with the running configuration.
	Initial bool
}

type hookEntry struct {
	h     Hook
	chain []*schema.Node // data nodes from the top down to Path's node
	order int
}

// hookSet is the one datastore.Hook through which the agent runs its hooks.
type hookSet struct {
	a       *Agent
	hooks   []*hookEntry
	applied map[*datastore.Commit][]appliedHook
}

type appliedHook struct {
	e *hookEntry
	c *Commit
}

func newHookSet(a *Agent) *hookSet {
	return &hookSet{a: a, applied: map[*datastore.Commit][]appliedHook{}}
}

// AddHook registers h. It fails when Path names no configuration container, list, leaf or
// leaf-list of the schema, or after the agent started.
func (a *Agent) AddHook(h Hook) error {
	if err := a.checkNotStarted(); err != nil {
		return err
	}
	var chain []*schema.Node
	if h.Path != "" {
		sn := a.sch.FindNode(h.Path)
		if sn == nil || !sn.Kind.IsData() {
			return fmt.Errorf("agent: hook path %s: no such data node", h.Path)
		}
		if !sn.Config {
			return fmt.Errorf("agent: hook path %s: not configuration", h.Path)
		}
		chain = dataChain(sn)
	}
	hs := a.hooks
	hs.hooks = append(hs.hooks, &hookEntry{h: h, chain: chain, order: len(hs.hooks)})
	return nil
}

// dataChain returns the data nodes from the top down to sn.
func dataChain(sn *schema.Node) []*schema.Node {
	var chain []*schema.Node
	for p := sn; p != nil; p = p.DataParent() {
		chain = append([]*schema.Node{p}, chain...)
	}
	return chain
}

// changesFor returns the changes of c at or below e's path, those of an ancestor narrowed to
// the instances of the path they hold.
func (e *hookEntry) changesFor(changes []datastore.Change) []datastore.Change {
	if len(e.chain) == 0 {
		return changes
	}
	var out []datastore.Change
	for _, ch := range changes {
		n := len(ch.Loc)
		if n > len(e.chain) {
			n = len(e.chain)
		}
		match := true
		for i := 0; i < n; i++ {
			if ch.Loc[i].Schema != e.chain[i] {
				match = false
				break
			}
		}
		if !match {
			continue
		}
		if len(ch.Loc) >= len(e.chain) {
			out = append(out, ch)
			continue
		}
		out = append(out, narrow(ch, e.chain[len(ch.Loc):])...)
	}
	return out
}

// narrow returns the changes of the instances of the schema path rest below ch's location:
// each instance in ch.Old or ch.New, paired by location, unless equal on both sides.
func narrow(ch datastore.Change, rest []*schema.Node) []datastore.Change {
	olds := instancesAt(ch.Old, rest)
	news := instancesAt(ch.New, rest)
	var out []datastore.Change
	byLoc := map[string]int{}
	for _, o := range olds {
		l := data.LocOf(o)
		byLoc[l.String()] = len(out)
		out = append(out, datastore.Change{Loc: l, Path: o.Path(), Old: o})
	}
	for _, n := range news {
		l := data.LocOf(n)
		if i, ok := byLoc[l.String()]; ok {
			out[i].New = n
			continue
		}
		out = append(out, datastore.Change{Loc: l, Path: n.Path(), New: n})
	}
	keep := out[:0]
	for _, c := range out {
		if c.Old != nil && c.New != nil && data.Equal(c.Old, c.New) {
			continue
		}
		keep = append(keep, c)
	}
	return keep
}

// instancesAt returns the instances of the schema path rest below n.
func instancesAt(n *data.Node, rest []*schema.Node) []*data.Node {
	if n == nil {
		return nil
	}
	cur := []*data.Node{n}
	for _, sn := range rest {
		var next []*data.Node
		for _, c := range cur {
			next = append(next, c.Instances(sn)...)
		}
		cur = next
	}
	return cur
}

// sorted returns the entries with changes, by priority (ascending or descending), stable.
func sortedEntries(es []*hookEntry, desc bool) []*hookEntry {
	out := append([]*hookEntry(nil), es...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].h.Priority != out[j].h.Priority {
			if desc {
				return out[i].h.Priority > out[j].h.Priority
			}
			return out[i].h.Priority < out[j].h.Priority
		}
		return out[i].order < out[j].order
	})
	return out
}

// Validate implements datastore.Hook.
func (hs *hookSet) Validate(ctx context.Context, c *datastore.Commit) error {
	for _, e := range sortedEntries(hs.hooks, false) {
		chs := e.changesFor(c.Changes)
		if len(chs) == 0 || e.h.Validate == nil {
			continue
		}
		if err := e.h.Validate(ctx, &Commit{Commit: c, Changes: chs}); err != nil {
			return err
		}
	}
	return nil
}

// Apply implements datastore.Hook: deletions in descending priority, then creations and
// updates in ascending priority; on an error the applied calls are aborted, newest first.
func (hs *hookSet) Apply(ctx context.Context, c *datastore.Commit) error {
	clear(hs.applied)
	var done []appliedHook
	defer func() { hs.applied[c] = done }()
	for _, e := range sortedEntries(hs.hooks, true) {
		var dels []datastore.Change
		for _, ch := range e.changesFor(c.Changes) {
			if ch.New == nil {
				dels = append(dels, ch)
			}
		}
		if len(dels) == 0 {
			continue
		}
		hc := &Commit{Commit: c, Changes: dels, Deletes: true}
		done = append(done, appliedHook{e, hc})
		if err := hs.call(ctx, e, hc); err != nil {
			done = abort(ctx, done)
			return err
		}
	}
	for _, e := range sortedEntries(hs.hooks, false) {
		var rest []datastore.Change
		for _, ch := range e.changesFor(c.Changes) {
			if ch.New != nil {
				rest = append(rest, ch)
			}
		}
		if len(rest) == 0 {
			continue
		}
		hc := &Commit{Commit: c, Changes: rest}
		done = append(done, appliedHook{e, hc})
		if err := hs.call(ctx, e, hc); err != nil {
			done = abort(ctx, done)
			return err
		}
	}
	return nil
}

// call runs e's Apply. The failing hook itself is aborted too: it may have applied part of
// its change.
func (hs *hookSet) call(ctx context.Context, e *hookEntry, c *Commit) (err error) {
	if e.h.Apply == nil {
		return nil
	}
	defer func() {
		if r := recover(); r != nil {
			hs.a.log.Error("agent: hook panicked", "path", e.h.Path, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = rpcerror.OperationFailed("the device failed to apply the change")
		}
	}()
	return e.h.Apply(ctx, c)
}

// abort calls Abort of the applied calls, newest first, recovering panics, and returns nil.
func abort(ctx context.Context, done []appliedHook) []appliedHook {
	for i := len(done) - 1; i >= 0; i-- {
		if ab := done[i].e.h.Abort; ab != nil {
			func() {
				defer func() { recover() }()
				ab(ctx, done[i].c)
			}()
		}
	}
	return nil
}

// Committed implements datastore.CommittedHook.
func (hs *hookSet) Committed(ctx context.Context, c *datastore.Commit) {
	done := hs.applied[c]
	delete(hs.applied, c)
	for _, ap := range done {
		if fn := ap.e.h.Committed; fn != nil {
			func() {
				defer func() {
					if r := recover(); r != nil {
						hs.a.log.Error("agent: hook panicked in Committed", "path", ap.e.h.Path, "panic", fmt.Sprint(r))
					}
				}()
				fn(ctx, ap.c)
			}()
		}
	}
}

// Abort implements datastore.Hook: the commit failed after Apply succeeded (the journal could
// not be written).
func (hs *hookSet) Abort(ctx context.Context, c *datastore.Commit) {
	abort(ctx, hs.applied[c])
	delete(hs.applied, c)
}

// sync calls every hook's Apply with the running configuration of its subtree (Initial).
func (hs *hookSet) sync(ctx context.Context) {
	if len(hs.hooks) == 0 {
		return
	}
	err := hs.a.store.Read(datastore.Running, func(root *data.Node) {
		var all []datastore.Change
		for _, top := range root.Children() {
			all = append(all, datastore.Change{Loc: data.LocOf(top), Path: top.Path(), New: top})
		}
		c := &datastore.Commit{Running: root, Comment: "initial configuration", Changes: all}
		for _, e := range sortedEntries(hs.hooks, false) {
			chs := e.changesFor(all)
			if len(chs) == 0 || e.h.Apply == nil {
				continue
			}
			func() {
				defer func() {
					if r := recover(); r != nil {
						hs.a.log.Error("agent: hook panicked on the initial configuration", "path", e.h.Path, "panic", fmt.Sprint(r))
					}
				}()
				if err := e.h.Apply(ctx, &Commit{Commit: c, Changes: chs, Initial: true}); err != nil {
					hs.a.log.Error("agent: hook failed on the initial configuration", "path", e.h.Path, "err", err)
				}
			}()
		}
	})
	if err != nil {
		hs.a.log.Error("agent: reading running for the hooks", "err", err)
	}
}

// A Change is one changed instance of a generated struct T: its whole configuration before
// and after the commit (nil when absent).
type Change[T any] struct {
	// Path is the instance's data path (/ncws-example:interfaces/interface[name='eth0']).
	Path     string
	Old, New *T
}

// A TypedHook is a Hook whose calls receive the changes as the generated struct T of the
// schema node at Path (a container or list entry: the struct of that node, e.g.
// example.NcwsExample_Interfaces_Interface for /ncws-example:interfaces/interface). A change of a leaf reaches it as
// its whole entry, old and new.
type TypedHook[T any] struct {
	Path      string
	Priority  int
	Validate  func(ctx context.Context, changes []Change[T], c *Commit) error
	Apply     func(ctx context.Context, changes []Change[T], c *Commit) error
	Abort     func(ctx context.Context, changes []Change[T], c *Commit)
	Committed func(ctx context.Context, changes []Change[T], c *Commit)
}

// Watch registers a typed commit hook (see Hook for when its functions run).
func Watch[T any, P interface {
	*T
	genimpl.Struct
}](a *Agent, h TypedHook[T]) error {
	sn := a.sch.FindNode(h.Path)
	if sn == nil || (sn.Kind != schema.KindContainer && sn.Kind != schema.KindList) {
		return fmt.Errorf("agent: Watch %s: not a container or list of the schema", h.Path)
	}
	conv := func(c *Commit) ([]Change[T], error) {
		sub := *c.Commit
		sub.Changes = c.Changes
		var out []Change[T]
		for _, e := range genimpl.Entries(&sub, func(n *schema.Node) bool { return n == sn }) {
			ch := Change[T]{Path: e.Path}
			if e.Old != nil {
				ch.Old = new(T)
				if err := P(ch.Old).FromTree(e.Old); err != nil {
					return nil, err
				}
			}
			if e.New != nil {
				ch.New = new(T)
				if err := P(ch.New).FromTree(e.New); err != nil {
					return nil, err
				}
			}
			out = append(out, ch)
		}
		return out, nil
	}
	hk := Hook{Path: h.Path, Priority: h.Priority}
	if h.Validate != nil {
		hk.Validate = func(ctx context.Context, c *Commit) error {
			chs, err := conv(c)
			if err != nil {
				return err
			}
			return h.Validate(ctx, chs, c)
		}
	}
	if h.Apply != nil {
		hk.Apply = func(ctx context.Context, c *Commit) error {
			chs, err := conv(c)
			if err != nil {
				return err
			}
			return h.Apply(ctx, chs, c)
		}
	}
	if h.Abort != nil {
		hk.Abort = func(ctx context.Context, c *Commit) {
			if chs, err := conv(c); err == nil {
				h.Abort(ctx, chs, c)
			}
		}
	}
	if h.Committed != nil {
		hk.Committed = func(ctx context.Context, c *Commit) {
			if chs, err := conv(c); err == nil {
				h.Committed(ctx, chs, c)
			}
		}
	}
	return a.AddHook(hk)
}
