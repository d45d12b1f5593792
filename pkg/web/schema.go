package web

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/ncws/ncws/pkg/schema"
)

// SchemaVersion is the version of the schema description's format (its "version" member).
const SchemaVersion = 1

// The schema description MarshalSchema writes, for pages that build trees and forms from the
// compiled schema without parsing YANG. Field names are short: the whole of OpenConfig is
// about 15,000 nodes.
type schemaDoc struct {
	Version       int         `json:"version"`
	Modules       []moduleDoc `json:"modules"`
	Types         []typeDoc   `json:"types"`
	Data          []*nodeDoc  `json:"data"`
	RPCs          []*nodeDoc  `json:"rpcs"`
	Notifications []*nodeDoc  `json:"notifications"`
	Nodes         int         `json:"nodeCount"`
}

type moduleDoc struct {
	Name        string   `json:"name"`
	Revision    string   `json:"revision,omitempty"`
	Namespace   string   `json:"namespace"`
	Prefix      string   `json:"prefix"`
	Implemented bool     `json:"implemented"`
	Features    []string `json:"features,omitempty"`
	YangVersion string   `json:"yangVersion,omitempty"`
}

// nodeDoc is one schema node. Choice and case are kept as nodes (the page shows them as
// groupings); their data children are theirs.
type nodeDoc struct {
	Name        string     `json:"n"`
	Module      int        `json:"m"`              // index into modules
	Kind        string     `json:"k"`              // the YANG keyword
	State       bool       `json:"s,omitempty"`    // config false
	Keys        []string   `json:"keys,omitempty"` // list keys, in order
	Mandatory   bool       `json:"mand,omitempty"`
	Presence    bool       `json:"pres,omitempty"`
	Type        *int       `json:"t,omitempty"` // index into types, leaves and leaf-lists
	Default     []string   `json:"def,omitempty"`
	Units       string     `json:"u,omitempty"`
	Min         uint64     `json:"min,omitempty"`
	Max         uint64     `json:"max,omitempty"`
	UserOrdered bool       `json:"ord,omitempty"`
	Description string     `json:"d,omitempty"`
	Children    []*nodeDoc `json:"c,omitempty"`
}

// typeDoc is a resolved type. Ranges and lengths are [min, max] pairs as strings (decimal64
// bounds scaled back to their decimal form).
type typeDoc struct {
	Base        string      `json:"b"`
	Name        string      `json:"name,omitempty"`
	Range       [][2]string `json:"range,omitempty"`
	Length      [][2]string `json:"len,omitempty"`
	Patterns    []patDoc    `json:"pat,omitempty"`
	Enums       []string    `json:"enum,omitempty"`
	Bits        []string    `json:"bits,omitempty"`
	Fraction    int         `json:"fd,omitempty"`
	Path        string      `json:"path,omitempty"`   // leafref path as written
	Target      string      `json:"target,omitempty"` // leafref target's schema path
	Identities  []string    `json:"ids,omitempty"`    // identityref: "module:name" of every valid identity
	Union       []int       `json:"union,omitempty"`  // member types, indexes into types
	Description string      `json:"-"`
}

type patDoc struct {
	// Re is the pattern in the regular-expression syntax shared by Go and JavaScript (with the
	// "u" flag), anchored; XSD's syntax converted by the schema compiler.
	Re     string `json:"re"`
	Invert bool   `json:"inv,omitempty"`
	Msg    string `json:"msg,omitempty"`
}

type exporter struct {
	mods  map[*schema.Module]int
	doc   *schemaDoc
	types map[*schema.Type]int
	byKey map[string]int
	count int
}

// MarshalSchema describes s as JSON for the NMS page (served at /schema.json): modules, the
// schema tree of data nodes with rpcs, actions and notifications, and the resolved types (ranges,
// lengths, patterns, enums, bits, identityref values, leafref targets), deduplicated into a
// table. The format is versioned by SchemaVersion and documented in the package doc.
func MarshalSchema(s *schema.Schema) ([]byte, error) {
	e := &exporter{mods: map[*schema.Module]int{}, doc: &schemaDoc{Version: SchemaVersion},
		types: map[*schema.Type]int{}, byKey: map[string]int{}}
	for i, m := range s.Modules {
		e.mods[m] = i
		md := moduleDoc{Name: m.Name, Revision: m.Revision, Namespace: m.Namespace, Prefix: m.Prefix,
			Implemented: m.Implemented, YangVersion: m.YangVersion}
		for _, f := range m.Features {
			if f.Enabled {
				md.Features = append(md.Features, f.Name)
			}
		}
		e.doc.Modules = append(e.doc.Modules, md)
	}
	e.doc.Types = []typeDoc{}
	e.doc.Data, e.doc.RPCs, e.doc.Notifications = []*nodeDoc{}, []*nodeDoc{}, []*nodeDoc{}
	seen := map[*schema.Node]bool{}
	for _, m := range s.Modules {
		for _, n := range m.Data {
			if !seen[n] {
				seen[n] = true
				e.doc.Data = append(e.doc.Data, e.node(n))
			}
		}
	}
	// Nodes augmented into import-only modules' trees are reached through their targets above
	// only when the target module is listed; TopNodes covers the rest.
	for _, n := range s.TopNodes() {
		if !seen[n] && !seenAncestor(n, seen) {
			seen[n] = true
			e.doc.Data = append(e.doc.Data, e.node(n))
		}
	}
	for _, m := range s.Modules {
		if !m.Implemented {
			continue
		}
		for _, n := range m.RPCs {
			e.doc.RPCs = append(e.doc.RPCs, e.node(n))
		}
		for _, n := range m.Notifications {
			e.doc.Notifications = append(e.doc.Notifications, e.node(n))
		}
	}
	e.doc.Nodes = e.count
	return json.Marshal(e.doc)
}

func seenAncestor(n *schema.Node, seen map[*schema.Node]bool) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if seen[p] {
			return true
		}
	}
	return false
}

func (e *exporter) node(n *schema.Node) *nodeDoc {
	e.count++
	d := &nodeDoc{Name: n.Name, Module: e.mods[n.Module], Kind: n.Kind.String(), State: !n.Config,
		Mandatory: n.Mandatory, Presence: n.Presence() != "", Default: n.Default(), Units: n.Units(),
		Min: n.MinElements(), Max: n.MaxElements(), UserOrdered: n.OrderedByUser,
		Description: shorten(n.Description())}
	if n.Kind == schema.KindRPC || n.Kind == schema.KindNotification || n.Kind == schema.KindInput ||
		n.Kind == schema.KindOutput || n.Kind == schema.KindAction {
		d.State = false // config does not apply
	}
	for _, k := range n.Keys() {
		d.Keys = append(d.Keys, k.Name)
	}
	if n.Type != nil {
		i := e.typ(n.Type)
		d.Type = &i
	}
	for _, c := range n.Children {
		d.Children = append(d.Children, e.node(c))
	}
	return d
}

// shorten keeps a description's first paragraph, whitespace folded, at most 400 bytes: enough
// for a tooltip, and it keeps OpenConfig's description small.
func shorten(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "\n\n"); i >= 0 {
		s = s[:i]
	}
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 400 {
		cut := 400
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func (e *exporter) typ(t *schema.Type) int {
	if i, ok := e.types[t]; ok {
		return i
	}
	d := typeDoc{Base: t.Base.String(), Name: t.Name, Fraction: t.FractionDigits}
	if t.Typedef != "" && t.Module != nil {
		d.Name = t.Module.Name + ":" + t.Typedef
	}
	for _, r := range t.Range {
		d.Range = append(d.Range, [2]string{scaled(r.Min, t), scaled(r.Max, t)})
	}
	for _, r := range t.Length {
		d.Length = append(d.Length, [2]string{r.Min.String(), r.Max.String()})
	}
	for _, p := range t.Patterns {
		re := ""
		if r := p.Regexp(); r != nil {
			re = r.String()
		}
		d.Patterns = append(d.Patterns, patDoc{Re: re, Invert: p.Invert, Msg: p.ErrorMessage})
	}
	for _, en := range t.Enums {
		d.Enums = append(d.Enums, en.Name)
	}
	for _, b := range t.Bits {
		d.Bits = append(d.Bits, b.Name)
	}
	if t.Base == schema.Leafref {
		d.Path = t.Path
		if t.Target != nil {
			d.Target = t.Target.Path()
		}
	}
	if len(t.Bases) > 0 {
		d.Identities = identities(t.Bases)
	}
	for _, u := range t.Union {
		d.Union = append(d.Union, e.typ(u))
	}
	key, _ := json.Marshal(d)
	if i, ok := e.byKey[string(key)]; ok {
		e.types[t] = i
		return i
	}
	i := len(e.doc.Types)
	e.doc.Types = append(e.doc.Types, d)
	e.types[t] = i
	e.byKey[string(key)] = i
	return i
}

// identities lists the identities derived from every base (RFC 7950 9.10.2), sorted.
func identities(bases []*schema.Identity) []string {
	var out []string
	for _, cand := range bases[0].Derived {
		ok := true
		for _, b := range bases[1:] {
			if !cand.DerivedFrom(b) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, cand.Module.Name+":"+cand.Name)
		}
	}
	sort.Strings(out)
	return out
}

// scaled writes a range bound in the type's form: decimal64 bounds are stored scaled by
// 10^fraction-digits.
func scaled(n schema.Number, t *schema.Type) string {
	s := n.String()
	if t.Base != schema.Decimal64 || t.FractionDigits == 0 {
		return s
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for len(s) <= t.FractionDigits {
		s = "0" + s
	}
	s = s[:len(s)-t.FractionDigits] + "." + s[len(s)-t.FractionDigits:]
	if neg {
		s = "-" + s
	}
	return s
}
