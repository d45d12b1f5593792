package server

import (
	"context"

	"github.com/ncws/ncws/internal/filter"
	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

// Filters by reference (RFC 8639 section 2.3 and the filters container of its module, RFC 8641
// section 3.6): a stream subscription's stream-filter-name names an entry of
// /sn:filters/sn:stream-filter, a datastore subscription's selection-filter-ref an entry of
// /sn:filters/yp:selection-filter, both configuration in running.
//
// The filter is read from running when the subscription is established (or modified). A
// commit that changes the filters is followed: a subscription whose referenced filter changed
// gets the new filter and its receiver a subscription-modified notification with its terms (the
// reference, not the filter's text); one whose filter was deleted, or whose new content does not
// compile, is terminated with subscription-terminated, reason filter-unavailable. A name
// missing from running when the subscription is asked for is refused by the rpc's validation
// (RFC 7950 section 15.5: data-missing, app-tag instance-required, the path of the leaf).
//
// An XPath filter configured in running has no namespace context of its own (the prefixes
// declared around it in the edit-config are not kept with a string leaf): its prefixes are
// module names or the modules' own prefixes.

// filterRef is a subscription's named filter: name set when the subscription uses one.
type filterRef struct {
	name      string
	selection bool // a yp:selection-filter (datastore subscription), else an sn:stream-filter
}

// filterNodes are the schema nodes of the filters container: nil when the schema lacks them.
func (srv *Server) filterNodes() (top, stream, selection *schema.Node) {
	sch := srv.Store.Schema()
	snm, ypm := sch.ModuleByNamespace(nsSN), sch.ModuleByNamespace(nsYP)
	if snm == nil {
		return nil, nil, nil
	}
	top = sch.Top(snm, "filters")
	if top == nil {
		return nil, nil, nil
	}
	stream = top.Child(snm, "stream-filter")
	if ypm != nil {
		selection = top.Child(ypm, "selection-filter")
	}
	return top, stream, selection
}

// configuredFilter is the text of a named filter as running holds it.
type configuredFilter struct {
	found        bool
	subtree      string
	xpath        string
	hasSubtree   bool
	hasXPath     bool
	unsupportedT string // a filter-spec case this server does not know
}

// lookupFilter finds ref in the filters container root (a copy of running's /sn:filters, or
// running's root).
func (srv *Server) lookupFilter(filters *data.Node, ref filterRef) configuredFilter {
	_, stream, selection := srv.filterNodes()
	list := stream
	if ref.selection {
		list = selection
	}
	if filters == nil || list == nil {
		return configuredFilter{}
	}
	e := filters.Find(list, ref.name)
	if e == nil {
		return configuredFilter{}
	}
	cf := configuredFilter{found: true}
	for _, c := range e.Children() {
		switch c.Schema.Name {
		case "stream-subtree-filter", "datastore-subtree-filter":
			cf.subtree, cf.hasSubtree = c.Value.Str, true
		case "stream-xpath-filter", "datastore-xpath-filter":
			cf.xpath, cf.hasXPath = c.Value.Str, true
		}
	}
	return cf
}

// runningFilters returns a copy of running's /sn:filters, nil when there is none.
func (srv *Server) runningFilters() *data.Node {
	top, _, _ := srv.filterNodes()
	if top == nil {
		return nil
	}
	var out *data.Node
	srv.Store.Read(datastore.Running, func(root *data.Node) {
		if f := root.Child(top); f != nil {
			out = f.Clone()
		}
	})
	return out
}

// compileConfigured compiles a configured filter for a subscription (stream: a stream filter,
// whose XPath is converted to a boolean).
func (srv *Server) compileConfigured(cf configuredFilter, stream bool) (*filter.Filter, *rpcerror.Error) {
	sch := srv.Store.Schema()
	switch {
	case cf.hasSubtree:
		return filter.Subtree([]byte(cf.subtree), sch)
	case cf.hasXPath:
		compile := filter.XPath
		if stream {
			compile = filter.XPathMatch
		}
		return compile(cf.xpath, srv.xpathNamespaces(context.Background(), nil), sch)
	}
	return nil, nil // an entry without a filter selects everything
}

// configuredXPath is a configured filter's XPath with module names as prefixes, the form a
// subscription keeps ("" when it has none).
func (srv *Server) configuredXPath(cf configuredFilter) string {
	if !cf.hasXPath {
		return ""
	}
	return withModuleNames(cf.xpath, srv.xpathNamespaces(context.Background(), nil), srv.Store.Schema())
}

// resolveRef reads the named filter of p from running and sets p's filter from it. A missing
// entry (the rpc's validation checked it; a commit may have deleted it since) is the
// leafref's error; one that does not compile is filter-unsupported.
func (srv *Server) resolveRef(p *subParams, info string) *rpcerror.Error {
	cf := srv.lookupFilter(srv.runningFilters(), p.ref)
	if !cf.found {
		e := rpcerror.New(rpcerror.Application, rpcerror.TagDataMissing, "no configured filter %q", p.ref.name)
		e.AppTag = "instance-required"
		e.Path = p.refPath
		return e
	}
	f, rerr := srv.compileConfigured(cf, !p.ref.selection)
	if rerr != nil {
		return subError(rpcerror.TagInvalidValue, infoNamespace(info), snModule(infoNamespace(info)), "filter-unsupported", info,
			rerr.Message, "configured filter %q: %s", p.ref.name, rerr.Message)
	}
	p.f, p.filterXML, p.filterXPath, p.hasFilter = f, cf.subtree, srv.configuredXPath(cf), true
	return nil
}

// followFilters starts following commits to running's filters, once: a commit that touches
// /sn:filters hands a copy of the new container to the goroutine that applies it.
func (srv *Server) followFilters() {
	srv.filterOnce.Do(func() {
		top, _, _ := srv.filterNodes()
		if top == nil {
			return
		}
		srv.filterSignal = make(chan struct{}, 1)
		srv.Store.Watch(func(c *datastore.Commit) {
			touched := false
			for _, ch := range c.Changes {
				for _, n := range []*data.Node{ch.Old, ch.New} {
					if n != nil && topOf(n) == top {
						touched = true
					}
				}
			}
			if !touched {
				return
			}
			var snap *data.Node
			if f := c.Running.Child(top); f != nil {
				snap = f.Clone()
			}
			srv.filterMu.Lock()
			srv.filterSnap, srv.filterNew = snap, true
			srv.filterMu.Unlock()
			select {
			case srv.filterSignal <- struct{}{}:
			default:
			}
		})
		go srv.applyFilters()
	})
}

// topOf returns the schema node of n's top-level ancestor (n's own when it is top-level).
func topOf(n *data.Node) *schema.Node {
	for n.Parent != nil && n.Parent.Schema != nil {
		n = n.Parent
	}
	return n.Schema
}

// applyFilters applies the newest filters to the subscriptions that refer to them: only the
// latest configuration matters, so snapshots that arrive meanwhile replace each other.
func (srv *Server) applyFilters() {
	for range srv.filterSignal {
		srv.filterMu.Lock()
		snap, fresh := srv.filterSnap, srv.filterNew
		srv.filterSnap, srv.filterNew = nil, false
		srv.filterMu.Unlock()
		if !fresh {
			continue
		}
		srv.nmu.Lock()
		for _, sub := range srv.dsubs {
			if sub.ref.name == "" {
				continue
			}
			cf := srv.lookupFilter(snap, sub.ref)
			if cf.found && cf.subtree == sub.filterXML && srv.configuredXPath(cf) == sub.filterXPath {
				continue
			}
			var f *filter.Filter
			var rerr *rpcerror.Error
			if cf.found {
				f, rerr = srv.compileConfigured(cf, sub.stream != "")
			}
			if !cf.found || rerr != nil {
				srv.Logger.Info("server: a subscription's filter is gone or unusable; terminating it",
					"subscription", sub.id, "filter", sub.ref.name)
				srv.removeSub(sub)
				srv.enqueue(sub, outItem{msg: srv.stateEventFor(sub, "subscription-terminated", "filter-unavailable"), control: true})
				continue
			}
			srv.forgetStateBase(sub)
			sub.filter, sub.filterXML, sub.filterXPath = f, cf.subtree, srv.configuredXPath(cf)
			if sub.onChange && sub.ds == datastore.Operational && !sub.pollState && srv.selectsState(f) {
				// Polling starts with the new filter; a subscription that polled keeps polling
				// (a reading with nothing selected is cheap).
				sub.pollState = true
				srv.schedulePoll(sub, sub.gen.Load())
			}
			srv.enqueue(sub, outItem{msg: srv.modifiedEvent(sub), control: true})
		}
		srv.nmu.Unlock()
	}
}
