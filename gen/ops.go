package gen

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ncws/ncws/pkg/schema"
)

// reservedNames are the package-level names the generator itself declares.
var reservedNames = []string{"Root", "Schema", "Change", "Changes"}

// An operation is an rpc, an action or a notification (top-level or nested in a data node).
type operation struct {
	sn  *schema.Node
	mod *schema.Module // the module whose API (Server, Client, Notifier ...) holds it
	// name is the method and field name of the operation in its module's API.
	name string
	// in and out are the input and output structs of an rpc or action (out nil when the output
	// has no data nodes); ev is a notification's struct.
	in, out, ev *structType
	// lists are the structs of the list ancestors of an action or nested notification,
	// outermost first: their keys identify the target instance.
	lists []*structType
}

// A keyParam is one key of an operation's target instance as a Go parameter.
type keyParam struct {
	name string
	f    *field
}

func (op *operation) keyParams() []keyParam {
	var out []keyParam
	used := map[string]bool{"ctx": true, "in": true, "ev": true, "eventTime": true}
	for _, st := range op.lists {
		for _, k := range st.sn.Keys() {
			f := keyField(st, k)
			name := "k" + f.name
			for i := 2; used[name]; i++ {
				name = "k" + f.name + strconv.Itoa(i)
			}
			used[name] = true
			out = append(out, keyParam{name, f})
		}
	}
	return out
}

func (op *operation) kindWord() string { return op.sn.Kind.String() }

// moduleAPI names the types and functions of one module's operations.
type moduleAPI struct {
	server, unimpl, register, client, newClient, notifier, newNotifier, handlers string
	methods                                                                      *namespace
	ops                                                                          []*operation
}

func (a *moduleAPI) has(k schema.Kind) bool {
	for _, op := range a.ops {
		if (op.sn.Kind == schema.KindNotification) == (k == schema.KindNotification) {
			return true
		}
	}
	return false
}

// forOps calls fn for the actions and notifications among children, choices and cases looked
// through.
func forOps(children []*schema.Node, fn func(*schema.Node)) {
	for _, c := range children {
		switch c.Kind {
		case schema.KindAction, schema.KindNotification:
			fn(c)
		case schema.KindChoice, schema.KindCase:
			forOps(c.Children, fn)
		}
	}
}

// buildOps collects the operations of the emitted modules, names them and their structs (after
// every data struct, so that adding an operation renames no data type) and appends the structs
// to g.structs. Actions and nested notifications are named after the struct of their parent
// (InterfaceReset); the structs of the containers and lists inside an operation are named
// <parent struct>_<Name>.
func (g *generator) buildOps(bySN map[*schema.Node]*structType) {
	g.api = map[*schema.Module]*moduleAPI{}
	for _, m := range g.mods {
		for _, r := range m.RPCs {
			if g.keepOp(r) {
				g.addOp(r, m, nil, bySN)
			}
		}
		for _, n := range m.Notifications {
			if g.keepOp(n) {
				g.addOp(n, m, nil, bySN)
			}
		}
	}
	for _, st := range append([]*structType(nil), g.structs...) {
		forOps(st.sn.Children, func(sn *schema.Node) {
			if !g.keepOp(sn) {
				return
			}
			mod := st.mod
			if g.emit[sn.Module] {
				mod = sn.Module
			}
			g.addOp(sn, mod, st, bySN)
		})
	}
	for _, m := range g.mods {
		a := g.api[m]
		if a == nil {
			continue
		}
		base := GoName(m.Name)
		claim := g.names.claim
		if a.has(schema.KindRPC) {
			a.server, a.unimpl, a.register = claim(base+"Server"), claim("Unimplemented"+base+"Server"), claim("Register"+base+"Server")
			a.client, a.newClient = claim(base+"Client"), claim("New"+base+"Client")
		}
		if a.has(schema.KindNotification) {
			a.notifier, a.newNotifier = claim(base+"Notifier"), claim("New"+base+"Notifier")
			a.handlers = claim(base + "Notifications")
		}
	}
}

// keepOp reports whether operation sn is kept under Options.Paths (in a selected subtree, or
// named by a path or on one); a kept operation is kept whole.
func (g *generator) keepOp(sn *schema.Node) bool {
	if !g.keep(sn) {
		return false
	}
	if g.sel != nil {
		g.sel[sn] = true
	}
	return true
}

func (g *generator) addOp(sn *schema.Node, mod *schema.Module, parent *structType, bySN map[*schema.Node]*structType) {
	a := g.api[mod]
	if a == nil {
		a = &moduleAPI{methods: newNamespace("Dispatch")}
		g.api[mod] = a
	}
	base := GoName(sn.Name)
	op := &operation{sn: sn, mod: mod}
	// The structs' names follow the node's path (rule 3); the method's is the parent node's
	// name and the operation's, unique in the module's API.
	stBase := topName(sn)
	if parent != nil {
		stBase = parent.name + pathStep(sn, sn.DataParent().Module)
		base = GoName(sn.DataParent().Name) + base
		for p := sn.DataParent(); p != nil; p = p.DataParent() {
			if p.Kind == schema.KindList {
				op.lists = append([]*structType{bySN[p]}, op.lists...)
			}
		}
	}
	op.name = a.methods.claim(base)
	root := func(n *schema.Node, want string) *structType {
		st := &structType{sn: n, mod: mod, op: op, name: g.names.claim(want)}
		g.structs = append(g.structs, st)
		bySN[n] = st
		g.opStructs(st, bySN)
		return st
	}
	if sn.Kind == schema.KindNotification {
		op.ev = root(sn, stBase)
	} else {
		for _, c := range sn.Children {
			switch {
			case c.Kind == schema.KindInput:
				op.in = root(c, stBase+"Input")
			case c.Kind == schema.KindOutput && len(c.DataChildren()) > 0:
				op.out = root(c, stBase+"Output")
			}
		}
	}
	g.ops = append(g.ops, op)
	a.ops = append(a.ops, op)
}

// opStructs adds the structs of the containers and lists under st, an operation's struct.
func (g *generator) opStructs(st *structType, bySN map[*schema.Node]*structType) {
	dataFields(st.sn.Children, nil, func(c *schema.Node, _ []*schema.Node) {
		if c.Kind != schema.KindContainer && c.Kind != schema.KindList {
			return
		}
		cs := &structType{sn: c, mod: st.mod, op: st.op, parentName: st.name,
			name: g.names.claim(st.name + pathStep(c, c.DataParent().Module))}
		g.structs = append(g.structs, cs)
		bySN[c] = cs
		g.opStructs(cs, bySN)
	})
}

// opDoc is the first line of the doc of an operation's struct.
func opStructDoc(st *structType) string {
	op := st.op
	switch {
	case st == op.in:
		return fmt.Sprintf("%s is the input of %s %s.", st.name, op.kindWord(), op.sn.Path())
	case st == op.out:
		return fmt.Sprintf("%s is the output of %s %s.", st.name, op.kindWord(), op.sn.Path())
	case st == op.ev:
		return fmt.Sprintf("%s is the content of notification %s.", st.name, op.sn.Path())
	}
	what := "the container"
	if st.sn.Kind == schema.KindList {
		what = "an entry of the list"
	}
	return fmt.Sprintf("%s is %s %s.", st.name, what, st.sn.Path())
}

// keyTexts is the Go expression of the []string of the key texts of op's target ([]string(nil)
// for none).
func keyTexts(kps []keyParam) string {
	if len(kps) == 0 {
		return "nil"
	}
	var parts []string
	for _, kp := range kps {
		switch kp.f.typ.kind {
		case gUnion:
			if strings.Contains(kp.f.typ.named.name, markL) {
				// Split packages: the union type may be another package's, whose unexported
				// method this package cannot call.
				parts = append(parts, "genimpl.UnionText("+kp.name+")")
				continue
			}
			parts = append(parts, kp.name+"."+unionMethod(kp.f.typ.named)+"().Text")
		default:
			parts = append(parts, lexical(kp.f.typ, kp.name))
		}
	}
	return "[]string{" + strings.Join(parts, ", ") + "}"
}

// keyDecls writes the statements turning ks (the []data.Value of TargetKeys or
// DecodeNotification) into the key parameters; kt names the key types ([]*schema.Type) for
// union keys; ret is the return statement's prefix for an error.
func keyDecls(b *strings.Builder, kps []keyParam, opExpr, ret string) {
	if len(kps) == 0 {
		return
	}
	fmt.Fprintf(b, "if err := genimpl.CheckKeys(ks, %d); err != nil {\n%s err\n}\n", len(kps), ret)
	union := false
	for _, kp := range kps {
		union = union || kp.f.typ.kind == gUnion
	}
	if union {
		fmt.Fprintf(b, "kt := genimpl.KeyTypes(%s)\n", opExpr)
	}
	for i, kp := range kps {
		if kp.f.typ.kind == gUnion {
			fmt.Fprintf(b, "%s, err := genimpl.UnionOf[%s](&conv, ks[%d], kt[%d])\nif err != nil {\n%s err\n}\n", kp.name, kp.f.typ.named.name, i, i, ret)
			continue
		}
		fmt.Fprintf(b, "%s := %s\n", kp.name, fromValue(kp.f.typ, fmt.Sprintf("ks[%d]", i)))
	}
}

func paramList(kps []keyParam) string {
	var s []string
	for _, kp := range kps {
		s = append(s, kp.name+" "+kp.f.typ.gname)
	}
	return strings.Join(s, ", ")
}

func argList(kps []keyParam) string {
	var s []string
	for _, kp := range kps {
		s = append(s, kp.name)
	}
	return strings.Join(s, ", ")
}

// signature is the Server method's parameters and results of op.
func (op *operation) signature() string {
	params := "ctx context.Context"
	if p := paramList(op.keyParams()); p != "" {
		params += ", " + p
	}
	params += ", in *" + op.in.name
	if op.out != nil {
		return "(" + params + ") (*" + op.out.name + ", error)"
	}
	return "(" + params + ") error"
}

func opComment(b *strings.Builder, indent, first string, op *operation) {
	comment(b, indent, first)
	if op.sn.Description() != "" {
		b.WriteString(indent + "//\n")
		comment(b, indent, op.sn.Description())
	}
	if kps := op.keyParams(); len(kps) > 0 {
		var ks []string
		for _, kp := range kps {
			ks = append(ks, kp.name+" ("+kp.f.sn.Path()+")")
		}
		b.WriteString(indent + "//\n")
		comment(b, indent, "The target instance is named by its keys: "+strings.Join(ks, ", ")+".")
	}
}

// writeServer writes a module's Server interface, its Unimplemented type, the registration
// function and the client.
func (g *generator) writeServer(b *strings.Builder, m *schema.Module, a *moduleAPI) {
	var ops []*operation
	for _, op := range a.ops {
		if op.sn.Kind != schema.KindNotification {
			ops = append(ops, op)
		}
	}
	comment(b, "", fmt.Sprintf("%s is the server side of the rpcs and actions of module %s: implement it and register it with %s. Embed %s by value to keep compiling when the module gains operations. An error a method returns becomes the rpc-error: an *rpcerror.Error or rpcerror.List passes through, anything else is operation-failed.", a.server, m.Name, a.register, a.unimpl))
	fmt.Fprintf(b, "type %s interface {\n", a.server)
	for i, op := range ops {
		if i > 0 {
			b.WriteString("\n")
		}
		opComment(b, "\t", fmt.Sprintf("%s answers %s %s.", op.name, op.kindWord(), op.sn.Path()), op)
		fmt.Fprintf(b, "%s%s\n", op.name, op.signature())
	}
	b.WriteString("}\n\n")
	fmt.Fprintf(b, "// %s answers every operation of %s with operation-not-supported.\ntype %s struct{}\n\n", a.unimpl, a.server, a.unimpl)

	for _, op := range ops {
		comment(b, "", fmt.Sprintf("%s answers operation-not-supported.", op.name))
		fmt.Fprintf(b, "func (%s) %s%s {\n", a.unimpl, op.name, op.signature())
		if op.out != nil {
			fmt.Fprintf(b, "return nil, genimpl.Unimplemented(schemaOp(%q))\n}\n\n", op.sn.Path())
		} else {
			fmt.Fprintf(b, "return genimpl.Unimplemented(schemaOp(%q))\n}\n\n", op.sn.Path())
		}
	}
	comment(b, "", fmt.Sprintf("%s makes impl answer the rpcs and actions of module %s on srv, whose store's schema must hold them (Schema() does). Call it before srv.Serve.", a.register, m.Name))
	fmt.Fprintf(b, "func %s(srv *genimpl.Server, impl %s) error {\ns := genimpl.ServerSchema(srv)\n", a.register, a.server)
	for _, op := range ops {
		kps := op.keyParams()
		fmt.Fprintf(b, "{\nop, err := genimpl.Op(s, %q)\nif err != nil {\nreturn err\n}\n", op.sn.Path())
		b.WriteString("srv.Handle(op, func(ctx context.Context, req *genimpl.Request) (*data.Node, error) {\n")
		if len(kps) > 0 {
			b.WriteString("ks := genimpl.TargetKeys(req)\n")
			keyDecls(b, kps, "req.RPC", "return nil,")
		}
		fmt.Fprintf(b, "in := new(%s)\nif req.Input != nil {\nif err := in.FromTree(req.Input); err != nil {\nreturn nil, err\n}\n}\n", op.in.name)
		args := "ctx, "
		if len(kps) > 0 {
			args += argList(kps) + ", "
		}
		args += "in"
		if op.out != nil {
			fmt.Fprintf(b, "out, err := impl.%s(%s)\nif err != nil || out == nil {\nreturn nil, err\n}\nreturn out.ToTree(genimpl.Output(req.RPC))\n", op.name, args)
		} else {
			fmt.Fprintf(b, "return nil, impl.%s(%s)\n", op.name, args)
		}
		b.WriteString("})\n}\n")
	}
	b.WriteString("return nil\n}\n\n")

	comment(b, "", fmt.Sprintf("%s calls the rpcs and actions of module %s over a NETCONF session. An rpc-error comes back as an rpcerror.List. It is safe for concurrent use; calls pipeline.", a.client, m.Name))
	fmt.Fprintf(b, "type %s struct {\ns *genimpl.Session\n}\n\n", a.client)
	fmt.Fprintf(b, "// %s returns a %s calling over s.\nfunc %s(s *genimpl.Session) *%s {\nreturn &%s{s: s}\n}\n\n", a.newClient, a.client, a.newClient, a.client, a.client)

	for _, op := range ops {
		kps := op.keyParams()
		opComment(b, "", fmt.Sprintf("%s calls %s %s.", op.name, op.kindWord(), op.sn.Path()), op)
		fmt.Fprintf(b, "func (c *%s) %s%s {\n", a.client, op.name, op.signature())
		ret := "return"
		if op.out != nil {
			ret = "return nil,"
		}
		fmt.Fprintf(b, "op := schemaOp(%q)\nvar it *data.Node\nif in != nil {\nvar err error\nif it, err = in.ToTree(genimpl.Input(op)); err != nil {\n%s err\n}\n}\n", op.sn.Path(), ret)
		if op.out != nil {
			fmt.Fprintf(b, "o, err := genimpl.Call(ctx, c.s, op, %s, it)\nif err != nil {\nreturn nil, err\n}\nout := new(%s)\nif o != nil {\nif err := out.FromTree(o); err != nil {\nreturn nil, err\n}\n}\nreturn out, nil\n}\n\n", keyTexts(kps), op.out.name)
		} else {
			fmt.Fprintf(b, "_, err := genimpl.Call(ctx, c.s, op, %s, it)\nreturn err\n}\n\n", keyTexts(kps))
		}
	}
}

// writeNotifications writes a module's Notifier (server side) and Notifications (client side).
func (g *generator) writeNotifications(b *strings.Builder, m *schema.Module, a *moduleAPI) {
	var ops []*operation
	for _, op := range a.ops {
		if op.sn.Kind == schema.KindNotification {
			ops = append(ops, op)
		}
	}
	comment(b, "", fmt.Sprintf("%s sends the notifications of module %s from a server to the sessions subscribed to them (RFC 5277), stamped with the current time.", a.notifier, m.Name))
	fmt.Fprintf(b, "type %s struct {\nsrv *genimpl.Server\n}\n\n", a.notifier)
	fmt.Fprintf(b, "// %s returns a %s sending from srv.\nfunc %s(srv *genimpl.Server) *%s {\nreturn &%s{srv: srv}\n}\n\n", a.newNotifier, a.notifier, a.newNotifier, a.notifier, a.notifier)

	for _, op := range ops {
		kps := op.keyParams()
		opComment(b, "", fmt.Sprintf("%s sends notification %s with content ev (nil: none).", op.name, op.sn.Path()), op)
		params := "ctx context.Context"
		if p := paramList(kps); p != "" {
			params += ", " + p
		}
		fmt.Fprintf(b, "func (n *%s) %s(%s, ev *%s) error {\n", a.notifier, op.name, params, op.ev.name)
		fmt.Fprintf(b, "op, err := genimpl.Op(genimpl.ServerSchema(n.srv), %q)\nif err != nil {\nreturn err\n}\n", op.sn.Path())
		b.WriteString("var t *data.Node\nif ev != nil {\nif t, err = ev.ToTree(op); err != nil {\nreturn err\n}\n}\n")
		fmt.Fprintf(b, "return genimpl.Notify(ctx, n.srv, op, %s, t)\n}\n\n", keyTexts(kps))
	}
	comment(b, "", fmt.Sprintf("%s hands the notifications of module %s that a client receives to typed functions: set the fields wanted and call Dispatch from client.Options.OnNotification.", a.handlers, m.Name))
	fmt.Fprintf(b, "type %s struct {\n", a.handlers)
	for i, op := range ops {
		if i > 0 {
			b.WriteString("\n")
		}
		opComment(b, "\t", fmt.Sprintf("%s receives notification %s.", op.name, op.sn.Path()), op)
		params := "eventTime time.Time"
		if p := paramList(op.keyParams()); p != "" {
			params += ", " + p
		}
		fmt.Fprintf(b, "%s func(%s, ev *%s)\n", op.name, params, op.ev.name)
	}
	b.WriteString("}\n\n")
	comment(b, "", fmt.Sprintf("Dispatch decodes a notification's content (as client.Options.OnNotification receives it) and calls the field for it, if set. It reports whether the notification is one of module %s's (false for one the package's schema does not define, such as RFC 5277's replayComplete); an error says the content does not match the schema.", m.Name))
	ks := "_"
	for _, op := range ops {
		if len(op.lists) > 0 {
			ks = "ks"
		}
	}
	fmt.Fprintf(b, "func (h *%s) Dispatch(eventTime time.Time, body []byte) (bool, error) {\nop, %s, ev, err := genimpl.DecodeNotification(Schema(), body)\nif errors.Is(err, genimpl.ErrUnknownNotification) {\nreturn false, nil\n}\nif err != nil {\nreturn false, err\n}\nswitch op.Path() {\n", a.handlers, ks)
	for _, op := range ops {
		kps := op.keyParams()
		fmt.Fprintf(b, "case %q:\n", op.sn.Path())
		keyDecls(b, kps, "op", "return true,")
		fmt.Fprintf(b, "x := new(%s)\nif ev != nil {\nif err := x.FromTree(ev); err != nil {\nreturn true, err\n}\n}\n", op.ev.name)
		args := "eventTime, "
		if len(kps) > 0 {
			args += argList(kps) + ", "
		}
		fmt.Fprintf(b, "if h.%s != nil {\nh.%s(%sx)\n}\nreturn true, nil\n", op.name, op.name, args)
	}
	b.WriteString("}\nreturn false, nil\n}\n\n")
}
