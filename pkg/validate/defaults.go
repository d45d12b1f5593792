package validate

import (
	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
)

// AddDefaults creates under n, and under its container and list-entry descendants, the
// default leaves and leaf-lists (RFC 7950 sections 7.6.1, 7.7.2) and the non-presence
// containers holding them that are missing, the default case of a choice none of whose cases
// is present included (section 7.9.3). It serves trees Validate does not handle, such as the
// input of an rpc or action, which a server processes with its defaults in place (section
// 7.14.2) and the output a client reads (section 7.14.3). when conditions on the defaults are
// not evaluated. The created nodes are marked Default.
func AddDefaults(n *data.Node) {
	for _, c := range n.Children() {
		if c.Schema != nil && (c.Schema.Kind == schema.KindContainer || c.Schema.Kind == schema.KindList) {
			AddDefaults(c)
		}
	}
	if n.Schema != nil {
		addDefaultKids(n, n.Schema.Children)
	}
}

func addDefaultKids(n *data.Node, kids []*schema.Node) {
	for _, c := range kids {
		switch c.Kind {
		case schema.KindLeaf, schema.KindLeafList:
			if len(c.Default()) == 0 || n.Child(c) != nil {
				continue
			}
			for _, d := range c.Default() {
				l := data.NewLeaf(c, parseDefault(c, d))
				l.Default = true
				n.Add(l)
			}
		case schema.KindContainer:
			if c.Presence() != "" || n.Child(c) != nil {
				continue
			}
			k := data.New(c)
			addDefaultKids(k, c.Children)
			if len(k.Children()) > 0 {
				k.Default = true
				n.Add(k)
			}
		case schema.KindChoice:
			if hasCase(n, c) {
				continue
			}
			switch d := c.DefaultCase(); {
			case d == nil:
			case d.Kind == schema.KindCase:
				addDefaultKids(n, d.Children)
			default:
				addDefaultKids(n, []*schema.Node{d})
			}
		}
	}
}

// hasCase reports whether n holds a node of any case of choice ch.
func hasCase(n *data.Node, ch *schema.Node) bool {
	for _, c := range n.Children() {
		if c.Schema != nil && caseUnder(c.Schema, ch) != nil {
			return true
		}
	}
	return false
}
