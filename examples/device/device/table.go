package device

import (
	"cmp"
	"maps"
	"net/netip"
	"slices"

	"github.com/ncws/ncws/generated/example"
	"github.com/ncws/ncws/pkg/genimpl"
)

// A route is one candidate of the routing table.
type route struct {
	e      *example.NcwsExample_Routing_Table_Entry
	net    netip.Prefix // the destination, masked (invalid when it does not parse)
	usable bool
	metric uint32
}

// table computes the routing table from the ports and the static routes (d.mu held).
func (d *Device) table() []*example.NcwsExample_Routing_Table_Entry {
	var rs, conn []*route
	connected := map[string]*route{}
	for _, name := range slices.Sorted(maps.Keys(d.ports)) {
		p := d.ports[name]
		for _, a := range p.cfg.Address {
			pfx, err := netip.ParsePrefix(a)
			if err != nil {
				continue
			}
			pfx = pfx.Masked()
			key := pfx.String()
			r := &route{net: pfx, usable: p.up(), e: &example.NcwsExample_Routing_Table_Entry{
				Prefix: genimpl.Ptr(key), Protocol: genimpl.Ptr(example.NcwsExample_RouteProtocol_Connected),
				Interface: genimpl.Ptr(name),
			}}
			// A subnet on two interfaces (a device would refuse it): one route, the first
			// interface that is up.
			if have := connected[key]; have != nil {
				if !have.usable && r.usable {
					*have = *r
				}
				continue
			}
			connected[key] = r
			rs = append(rs, r)
			conn = append(conn, r)
		}
	}
	for _, prefix := range slices.Sorted(maps.Keys(d.routes)) {
		sr := d.routes[prefix]
		r := &route{metric: 1, e: &example.NcwsExample_Routing_Table_Entry{Prefix: genimpl.Ptr(prefix), Protocol: genimpl.Ptr(example.NcwsExample_RouteProtocol_Static)}}
		if pfx, err := netip.ParsePrefix(prefix); err == nil {
			r.net = pfx.Masked()
		}
		if sr.Metric != nil {
			r.metric = *sr.Metric
		}
		r.e.Metric = genimpl.Ptr(r.metric)
		switch {
		case sr.Discard:
			r.e.Discard = true
			r.usable = true
		case sr.OutgoingInterface != nil:
			r.e.NextHop = sr.Gateway
			r.e.Interface = sr.OutgoingInterface
			p := d.ports[*sr.OutgoingInterface]
			r.usable = p != nil && p.up()
		case sr.Gateway != nil:
			r.e.NextHop = sr.Gateway
			if via := resolve(conn, *sr.Gateway); via != nil {
				r.e.Interface = via.e.Interface
				r.usable = true
			}
		}
		rs = append(rs, r)
	}

	// The best usable route of each prefix is active: connected first, then the lowest metric.
	best := map[string]*route{}
	for _, r := range rs {
		key := destKey(r)
		if !r.usable {
			continue
		}
		if b := best[key]; b == nil || better(r, b) {
			best[key] = r
		}
	}
	slices.SortStableFunc(rs, func(a, b *route) int {
		if c := comparePrefix(a, b); c != 0 {
			return c
		}
		return cmp.Compare(*a.e.Protocol, *b.e.Protocol)
	})
	out := make([]*example.NcwsExample_Routing_Table_Entry, len(rs))
	for i, r := range rs {
		r.e.Active = genimpl.Ptr(best[destKey(r)] == r)
		out[i] = r.e
	}
	return out
}

// resolve returns the usable connected route with the longest prefix holding gateway, nil if
// none.
func resolve(connected []*route, gateway string) *route {
	addr, err := netip.ParseAddr(gateway)
	if err != nil {
		return nil
	}
	var via *route
	for _, r := range connected {
		if r.usable && r.net.Contains(addr) && (via == nil || r.net.Bits() > via.net.Bits()) {
			via = r
		}
	}
	return via
}

func destKey(r *route) string {
	if r.net.IsValid() {
		return r.net.String()
	}
	return *r.e.Prefix
}

// better reports whether r beats b for one prefix: connected before static, then a lower
// metric.
func better(r, b *route) bool {
	if *r.e.Protocol != *b.e.Protocol {
		return *r.e.Protocol == example.NcwsExample_RouteProtocol_Connected
	}
	return r.metric < b.metric
}

// comparePrefix orders destinations: IPv4 before IPv6, by address, then by prefix length.
func comparePrefix(a, b *route) int {
	if a.net.IsValid() && b.net.IsValid() {
		if c := a.net.Addr().Compare(b.net.Addr()); c != 0 {
			return c
		}
		return cmp.Compare(a.net.Bits(), b.net.Bits())
	}
	return cmp.Compare(*a.e.Prefix, *b.e.Prefix)
}
