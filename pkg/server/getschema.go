package server

import (
	"context"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

// opGetSchema is get-schema (RFC 6022 section 3.1): the YANG text of a module the schema
// keeps (schema.Module.Source). Only the format yang is served (an absent format means yang):
// a schema is never available as YIN or any other format, so asking for one matches nothing.
// Submodules are merged into their module and their own text is not kept, so a submodule's
// name matches nothing either. No match is invalid-value; a module name without a version
// that matches several revisions is operation-failed with the error-app-tag data-not-unique.
func (srv *Server) opGetSchema(ctx context.Context, req *Request) (*data.Node, error) {
	id := param(req.Input, "identifier")
	if id == nil {
		return nil, rpcerror.MissingElement(rpcerror.Protocol, "identifier", "", "missing parameter \"identifier\"")
	}
	version, hasVersion := "", false
	if p := param(req.Input, "version"); p != nil {
		version, hasVersion = p.Value.Str, true
	}
	if p := param(req.Input, "format"); p != nil {
		if f := p.Value.Identity(); f == nil || f.Name != "yang" {
			return nil, rpcerror.InvalidValue(p.Path(), "the schema %q is not available in the format %s; only yang is served",
				id.Value.Str, p.Value.Str)
		}
	}
	var match []*schema.Module
	for _, m := range srv.Store.Schema().Modules {
		if m.Name == id.Value.Str && m.Source != "" && (!hasVersion || m.Revision == version) {
			match = append(match, m)
		}
	}
	switch len(match) {
	case 0:
		if hasVersion {
			return nil, rpcerror.InvalidValue(id.Path(), "no schema %q with version %q", id.Value.Str, version)
		}
		return nil, rpcerror.InvalidValue(id.Path(), "no schema %q", id.Value.Str)
	case 1:
	default:
		e := rpcerror.OperationFailed("schema %q exists in %d versions: give the version", id.Value.Str, len(match))
		e.AppTag = rpcerror.AppTagDataNotUnique
		return nil, e
	}
	b := []byte(`<data xmlns="` + nsMonitoring + `">`)
	b = netconf.AppendEscaped(b, match[0].Source, false)
	callOf(ctx).raw = append(b, "</data>"...)
	return nil, nil
}
