package nacm

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

// Options configures an Engine.
type Options struct {
	// ExternalGroups returns the groups a user has outside the NACM configuration (the users'
	// groups file); they count when /nacm/enable-external-groups is true. Nil: none.
	ExternalGroups func(user string) []string
	// RecoveryUser, when set, is the break-glass user whose sessions bypass access control
	// (RFC 8341 section 2.5's recovery session). The system itself (session 0: boot, rollback
	// of a confirmed commit) always does.
	RecoveryUser string
	// Logger receives every denial at Info level with the user, the operation, the path and
	// the rule (or default) that decided (slog.Default() when nil).
	Logger *slog.Logger
}

// config is one compiled /nacm configuration.
type config struct {
	enabled                     bool
	readDefault, writeDefault   bool // permit?
	execDefault, externalGroups bool
	groups                      map[string][]string // user -> NACM groups, sorted
	groupKeys                   map[string]string   // user -> groupKey(groups[user])
	lists                       []*ruleList
	errors                      []string // rules that did not compile (logged, skipped)
	byGroups                    sync.Map // group-set key -> *ruleSet
}

type ruleList struct {
	name   string
	groups map[string]bool // "*" for all
	rules  []*rule
}

// Engine enforces NACM (RFC 8341) for one schema: it compiles the /nacm configuration once per
// change (Load) and answers access questions per session (For). It is safe for concurrent use.
type Engine struct {
	sch  *schema.Schema
	opts Options
	log  *slog.Logger
	cfg  atomic.Pointer[config]

	// node facts that depend on the schema only
	facts sync.Map // *schema.Node -> nodeFacts

	deniedOps, deniedWrites, deniedNotifs atomic.Uint32
}

type nodeFacts struct {
	denyAll, denyWrite bool // nacm:default-deny-all / -write on the node or an ancestor
}

// New returns an Engine for sch with the RFC's defaults in force (NACM enabled, read and exec
// permitted, writes denied) until Load reads a configuration.
func New(sch *schema.Schema, opts Options) *Engine {
	e := &Engine{sch: sch, opts: opts, log: opts.Logger}
	if e.log == nil {
		e.log = slog.Default()
	}
	e.cfg.Store(defaultConfig())
	return e
}

func defaultConfig() *config {
	return &config{enabled: true, readDefault: true, writeDefault: false, execDefault: true,
		externalGroups: true, groups: map[string][]string{}, groupKeys: map[string]string{}}
}

// groupKey is the key of a sorted set of groups in config.byGroups.
func groupKey(sorted []string) string { return strings.Join(sorted, "\x00") }

// Counters returns the denied-operations, denied-data-writes and denied-notifications
// counters (RFC 8341 section 3.5.2).
func (e *Engine) Counters() (ops, writes, notifications uint32) {
	return e.deniedOps.Load(), e.deniedWrites.Load(), e.deniedNotifs.Load()
}

// Load compiles the /nacm configuration of running (root is the document root; a missing
// /nacm means the RFC's defaults). Rules that do not resolve against the schema (an unknown
// module in a path) are skipped and logged: they cannot match anything.
func (e *Engine) Load(root *data.Node) {
	c := defaultConfig()
	var top *data.Node
	if root != nil {
		for _, n := range root.Children() {
			if n.Schema.Module.Namespace == Namespace && n.Schema.Name == "nacm" {
				top = n
			}
		}
	}
	if top != nil {
		c.enabled = boolLeaf(top, "enable-nacm", true)
		c.readDefault = strLeaf(top, "read-default", "permit") == "permit"
		c.writeDefault = strLeaf(top, "write-default", "deny") == "permit"
		c.execDefault = strLeaf(top, "exec-default", "permit") == "permit"
		c.externalGroups = boolLeaf(top, "enable-external-groups", true)
		if g := top.ChildByName("groups"); g != nil {
			for _, grp := range g.Children() {
				if grp.Schema.Name != "group" {
					continue
				}
				name := strLeaf(grp, "name", "")
				for _, u := range grp.Children() {
					if u.Schema.Name == "user-name" {
						c.groups[u.Value.Str] = append(c.groups[u.Value.Str], name)
					}
				}
			}
		}
		for u, gs := range c.groups {
			sort.Strings(gs)
			c.groupKeys[u] = groupKey(gs)
		}
		for _, rl := range top.Children() {
			if rl.Schema.Name != "rule-list" {
				continue
			}
			l := &ruleList{name: strLeaf(rl, "name", ""), groups: map[string]bool{}}
			for _, c := range rl.Children() {
				if c.Schema.Name == "group" {
					l.groups[c.Value.Str] = true
				}
			}
			for _, rn := range rl.Children() {
				if rn.Schema.Name != "rule" {
					continue
				}
				r, err := e.compileRule(l.name, rn)
				if err != nil {
					c.errors = append(c.errors, err.Error())
					e.log.Warn("nacm: rule skipped", "rule-list", l.name, "err", err)
					continue
				}
				l.rules = append(l.rules, r)
			}
			c.lists = append(c.lists, l)
		}
	}
	e.cfg.Store(c)
}

func (e *Engine) compileRule(list string, n *data.Node) (*rule, error) {
	r := &rule{list: list, name: strLeaf(n, "name", ""), module: strLeaf(n, "module-name", "*"),
		ops: parseOps(strLeaf(n, "access-operations", "*")), permit: strLeaf(n, "action", "deny") == "permit"}
	if v := n.ChildByName("rpc-name"); v != nil {
		r.typ, r.opName = rpcType, v.Value.Str
	} else if v := n.ChildByName("notification-name"); v != nil {
		r.typ, r.opName = notifType, v.Value.Str
	} else if v := n.ChildByName("path"); v != nil {
		p, err := compilePath(e.sch, v.Value.Str)
		if err != nil {
			return nil, fmt.Errorf("rule %s: %v", r.name, err)
		}
		r.typ, r.path = dataType, p
	}
	return r, nil
}

func strLeaf(n *data.Node, name, def string) string {
	if c := n.ChildByName(name); c != nil {
		return c.Value.Str
	}
	return def
}

func boolLeaf(n *data.Node, name string, def bool) bool {
	if c := n.ChildByName(name); c != nil {
		return c.Value.Str == "true"
	}
	return def
}

// facts returns the default-deny facts of schema node sn (its extensions and its ancestors').
func (e *Engine) nodeFacts(sn *schema.Node) nodeFacts {
	if sn == nil {
		return nodeFacts{}
	}
	if f, ok := e.facts.Load(sn); ok {
		return f.(nodeFacts)
	}
	f := e.nodeFacts(sn.Parent)
	for _, x := range sn.Extensions() {
		kw, _, _ := strings.Cut(x, " ")
		pfx, name, ok := strings.Cut(kw, ":")
		if !ok {
			continue
		}
		m := sn.Module.Prefixes[pfx]
		if m == nil || m.Namespace != Namespace {
			continue
		}
		switch name {
		case "default-deny-all":
			f.denyAll = true
		case "default-deny-write":
			f.denyWrite = true
		}
	}
	// RFC 8341 treats ietf-netconf's kill-session and delete-config as default-deny-all:
	// the module predates NACM and carries no extension.
	if sn.Module.Name == "ietf-netconf" && sn.Kind == schema.KindRPC && (sn.Name == "kill-session" || sn.Name == "delete-config") {
		f.denyAll = true
	}
	e.facts.Store(sn, f)
	return f
}

// Access is what one session may do: a snapshot of the configuration and the user's rules.
// It caches per schema node and is for one goroutine at a time (one request).
type Access struct {
	e       *Engine
	who     datastore.Who
	cfg     *config
	rs      *ruleSet
	bypass  bool
	readDec map[*schema.Node]*readDecision
}

// ruleSet is the ordered rules of one set of groups, with the read decisions computed so far
// (shared by every request of those groups under one configuration).
type ruleSet struct {
	rules []*rule
	// readsAll is set when the first rule that can decide a read is a permit of every node
	// of every module (the admin's permit-all): replies then need no checks at all.
	readsAll bool
	readDec  sync.Map // *schema.Node -> *readDecision
}

type readDecision struct {
	// keyed rules to check per instance before the static decision
	keyed  []*rule
	permit bool
	by     string
	// idx, when set, replaces the scan of keyed: every keyed rule has one predicate, on the
	// same key of the same list, so the first rule for a key value is one lookup away.
	idx *keyIndex
	// inherit is set when every instance is decided as its parent is (sameDecision): a node
	// whose parent is readable is readable.
	inherit bool
}

// sameDecision reports whether d decides every instance as its parent's decision p does: the
// same keyed rules in the same order (their predicates are on the parent or above, so they
// match the child where they match the parent) and the same static decision by the same rule.
func sameDecision(d, p *readDecision) bool {
	if d.permit != p.permit || d.by != p.by || len(d.keyed) != len(p.keyed) {
		return false
	}
	for i := range d.keyed {
		if d.keyed[i] != p.keyed[i] {
			return false
		}
	}
	return true
}

// keyIndex finds the first keyed rule for an instance by the value of one key of the list
// entry up steps above it.
type keyIndex struct {
	up    int
	key   *schema.Node
	first map[string]*rule
}

// indexKeyed builds the keyIndex of rules when they allow one; sn is the node decided.
func indexKeyed(sn *schema.Node, rules []*rule) *keyIndex {
	if len(rules) == 0 {
		return nil
	}
	var x *keyIndex
	for _, r := range rules {
		step, kp := -1, keyPred{}
		for i, st := range r.path.steps {
			if len(st.keys) == 0 {
				continue
			}
			if step >= 0 || len(st.keys) != 1 || st.sn.Kind != schema.KindList {
				return nil
			}
			step, kp = i, st.keys[0]
		}
		key := r.path.steps[step].sn.Keys()[kp.index]
		up := len(dataChain(sn)) - 1 - step
		if x == nil {
			x = &keyIndex{up: up, key: key, first: map[string]*rule{}}
		} else if x.up != up || x.key != key {
			return nil
		}
		if _, ok := x.first[kp.value]; !ok {
			x.first[kp.value] = r
		}
	}
	return x
}

// lookup returns the first keyed rule for n, nil if none matches.
func (x *keyIndex) lookup(n *data.Node) *rule {
	e := n
	for i := 0; i < x.up && e != nil; i++ {
		e = e.Parent
	}
	if e == nil {
		return nil
	}
	k := e.Child(x.key)
	if k == nil {
		return nil
	}
	return x.first[k.Value.Str]
}

// For returns the access of who under the current configuration.
func (e *Engine) For(who datastore.Who) *Access {
	c := e.cfg.Load()
	a := &Access{e: e, who: who, cfg: c}
	if !c.enabled || who.Session == 0 || (e.opts.RecoveryUser != "" && who.User == e.opts.RecoveryUser) {
		a.bypass = true
		return a
	}
	// A user without external groups (the common case) costs no allocation here: the NACM
	// groups are sorted and keyed once per configuration.
	groups, key := c.groups[who.User], c.groupKeys[who.User]
	if c.externalGroups && e.opts.ExternalGroups != nil {
		if ext := e.opts.ExternalGroups(who.User); len(ext) > 0 {
			groups = append(append([]string(nil), groups...), ext...)
			sort.Strings(groups)
			key = groupKey(groups)
		}
	}
	if rs, ok := c.byGroups.Load(key); ok {
		a.rs = rs.(*ruleSet)
		return a
	}
	gs := map[string]bool{}
	for _, g := range groups {
		gs[g] = true
	}
	rs := &ruleSet{}
	for _, l := range c.lists {
		match := l.groups["*"]
		for g := range l.groups {
			if gs[g] {
				match = true
				break
			}
		}
		if match {
			rs.rules = append(rs.rules, l.rules...)
		}
	}
	for _, r := range rs.rules {
		if r.ops&Read == 0 || r.typ == rpcType || r.typ == notifType {
			continue
		}
		rs.readsAll = r.permit && r.module == "*" && (r.typ == anyType || len(r.path.steps) == 0)
		break
	}
	if v, loaded := c.byGroups.LoadOrStore(key, rs); loaded {
		rs = v.(*ruleSet)
	}
	a.rs = rs
	return a
}

// Bypass reports whether the session is not subject to access control (NACM off, the
// recovery user, the system).
func (a *Access) Bypass() bool { return a.bypass }

// denied counts and logs a denial and returns the access-denied error.
func (a *Access) denyOp(op *schema.Node, by string) *rpcerror.Error {
	a.e.deniedOps.Add(1)
	a.e.log.Info("nacm: operation denied", "user", a.who.User, "session", a.who.Session, "operation", op.Path(), "by", by)
	e := rpcerror.New(rpcerror.Protocol, rpcerror.TagAccessDenied, "access to %s denied", op.Name)
	return e
}

// Exec checks the execution of rpc or action op (RFC 8341 section 3.4.4); target is an
// action's instance (the node of its parent, with its ancestors: server.Request.Target), nil
// for an rpc, against which data-node rules with keys are matched. close-session is always
// permitted. nil means permitted; the error is access-denied.
func (a *Access) Exec(op *schema.Node, target *data.Node) *rpcerror.Error {
	if a.bypass {
		return nil
	}
	if op.Kind == schema.KindRPC && op.Name == "close-session" && op.Module.Name == "ietf-netconf" {
		return nil
	}
	var chain []*schema.Node
	if op.Kind == schema.KindAction {
		chain = dataChain(op)
	}
	for _, r := range a.rs.rules {
		if r.ops&Exec == 0 || !r.moduleMatches(op.Module) {
			continue
		}
		switch r.typ {
		case rpcType:
			if op.Kind != schema.KindRPC || (r.opName != "*" && r.opName != op.Name) {
				continue
			}
		case notifType:
			continue
		case dataType:
			// An action is a data node's operation: a data-node rule over it applies, its
			// keys matched against the target instance.
			if op.Kind != schema.KindAction || !r.path.covers(chain) {
				continue
			}
			if r.path.keyed && (target == nil || !r.path.keysMatch(data.LocOf(target))) {
				continue
			}
		}
		if r.permit {
			return nil
		}
		return a.denyOp(op, "rule "+r.String())
	}
	if a.e.nodeFacts(op).denyAll {
		return a.denyOp(op, "nacm:default-deny-all")
	}
	if !a.cfg.execDefault {
		return a.denyOp(op, "exec-default")
	}
	return nil
}

// dataChain returns the data nodes (and an action's own node) from the top down to sn.
func dataChain(sn *schema.Node) []*schema.Node {
	var chain []*schema.Node
	for p := sn; p != nil; p = p.DataParent() {
		chain = append(chain, p)
	}
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	return chain
}

// readDecisionOf computes the static read decision of schema node sn and the keyed rules
// that come before it.
func (a *Access) readDecisionOf(sn *schema.Node) *readDecision {
	// A plain map per request in front of the group set's shared one: a reply checks each
	// schema node many times.
	if d, ok := a.readDec[sn]; ok {
		return d
	}
	if a.readDec == nil {
		a.readDec = map[*schema.Node]*readDecision{}
	}
	if d, ok := a.rs.readDec.Load(sn); ok {
		a.readDec[sn] = d.(*readDecision)
		return d.(*readDecision)
	}
	d := &readDecision{}
	chain := dataChain(sn)
	decided := false
	for _, r := range a.rs.rules {
		if r.ops&Read == 0 || !r.moduleMatches(sn.Module) {
			continue
		}
		if r.typ == rpcType || r.typ == notifType {
			continue
		}
		if r.typ == dataType && !r.path.covers(chain) {
			continue
		}
		if r.typ == dataType && r.path.keyed {
			d.keyed = append(d.keyed, r)
			continue
		}
		d.permit, d.by, decided = r.permit, "rule "+r.String(), true
		break
	}
	if !decided {
		switch {
		case a.e.nodeFacts(sn).denyAll:
			d.permit, d.by = false, "nacm:default-deny-all"
		default:
			d.permit, d.by = a.cfg.readDefault, "read-default"
		}
	}
	d.idx = indexKeyed(sn, d.keyed)
	if p := sn.DataParent(); p != nil && p.Kind.IsData() {
		d.inherit = sameDecision(d, a.readDecisionOf(p))
	}
	a.rs.readDec.Store(sn, d)
	a.readDec[sn] = d
	return d
}

// readable decides read access to the instance n.
func (a *Access) readable(n *data.Node) bool {
	d := a.readDecisionOf(n.Schema)
	if d.inherit {
		return true // decided like its parent, which the caller found readable
	}
	if len(d.keyed) == 0 {
		return d.permit
	}
	if d.idx != nil {
		if r := d.idx.lookup(n); r != nil {
			return r.permit
		}
		return d.permit
	}
	// Keyed rules the index cannot serve (several predicates, or on several lists).
	loc := data.LocOf(n)
	for _, r := range d.keyed {
		if r.path.keysMatch(loc) {
			return r.permit
		}
	}
	return d.permit
}

// readableLoc decides read access to the node at loc (which need not exist).
func (a *Access) readableLoc(loc data.Loc) bool {
	d := a.readDecisionOf(loc[len(loc)-1].Schema)
	for _, r := range d.keyed {
		if r.path.keysMatch(loc) {
			return r.permit
		}
	}
	return d.permit
}

// ReadsAll reports whether the session may read everything, so that replies need no
// checks (NACM off, the recovery session).
func (a *Access) ReadsAll() bool { return a.bypass || a.rs.readsAll }

// Hidden reports whether the data node n is left out of what the session reads (RFC 8341
// section 3.4.5: read access denied, silently). A hidden node's subtree goes with it; a list
// entry is hidden when one of its keys is. Callers walk trees from the top and ask only about
// nodes whose ancestors are not hidden (the encoder, Prune).
func (a *Access) Hidden(n *data.Node) bool {
	if a.bypass || a.rs.readsAll || n.Schema == nil {
		return false
	}
	sn := n.Schema
	if !a.readable(n) {
		return true
	}
	if sn.Kind == schema.KindList {
		for _, k := range sn.Keys() {
			if kn := n.Child(k); kn != nil && !a.readable(kn) {
				return true
			}
		}
	}
	return false
}

// ReadableLoc reports whether the session may read the node at loc (a path that need not
// exist: the target of a netconf-config-change edit).
func (a *Access) ReadableLoc(loc data.Loc) bool {
	if a.bypass || a.rs.readsAll {
		return true
	}
	for i := range loc {
		if !a.readableLoc(loc[:i+1]) {
			return false
		}
	}
	return true
}

// Notification checks the delivery of the event notification node ev (RFC 8341 section
// 3.4.6): the notification rules and read access to a nested notification's parents. The
// replay and subscription-end events of RFC 5277 are always delivered.
func (a *Access) Notification(ev *data.Node) bool {
	if a.bypass {
		return true
	}
	sn := ev.Schema
	if sn.Module.Name == "nc-notifications" && (sn.Name == "replayComplete" || sn.Name == "notificationComplete") {
		return true
	}
	if sn.DataParent() != nil {
		// Top-down, as Hidden expects.
		var ancs []*data.Node
		for p := ev.Parent; p != nil && p.Schema != nil; p = p.Parent {
			ancs = append(ancs, p)
		}
		for i := len(ancs) - 1; i >= 0; i-- {
			if a.Hidden(ancs[i]) {
				return a.denyNotif(sn, "read access to its parent")
			}
		}
	}
	for _, r := range a.rs.rules {
		if r.ops&Read == 0 || !r.moduleMatches(sn.Module) {
			continue
		}
		switch r.typ {
		case rpcType:
			continue
		case notifType:
			if r.opName != "*" && r.opName != sn.Name {
				continue
			}
		case dataType:
			// A notification defined in data is an event of its parent instance: a rule with
			// keys applies when the instance's keys match.
			if !r.path.covers(dataChain(sn)) || (r.path.keyed && !r.path.keysMatch(data.LocOf(ev))) {
				continue
			}
		}
		if r.permit {
			return true
		}
		return a.denyNotif(sn, "rule "+r.String())
	}
	if a.e.nodeFacts(sn).denyAll {
		return a.denyNotif(sn, "nacm:default-deny-all")
	}
	if !a.cfg.readDefault {
		return a.denyNotif(sn, "read-default")
	}
	return true
}

func (a *Access) denyNotif(sn *schema.Node, by string) bool {
	a.e.deniedNotifs.Add(1)
	a.e.log.Info("nacm: notification withheld", "user", a.who.User, "session", a.who.Session, "notification", sn.Path(), "by", by)
	return false
}

// writeDecision decides op (Create, Update or Delete) on the instance n at loc.
func (a *Access) writeDecision(n *data.Node, op Op, loc data.Loc) (bool, string) {
	sn := n.Schema
	chain := dataChain(sn)
	for _, r := range a.rs.rules {
		if r.ops&op == 0 || !r.moduleMatches(sn.Module) {
			continue
		}
		if r.typ == rpcType || r.typ == notifType {
			continue
		}
		if r.typ == dataType {
			if !r.path.covers(chain) {
				continue
			}
			if r.path.keyed && !r.path.keysMatch(loc) {
				continue
			}
		}
		return r.permit, "rule " + r.String()
	}
	f := a.e.nodeFacts(sn)
	switch {
	case f.denyAll:
		return false, "nacm:default-deny-all"
	case f.denyWrite:
		return false, "nacm:default-deny-write"
	}
	return a.cfg.writeDefault, "write-default"
}

// CheckWrite checks every node a change creates, deletes or updates (RFC 8341 section 3.4.5;
// nodes the server created with their default values are not checked, an explicit value
// giving way to its default is a delete, a non-presence container is not checked itself). The first denial is the error: access-denied
// (error-type application) with the error-path of the denied node.
//
// A change's nodes are located by its Loc (a deleted or replaced node is detached from its
// tree, so its parents no longer say where it was); a change without a Loc replaces a whole
// datastore (Old and New are document roots) or holds attached nodes.
func (a *Access) CheckWrite(changes []data.Change) *rpcerror.Error {
	if a.bypass {
		return nil
	}
	for _, c := range changes {
		n := c.New
		if n == nil {
			n = c.Old
		}
		if n == nil {
			continue
		}
		loc := c.Loc
		if loc == nil && n.Schema != nil {
			loc = data.LocOf(n)
		}
		var err *rpcerror.Error
		switch {
		case c.Old == nil:
			err = a.checkSubtree(c.New, Create, loc)
		case c.New == nil:
			err = a.checkSubtree(c.Old, Delete, loc)
		case c.Old == c.New:
			err = a.checkNode(c.New, Update, loc) // a move of an ordered-by user entry
		default:
			err = a.checkReplace(c.Old, c.New, loc)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (a *Access) checkNode(n *data.Node, op Op, loc data.Loc) *rpcerror.Error {
	// A non-presence container has no meaning of its own (RFC 7950 section 7.5.1): it comes
	// and goes with its children, which are checked, and every rule over it covers them.
	if n.Default || n.Schema == nil || n.Schema.IsNPContainer() {
		return nil
	}
	ok, by := a.writeDecision(n, op, loc)
	if ok {
		return nil
	}
	a.e.deniedWrites.Add(1)
	p := loc.Path()
	a.e.log.Info("nacm: write denied", "user", a.who.User, "session", a.who.Session, "operation", op.String(), "path", p, "by", by)
	e := rpcerror.New(rpcerror.Application, rpcerror.TagAccessDenied, "%s of %s denied", op, p)
	e.Path = p
	return e
}

// childLoc returns the location of c, a child of the node at loc.
func childLoc(loc data.Loc, c *data.Node) data.Loc {
	st := data.Step{Schema: c.Schema}
	if k := c.Schema.Kind; k == schema.KindLeafList || (k == schema.KindList && len(c.Schema.Keys()) > 0) {
		st.Key = c.Key()
	}
	return append(loc[:len(loc):len(loc)], st)
}

func (a *Access) checkSubtree(n *data.Node, op Op, loc data.Loc) *rpcerror.Error {
	if err := a.checkNode(n, op, loc); err != nil {
		return err
	}
	for _, c := range n.Children() {
		if err := a.checkSubtree(c, op, childLoc(loc, c)); err != nil {
			return err
		}
	}
	return nil
}

// checkReplace checks a node replaced in place (at loc): an update of it when its value
// changed, and the creations, deletions and updates between the two subtrees.
func (a *Access) checkReplace(old, nw *data.Node, loc data.Loc) *rpcerror.Error {
	// nw is a document root when a whole datastore is replaced (startup).
	if nw.Schema != nil && nw.Schema.Kind != schema.KindContainer && nw.Schema.Kind != schema.KindList {
		switch {
		case !old.Default && nw.Default:
			// The explicit value is gone; the default the server put back is not checked.
			return a.checkNode(old, Delete, loc)
		case old.Value.Str != nw.Value.Str || (old.Default && !nw.Default):
			return a.checkNode(nw, Update, loc)
		}
		return nil
	}
	type k struct {
		sn  *schema.Node
		key string
	}
	olds := map[k]*data.Node{}
	for _, c := range old.Children() {
		olds[k{c.Schema, c.Key()}] = c
	}
	for _, c := range nw.Children() {
		key := k{c.Schema, c.Key()}
		if o, ok := olds[key]; ok {
			delete(olds, key)
			if err := a.checkReplace(o, c, childLoc(loc, c)); err != nil {
				return err
			}
			continue
		}
		if err := a.checkSubtree(c, Create, childLoc(loc, c)); err != nil {
			return err
		}
	}
	for _, c := range old.Children() {
		if _, gone := olds[k{c.Schema, c.Key()}]; gone {
			if err := a.checkSubtree(c, Delete, childLoc(loc, c)); err != nil {
				return err
			}
		}
	}
	return nil
}

// CheckWrite implements the datastore's access control: who's changes of target.
func (e *Engine) CheckWrite(ctx context.Context, who datastore.Who, target datastore.Name, changes []data.Change) rpcerror.List {
	if err := e.For(who).CheckWrite(changes); err != nil {
		return rpcerror.List{err}
	}
	return nil
}

// ReadablePath reports whether the session may read the node at an instance-identifier (RFC
// 7951 form: module names as prefixes). A path that does not resolve is not readable.
func (a *Access) ReadablePath(p string) bool {
	if a.bypass {
		return true
	}
	cp, err := compilePath(a.e.sch, p)
	if err != nil {
		return false
	}
	loc := make(data.Loc, len(cp.steps))
	for i, st := range cp.steps {
		loc[i].Schema = st.sn
		switch {
		case st.sn.Kind == schema.KindLeafList && len(st.keys) == 1:
			loc[i].Key = st.keys[0].value
		case st.sn.Kind == schema.KindList && len(st.keys) == len(st.sn.Keys()):
			vals := make([]string, len(st.keys))
			for _, k := range st.keys {
				vals[k.index] = k.value
			}
			loc[i].Key = strings.Join(vals, "\x00")
		}
	}
	return a.ReadableLoc(loc)
}
