package gen

import (
	"fmt"
	"maps"
	"strconv"
	"strings"

	"github.com/ncws/ncws/pkg/genimpl"
	"github.com/ncws/ncws/pkg/schema"
)

// constChunk is the size of the pieces a long string constant (the descriptor, a module's text)
// is cut into, one constant each, packed into files of about maxFileBody bytes of Go source, so
// that no generated file is larger than about a megabyte whatever the quoting costs.
const constChunk = 48 << 10

// splitConst writes the string constant text as pieces name1, name2 ... (one constant each)
// into files first, first2, first3 ... of about maxFileBody bytes; the first file starts with
// lead(joined), joined being the expression that concatenates the pieces.
func splitConst(name, what, text, first string, lead func(joined string) string, add func(file, body string) error) error {
	n := max(1, (len(text)+constChunk-1)/constChunk)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf("%s%d", name, i+1)
	}
	var files chunks
	files.next().WriteString(lead(strings.Join(parts, " + ")))
	for i, part := range parts {
		chunk := text[i*constChunk : min(len(text), (i+1)*constChunk)]
		fmt.Fprintf(files.next(), "// %s is part %d of %s.\nconst %s = %s\n\n", part, i+1, what, part, strconv.Quote(chunk))
	}
	for i, b := range files.bodies {
		file := first + ".go"
		if i > 0 {
			file = fmt.Sprintf("%s%d.go", first, i+1)
		}
		if err := add(file, b.String()); err != nil {
			return err
		}
	}
	return nil
}

// packedSchema is the descriptor and the module texts, DEFLATE-compressed and base64-encoded.
type packedSchema struct {
	descriptor string
	// mods are the modules of the embedded schema (g.schema's, or the pruned copies under
	// Options.PruneSchema), orig the module of g.schema each copies (nil for the generated
	// deviation module), sources their texts by module.
	mods    []*schema.Module
	orig    map[*schema.Module]*schema.Module
	sources map[*schema.Module]string
	pruned  *pruneResult
	err     error
}

// pack starts compressing the descriptor of g.schema and its modules' texts in a goroutine,
// whose result schemaFiles receives: it is CPU-bound (BestCompression: 2.8 s for Junos) and
// depends on the schema only, so on more than one CPU it overlaps with building the types.
func (g *generator) pack() {
	ch := make(chan packedSchema, 1)
	g.packed = ch
	// The selection as Options.Paths gives it: build adds the operations it keeps to g.sel
	// while this runs.
	sel, anc := maps.Clone(g.sel), maps.Clone(g.anc)
	go func() {
		var c packedSchema
		s := g.schema
		c.mods, c.orig = s.Modules, map[*schema.Module]*schema.Module{}
		for _, m := range s.Modules {
			c.orig[m] = m
		}
		if g.opts.PruneSchema {
			pr, err := pruneSchema(s, sel, anc, g.opts.Package, g.opts.Paths)
			if err != nil {
				c.err = err
				ch <- c
				return
			}
			s, c.mods, c.orig, c.pruned = pr.s, pr.s.Modules, pr.orig, pr
		}
		desc, err := schema.MarshalDescriptor(s, schema.DescriptorOptions{OmitSources: true, BaseNames: true})
		if err != nil {
			c.err = fmt.Errorf("gen: %w", err)
			ch <- c
			return
		}
		c.descriptor = genimpl.Deflate(desc)
		desc = nil
		c.sources = map[*schema.Module]string{}
		for _, m := range c.mods {
			if m.Source != "" {
				c.sources[m] = genimpl.Deflate([]byte(m.Source))
			}
		}
		ch <- c
	}()
}

// schemaFiles writes schema.go (Schema, decoding the embedded descriptor on first use),
// schema_descriptor*.go (the descriptor of the whole compiled schema, module texts left out and
// file paths reduced to base names, so the bytes do not depend on where the modules were read)
// and <module>_yang.go per module with a text (the YANG source, served by get-schema).
func (g *generator) schemaFiles(bases map[*schema.Module]string, add func(string, []*schema.Module, []string, string, bool) error, imports []string) error {
	pk := <-g.packed
	if pk.err != nil {
		return pk.err
	}
	var joined string
	err := splitConst("descriptor", "the schema descriptor", pk.descriptor, "schema_descriptor",
		func(j string) string { joined = j; return "" },
		func(file, body string) error { return add(file, g.mods, imports, body, true) })
	if err != nil {
		return err
	}
	var sb strings.Builder
	sb.WriteString("// descriptor is the compiled schema (pkg/schema's descriptor format), DEFLATE-compressed and base64-encoded.\n")
	sb.WriteString("const descriptor = " + joined + "\n\n")
	// Nothing of the package is built when the program starts (a package-level map or
	// sync.OnceValues would be, in every program that links the package, whether or not it
	// uses the schema): sources is a function and loadSchema a sync.Once.
	sb.WriteString("// sources returns the modules' YANG texts by module name, each DEFLATE-compressed and base64-encoded.\nfunc sources() map[string]string {\nreturn map[string]string{\n")
	consts := newNamespace()
	for _, m := range pk.mods {
		if m.Source == "" {
			continue
		}
		base, ok := bases[pk.orig[m]]
		if !ok { // the deviation module of a pruned schema
			base = fileBases([]*schema.Module{m})[m]
		}
		c := consts.claim("yang" + GoName(m.Name))
		fmt.Fprintf(&sb, "%q: %s,\n", m.Name, c)
		mods := []*schema.Module{m}
		what := "the YANG text of module " + moduleID(m) + " (compressed)"
		text := pk.sources[m]
		if len(text) <= constChunk {
			var b strings.Builder
			fmt.Fprintf(&b, "// %s is %s, served by get-schema.\nconst %s = %s\n", c, what, c, strconv.Quote(text))
			if err := add(base+"_yang.go", mods, imports, b.String(), true); err != nil {
				return err
			}
			continue
		}
		err := splitConst(c, what, text, base+"_yang",
			func(j string) string {
				return fmt.Sprintf("// %s is %s, served by get-schema.\nconst %s = %s\n\n", c, what, c, j)
			},
			func(file, body string) error { return add(file, mods, imports, body, true) })
		if err != nil {
			return err
		}
	}
	sb.WriteString("}\n}\n\n")
	sb.WriteString("var (\nschemaOnce sync.Once\nschemaValue *schema.Schema\nschemaErr error\n)\n\n")
	sb.WriteString("// loadSchema decodes the descriptor, once.\nfunc loadSchema() (*schema.Schema, error) {\n" +
		"schemaOnce.Do(func() { schemaValue, schemaErr = genimpl.LoadCompressedSchema(descriptor, sources()) })\n" +
		"return schemaValue, schemaErr\n}\n\n")
	var names []string
	for _, m := range pk.mods {
		if m.Implemented {
			names = append(names, moduleID(m))
		}
	}
	comment(&sb, "", "Schema returns the compiled schema the package was generated from, decoded from the "+
		"embedded descriptor on first use (no YANG parsing at run time). Its implemented modules: "+strings.Join(names, ", ")+
		". Open the server's datastore with it: the server then advertises every module with its revision, "+
		"features and deviations, and get-schema serves their texts. It panics only if the embedded descriptor was damaged."+
		g.prunedDoc(pk.pruned))
	sb.WriteString("func Schema() *schema.Schema {\ns, err := loadSchema()\nif err != nil {\npanic(err)\n}\nreturn s\n}\n\n")
	sb.WriteString("// schemaOp returns the package's own rpc, action or notification at path.\nfunc schemaOp(path string) *schema.Node {\nop, err := genimpl.Op(Schema(), path)\nif err != nil {\npanic(err)\n}\nreturn op\n}\n\n")
	return add("schema.go", g.mods, imports, sb.String(), false)
}

// prunedDoc is the paragraph Schema's comment gets under Options.PruneSchema ("" without it).
func (g *generator) prunedDoc(pr *pruneResult) string {
	if pr == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n\nThe schema is pruned (ncws gen --prune-schema) to the subtrees at " + strings.Join(g.opts.Paths, ", ") +
		", their ancestors and what they need for validation (keys, mandatory children, leafref targets, what must and when " +
		"expressions and leafref paths read, identities), the protocol modules and the operations --path keeps. A server " +
		"built on it refuses data outside them as unknown elements (it cannot validate what it does not know).")
	if pr.dev != nil {
		b.WriteString(" The nodes left out of implemented modules are declared not-supported by the deviation module " +
			pr.dev.Name + ", which the server implements and advertises as a deviation of the modules it changes; " +
			"get-schema serves its text and the full texts of the modules.")
	}
	if len(pr.demoted) > 0 {
		b.WriteString(" Implemented only in the whole schema, now import-only (nothing of theirs is kept): " + strings.Join(pr.demoted, ", ") + ".")
	}
	if len(pr.dropped) > 0 {
		b.WriteString(" Left out (nothing kept and nothing imports them): " + strings.Join(pr.dropped, ", ") + ".")
	}
	if pr.unbounded > 0 {
		fmt.Fprintf(&b, " %d must, when or leafref expression(s) of kept nodes read nodes that cannot be bounded statically; "+
			"they see the kept nodes only.", pr.unbounded)
	}
	return b.String()
}
