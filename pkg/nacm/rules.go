package nacm

import (
	"fmt"
	"strings"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
)

// Namespace is ietf-netconf-acm's.
const Namespace = "urn:ietf:params:xml:ns:yang:ietf-netconf-acm"

// Op is a set of access operations (RFC 8341 section 3.2.2, access-operations-type).
type Op uint8

// The access operations.
const (
	Create Op = 1 << iota
	Read
	Update
	Delete
	Exec
	All = Create | Read | Update | Delete | Exec
)

var opNames = []struct {
	op   Op
	name string
}{{Create, "create"}, {Read, "read"}, {Update, "update"}, {Delete, "delete"}, {Exec, "exec"}}

// String returns the operation names, space-separated.
func (o Op) String() string {
	var s []string
	for _, n := range opNames {
		if o&n.op != 0 {
			s = append(s, n.name)
		}
	}
	return strings.Join(s, " ")
}

func parseOps(s string) Op {
	s = strings.TrimSpace(s)
	if s == "*" {
		return All
	}
	var o Op
	for _, f := range strings.Fields(s) {
		for _, n := range opNames {
			if f == n.name {
				o |= n.op
			}
		}
	}
	return o
}

// ruleType is what a rule applies to.
type ruleType uint8

const (
	anyType ruleType = iota // no rule-type: every operation, notification and data node
	rpcType
	notifType
	dataType
)

// rule is one compiled /nacm/rule-list/rule.
type rule struct {
	list, name string
	module     string // "*" or a module name
	typ        ruleType
	opName     string // rpc-name or notification-name ("*" matches all)
	path       *path  // data-node rules
	ops        Op
	permit     bool
}

// String names the rule for logs: "rule-list/rule".
func (r *rule) String() string { return r.list + "/" + r.name }

func (r *rule) moduleMatches(m *schema.Module) bool {
	return r.module == "*" || (m != nil && r.module == m.Name)
}

// path is a compiled node-instance-identifier: schema nodes from the top, with key predicates.
type path struct {
	text  string
	steps []pathStep // empty: "/" (everything)
	keyed bool       // some step has predicates
}

type pathStep struct {
	sn *schema.Node
	// keys are the predicates: key leaf index (in sn.Keys) and canonical value; for a
	// leaf-list, index -1 and the value.
	keys []keyPred
}

type keyPred struct {
	index int
	value string
}

// covers reports whether the schema chain of a node (data nodes from the top) lies at or below
// the path's target.
func (p *path) covers(chain []*schema.Node) bool {
	if len(chain) < len(p.steps) {
		return false
	}
	for i, st := range p.steps {
		if chain[i] != st.sn {
			return false
		}
	}
	return true
}

// keysMatch reports whether the instance's list entries along the path carry the predicates'
// values; loc is the instance's location (at least as deep as the path).
func (p *path) keysMatch(loc data.Loc) bool {
	for i, st := range p.steps {
		if len(st.keys) == 0 {
			continue
		}
		if i >= len(loc) {
			return false
		}
		key := loc[i].Key
		if st.sn.Kind == schema.KindLeafList {
			if key != st.keys[0].value {
				return false
			}
			continue
		}
		parts := []string{key}
		if len(st.sn.Keys()) > 1 {
			parts = strings.Split(key, "\x00")
		}
		for _, kp := range st.keys {
			if kp.index >= len(parts) || parts[kp.index] != kp.value {
				return false
			}
		}
	}
	return true
}

// compilePath resolves a node-instance-identifier ("/ex:interfaces/ex:interface[ex:name='eth0']")
// against sch. A prefix is a module name (RFC 7951 form) or a module's own prefix (the XML
// form's prefixes, whose namespace declarations the stored value no longer carries, resolve
// when they are the module's prefix). "/" is every node.
func compilePath(sch *schema.Schema, text string) (*path, error) {
	p := &path{text: text}
	s := strings.TrimSpace(text)
	if s == "/" {
		return p, nil
	}
	if !strings.HasPrefix(s, "/") {
		return nil, fmt.Errorf("path %q is not absolute", text)
	}
	var parent *schema.Node
	var mod *schema.Module
	for _, raw := range schema.SplitPath(s[1:]) {
		name, preds, err := splitPredicates(raw)
		if err != nil {
			return nil, fmt.Errorf("path %q: %v", text, err)
		}
		pfx, local, ok := strings.Cut(name, ":")
		if ok {
			if mod = moduleByPrefix(sch, pfx); mod == nil {
				return nil, fmt.Errorf("path %q: unknown prefix %q", text, pfx)
			}
		} else {
			local = pfx
			if mod == nil {
				return nil, fmt.Errorf("path %q: the first step needs a prefix", text)
			}
		}
		var sn *schema.Node
		if parent == nil {
			sn = sch.Top(mod, local)
		} else if sn = parent.Child(mod, local); sn == nil {
			// An action or a notification defined in data (RFC 7950 sections 7.15, 7.16):
			// a data-node rule over it decides its exec or its delivery.
			sn = parent.Operation(mod, local)
		}
		if sn == nil {
			return nil, fmt.Errorf("path %q: no node %s:%s", text, mod.Name, local)
		}
		st := pathStep{sn: sn}
		for _, pr := range preds {
			kp, err := compilePred(sch, sn, pr)
			if err != nil {
				return nil, fmt.Errorf("path %q: %v", text, err)
			}
			st.keys = append(st.keys, kp)
			p.keyed = true
		}
		p.steps = append(p.steps, st)
		parent = sn
	}
	return p, nil
}

func moduleByPrefix(sch *schema.Schema, pfx string) *schema.Module {
	if m := sch.Module(pfx); m != nil {
		return m
	}
	var found *schema.Module
	for _, m := range sch.Modules {
		if m.Prefix == pfx {
			if found != nil && found.Name != m.Name {
				return nil // ambiguous
			}
			found = m
		}
	}
	return found
}

// splitPredicates separates "name[k='v'][k2='v2']" into the name and the predicate bodies.
func splitPredicates(step string) (string, []string, error) {
	i := strings.IndexByte(step, '[')
	if i < 0 {
		return strings.TrimSpace(step), nil, nil
	}
	name := strings.TrimSpace(step[:i])
	var preds []string
	rest := step[i:]
	for len(rest) > 0 {
		if rest[0] != '[' {
			return "", nil, fmt.Errorf("bad predicate in %q", step)
		}
		var quote byte
		end := -1
		for j := 1; j < len(rest); j++ {
			c := rest[j]
			if quote != 0 {
				if c == quote {
					quote = 0
				}
				continue
			}
			if c == '\'' || c == '"' {
				quote = c
			} else if c == ']' {
				end = j
				break
			}
		}
		if end < 0 {
			return "", nil, fmt.Errorf("unterminated predicate in %q", step)
		}
		preds = append(preds, rest[1:end])
		rest = strings.TrimSpace(rest[end+1:])
	}
	return name, preds, nil
}

// compilePred compiles "pfx:key='value'" (or ".='value'" for a leaf-list) on schema node sn.
func compilePred(sch *schema.Schema, sn *schema.Node, pred string) (keyPred, error) {
	lhs, rhs, ok := strings.Cut(pred, "=")
	if !ok {
		return keyPred{}, fmt.Errorf("predicate %q is not name='value'", pred)
	}
	lhs, rhs = strings.TrimSpace(lhs), strings.TrimSpace(rhs)
	if len(rhs) < 2 || (rhs[0] != '\'' && rhs[0] != '"') || rhs[len(rhs)-1] != rhs[0] {
		return keyPred{}, fmt.Errorf("predicate %q: the value must be quoted", pred)
	}
	lit := rhs[1 : len(rhs)-1]
	parse := func(leaf *schema.Node) (string, error) {
		v, err := data.ParseValue(leaf.Type, lit, func(p string) *schema.Module { return moduleByPrefix(sch, p) })
		if err != nil {
			return "", fmt.Errorf("predicate %q: %s", pred, err.Message)
		}
		return v.Str, nil
	}
	if lhs == "." {
		if sn.Kind != schema.KindLeafList {
			return keyPred{}, fmt.Errorf("predicate %q on %s, which is not a leaf-list", pred, sn.Name)
		}
		v, err := parse(sn)
		return keyPred{index: -1, value: v}, err
	}
	if _, local, ok := strings.Cut(lhs, ":"); ok {
		lhs = local
	}
	for i, k := range sn.Keys() {
		if k.Name == lhs {
			v, err := parse(k)
			return keyPred{index: i, value: v}, err
		}
	}
	return keyPred{}, fmt.Errorf("predicate %q: %s has no key %q", pred, sn.Name, lhs)
}
