package agent

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/encoding/yangjson"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/validate"
)

// ErrInvalidFile is wrapped by the errors of a startup or operational file that does not
// decode or validate; the message lists each error as FILE:LINE: PATH: MESSAGE [TAG].
var ErrInvalidFile = errors.New("agent: invalid data file")

// ReadDataFile decodes the XML (a <config> or <data> wrapper, or bare top-level elements) or
// RFC 7951 JSON (by the .json extension) data file against sch. With state false it holds
// configuration only and is validated as a whole configuration; with state true it may hold
// state data and is checked for types and structure only (a state file lists state, not the
// mandatory configuration beside it).
func ReadDataFile(sch *schema.Schema, file string, state bool) (*data.Node, error) {
	doc, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("agent: %w", err)
	}
	var root *data.Node
	var errs rpcerror.List
	if strings.EqualFold(filepath.Ext(file), ".json") {
		root, errs = yangjson.Unmarshal(doc, sch, yangjson.DecodeOptions{})
	} else {
		root, errs = yangxml.Unmarshal(doc, sch, yangxml.DecodeOptions{AllowEmpty: true, RejectState: !state})
	}
	if len(errs) == 0 && !state {
		errs = validate.New(sch).Validate(root, validate.Options{})
	}
	if len(errs) > 0 {
		var b strings.Builder
		for _, e := range errs {
			fmt.Fprintf(&b, "\n%s:%d: ", file, e.Line)
			if e.Path != "" {
				b.WriteString(e.Path + ": ")
			}
			fmt.Fprintf(&b, "%s [%s", e.Message, e.Tag)
			if e.AppTag != "" {
				b.WriteString("/" + e.AppTag)
			}
			b.WriteString("]")
		}
		return nil, fmt.Errorf("%w %s:%s", ErrInvalidFile, file, b.String())
	}
	return root, nil
}

// seedStartup writes the configuration of file into startup and running when the datastore
// has never been committed to (the first boot): simulator mode's starting configuration.
func (a *Agent) seedStartup(file string) error {
	root, err := ReadDataFile(a.sch, file, false)
	if err != nil {
		return err
	}
	if a.store.LastCommit() != 0 {
		a.log.Info("agent: the datastore has been configured; the startup file is not applied again", "file", file)
		return nil
	}
	var b []byte
	for _, c := range root.Children() {
		if b, err = yangxml.Append(b, c, yangxml.EncodeOptions{}); err != nil {
			return fmt.Errorf("agent: %s: %w", file, err)
		}
	}
	who := datastore.Who{User: "ncws"}
	for _, ds := range []datastore.Name{datastore.Startup, datastore.Running} {
		if errs := a.store.Copy(context.Background(), who, ds, datastore.Source{Config: b}); len(errs) > 0 {
			return fmt.Errorf("%w %s: %s: %v", ErrInvalidFile, file, ds, errs)
		}
	}
	a.log.Info("agent: running and startup seeded", "file", file)
	return nil
}

// simState serves the state data of an operational file (simulator mode).
type simState struct {
	file string
	tree atomic.Pointer[data.Node]
}

// serveOperational registers the operational file's state data as the state provider of
// every top-level node with state below it.
func (a *Agent) serveOperational(file string) error {
	s := &simState{file: file}
	if err := a.loadOperational(s); err != nil {
		return err
	}
	a.sim = s
	for _, m := range a.sch.Modules {
		for _, top := range m.Data {
			for _, sn := range dataNodes(top) {
				if !hasState(sn) {
					continue
				}
				a.store.AddStateProvider(sn, func(ctx context.Context, req *datastore.StateRequest) error {
					for _, n := range s.tree.Load().Instances(sn) {
						mergeState(req.Root, n.Clone())
					}
					return nil
				})
			}
		}
	}
	return nil
}

// dataNodes returns n, or the data nodes under a choice's cases.
func dataNodes(n *schema.Node) []*schema.Node {
	if n.Kind.IsData() {
		return []*schema.Node{n}
	}
	var out []*schema.Node
	for _, c := range n.Children {
		out = append(out, dataNodes(c)...)
	}
	return out
}

func hasState(n *schema.Node) bool {
	if n.Kind.IsData() && !n.Config {
		return true
	}
	for _, c := range n.Children {
		if c.Kind == schema.KindAction || c.Kind == schema.KindNotification {
			continue
		}
		if hasState(c) {
			return true
		}
	}
	return false
}

func (a *Agent) loadOperational(s *simState) error {
	root, err := ReadDataFile(a.sch, s.file, true)
	if err != nil {
		return err
	}
	dropConfig(root)
	s.tree.Store(root)
	return nil
}

// ReloadOperational reads Options.OperationalFile again (on SIGHUP in `ncws serve`); on an
// error the state served stays the previous file's.
func (a *Agent) ReloadOperational() error {
	if a.sim == nil {
		return errors.New("agent: no operational file")
	}
	if err := a.loadOperational(a.sim); err != nil {
		return err
	}
	a.log.Info("agent: operational state reloaded", "file", a.sim.file)
	return nil
}
