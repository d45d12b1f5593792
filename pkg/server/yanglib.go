package server

import (
	"context"
	"sort"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/schema"
)

// The names of the yang-library's module sets and schemas (RFC 8525 section 3): the
// configuration datastores (running, candidate, startup, intended) share the schema of the
// modules that define configuration; the operational datastore's schema adds the modules that
// define only state data, operations or notifications.
const (
	libConfigSet    = "config-modules"
	libStateSet     = "state-modules"
	libConfigSchema = "config-schema"
	libOperSchema   = "operational-schema"
)

// registerLibrary installs the providers of /yang-library (RFC 8525) and of RFC 7895's
// deprecated /modules-state, when the schema has them.
func (srv *Server) registerLibrary() {
	sch := srv.Store.Schema()
	if n := stateNode(sch, nsYangLibrary, "yang-library"); n != nil {
		srv.Store.AddStateProvider(n, systemState(srv.libraryState))
	}
	if n := stateNode(sch, nsYangLibrary, "modules-state"); n != nil {
		srv.Store.AddStateProvider(n, systemState(srv.modulesState))
	}
}

// systemState marks what p reports as made by the server itself (origin system, RFC 8342
// section 5.3.4): the server's own state, as opposed to what an agent learns from the device.
func systemState(p datastore.StateProvider) datastore.StateProvider {
	return func(ctx context.Context, req *datastore.StateRequest) error {
		req.Origin = data.OriginSystem
		return p(ctx, req)
	}
}

// librarySets splits the schema's modules into the module sets: the implemented modules that
// define configuration nodes (their own or augmented into another module), with every
// import-only module, make the configuration set; the other implemented modules the state
// set. A module that deviates a module of the configuration set, or is deviated by one, joins
// it, since a module's deviation list names modules of its own set; so does an implemented
// module that a module of the set imports, since a schema's modules satisfy their imports.
func librarySets(sch *schema.Schema) (config, state []*schema.Module) {
	inConfig := map[*schema.Module]bool{}
	var walk func(ns []*schema.Node)
	walk = func(ns []*schema.Node) {
		for _, n := range ns {
			if n.Kind.IsData() && n.Config {
				inConfig[n.Module] = true
			}
			if n.Config {
				walk(n.Children)
			}
		}
	}
	for _, m := range sch.Modules {
		walk(m.Data)
	}
	for _, m := range sch.Modules {
		if !m.Implemented {
			inConfig[m] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for _, m := range sch.Modules {
			if inConfig[m] {
				// What a module of the configuration set imports is in its schema too.
				for _, im := range m.Prefixes {
					if im != nil && !inConfig[im] {
						inConfig[im], changed = true, true
					}
				}
			}
			for _, d := range m.Deviations {
				dm := sch.Module(d)
				if dm == nil || inConfig[m] == inConfig[dm] {
					continue
				}
				inConfig[m], inConfig[dm], changed = true, true, true
			}
		}
	}
	for _, m := range sch.Modules {
		if inConfig[m] {
			config = append(config, m)
		} else {
			state = append(state, m)
		}
	}
	return config, state
}

// libraryState reports /yang-library (RFC 8525 section 3).
func (srv *Server) libraryState(ctx context.Context, req *datastore.StateRequest) error {
	sch := srv.Store.Schema()
	b := &builder{sch: sch}
	top := b.top(req.Root, nsYangLibrary, "yang-library")
	config, state := librarySets(sch)
	for _, set := range []struct {
		name string
		mods []*schema.Module
	}{{libConfigSet, config}, {libStateSet, state}} {
		if len(set.mods) == 0 {
			continue
		}
		e := b.entry(top, "module-set", set.name)
		for _, m := range set.mods {
			if m.Implemented {
				me := b.entry(e, "module", m.Name)
				if m.Revision != "" {
					b.leaf(me, "revision", m.Revision)
				}
				b.leaf(me, "namespace", m.Namespace)
				for i, s := range m.Submodules {
					se := b.entry(me, "submodule", s)
					if r := submoduleRevision(m, i); r != "" {
						b.leaf(se, "revision", r)
					}
				}
				for _, f := range srv.advertised(m).Features {
					if f.Enabled {
						b.leaf(me, "feature", f.Name)
					}
				}
				for _, d := range sortedCopy(m.Deviations) {
					b.leaf(me, "deviation", d)
				}
				continue
			}
			ie := b.entry(e, "import-only-module", m.Name, m.Revision)
			b.leaf(ie, "namespace", m.Namespace)
			for i, s := range m.Submodules {
				se := b.entry(ie, "submodule", s)
				if r := submoduleRevision(m, i); r != "" {
					b.leaf(se, "revision", r)
				}
			}
		}
	}
	cs := b.entry(top, "schema", libConfigSchema)
	b.leaf(cs, "module-set", libConfigSet)
	os := b.entry(top, "schema", libOperSchema)
	b.leaf(os, "module-set", libConfigSet)
	if len(state) > 0 {
		b.leaf(os, "module-set", libStateSet)
	}
	for _, ds := range []string{"running", "candidate", "startup", "intended"} {
		d := b.entry(top, "datastore", "ietf-datastores:"+ds)
		b.leaf(d, "schema", libConfigSchema)
	}
	d := b.entry(top, "datastore", "ietf-datastores:operational")
	b.leaf(d, "schema", libOperSchema)
	b.leaf(top, "content-id", srv.contentID())
	return b.err
}

// modulesState reports RFC 7895's /modules-state, deprecated by RFC 8525 but read by clients
// written before it: every module with its conformance type, features, deviations and
// submodules, and the module-set-id the yang-library:1.0 capability announces.
func (srv *Server) modulesState(ctx context.Context, req *datastore.StateRequest) error {
	sch := srv.Store.Schema()
	b := &builder{sch: sch}
	top := b.top(req.Root, nsYangLibrary, "modules-state")
	b.leaf(top, "module-set-id", srv.contentID())
	for _, m := range sch.Modules {
		e := b.entry(top, "module", m.Name, m.Revision)
		b.leaf(e, "namespace", m.Namespace)
		if m.Implemented {
			for _, f := range srv.advertised(m).Features {
				if f.Enabled {
					b.leaf(e, "feature", f.Name)
				}
			}
			for _, d := range sortedCopy(m.Deviations) {
				rev := ""
				if dm := sch.Module(d); dm != nil {
					rev = dm.Revision
				}
				b.entry(e, "deviation", d, rev)
			}
			b.leaf(e, "conformance-type", "implement")
		} else {
			b.leaf(e, "conformance-type", "import")
		}
		for i, s := range m.Submodules {
			// RFC 7895 writes a submodule without a revision as "".
			b.entry(e, "submodule", s, submoduleRevision(m, i))
		}
	}
	return b.err
}

// submoduleRevision is the revision of m's i-th submodule, "" when it has none or the schema
// does not know it. No location is given (RFC 8525's location leaf-list): the server serves
// submodule text through no URL, and get-schema serves modules merged with their submodules.
func submoduleRevision(m *schema.Module, i int) string {
	if i < len(m.SubmoduleRevisions) {
		return m.SubmoduleRevisions[i]
	}
	return ""
}

func sortedCopy(ss []string) []string {
	out := append([]string(nil), ss...)
	sort.Strings(out)
	return out
}
