package gen

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ncws/ncws/pkg/schema"
)

// descriptorChunk is the size of the descriptor's pieces, one string constant each; a file holds
// descriptorPerFile of them, so that no generated file is larger than about a megabyte.
const (
	descriptorChunk   = 256 << 10
	descriptorPerFile = 2
)

// schemaFiles writes schema.go (Schema, decoding the embedded descriptor on first use),
// schema_descriptor*.go (the descriptor of the whole compiled schema, module texts left out and
// file paths reduced to base names, so the bytes do not depend on where the modules were read)
// and <module>_yang.go per module with a text (the YANG source, served by get-schema).
func (g *generator) schemaFiles(bases map[*schema.Module]string, add func(string, []*schema.Module, []string, string) error, imports []string) error {
	desc, err := schema.MarshalDescriptor(g.schema, schema.DescriptorOptions{OmitSources: true, BaseNames: true})
	if err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	var parts []string
	for i := 0; i*descriptorChunk < len(desc); i++ {
		parts = append(parts, fmt.Sprintf("descriptor%d", i))
	}
	for f := 0; f*descriptorPerFile < len(parts); f++ {
		var b strings.Builder
		for i := f * descriptorPerFile; i < len(parts) && i < (f+1)*descriptorPerFile; i++ {
			chunk := desc[i*descriptorChunk : min(len(desc), (i+1)*descriptorChunk)]
			fmt.Fprintf(&b, "// %s is part %d of the schema descriptor.\nconst %s = %s\n\n", parts[i], i+1, parts[i], strconv.Quote(string(chunk)))
		}
		name := "schema_descriptor.go"
		if f > 0 {
			name = fmt.Sprintf("schema_descriptor%d.go", f+1)
		}
		if err := add(name, g.mods, imports, b.String()); err != nil {
			return err
		}
	}
	var sb strings.Builder
	sb.WriteString("// descriptor is the compiled schema (pkg/schema's descriptor format).\n")
	sb.WriteString("const descriptor = " + strings.Join(parts, " + ") + "\n\n")
	sb.WriteString("// sources are the modules' YANG texts by module name.\nvar sources = map[string]string{\n")
	consts := newNamespace()
	for _, m := range g.schema.Modules {
		if m.Source == "" {
			continue
		}
		c := consts.claim("yang" + GoName(m.Name))
		fmt.Fprintf(&sb, "%q: %s,\n", m.Name, c)
		var b strings.Builder
		fmt.Fprintf(&b, "// %s is the YANG text of module %s, served by get-schema.\nconst %s = %s\n", c, moduleID(m), c, strconv.Quote(m.Source))
		if err := add(bases[m]+"_yang.go", []*schema.Module{m}, imports, b.String()); err != nil {
			return err
		}
	}
	sb.WriteString("}\n\n")
	sb.WriteString("var loadSchema = sync.OnceValues(func() (*schema.Schema, error) {\nreturn genimpl.LoadSchema(descriptor, sources)\n})\n\n")
	var names []string
	for _, m := range g.schema.Modules {
		if m.Implemented {
			names = append(names, moduleID(m))
		}
	}
	comment(&sb, "", "Schema returns the compiled schema the package was generated from, decoded from the "+
		"embedded descriptor on first use (no YANG parsing at run time). Its implemented modules: "+strings.Join(names, ", ")+
		". Open the server's datastore with it: the server then advertises every module with its revision, "+
		"features and deviations, and get-schema serves their texts. It panics only if the embedded descriptor was damaged.")
	sb.WriteString("func Schema() *schema.Schema {\ns, err := loadSchema()\nif err != nil {\npanic(err)\n}\nreturn s\n}\n\n")
	sb.WriteString("// schemaOp returns the package's own rpc, action or notification at path.\nfunc schemaOp(path string) *schema.Node {\nop, err := genimpl.Op(Schema(), path)\nif err != nil {\npanic(err)\n}\nreturn op\n}\n\n")
	return add("schema.go", g.mods, imports, sb.String())
}
