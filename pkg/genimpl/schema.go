package genimpl

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"fmt"
	"io"
	"strings"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/server"
)

// LoadSchema decodes the descriptor a generated package embeds (schema.MarshalDescriptor with
// OmitSources) and gives each module named in sources its YANG text back (served by
// get-schema). Generated packages call it once, on first use of their Schema function.
func LoadSchema(descriptor string, sources map[string]string) (*schema.Schema, error) {
	s, err := schema.UnmarshalDescriptorString(descriptor)
	if err != nil {
		return nil, fmt.Errorf("genimpl: the embedded schema: %w", err)
	}
	for name, src := range sources {
		m := s.Module(name)
		if m == nil {
			return nil, fmt.Errorf("genimpl: the embedded schema has no module %q for its source", name)
		}
		m.Source = src
	}
	return s, nil
}

// LoadCompressedSchema is LoadSchema for a descriptor and sources each compressed with DEFLATE
// (RFC 1951) and encoded in standard base64, as generated packages embed them: the compressed
// text is a tenth of the plain one, which is what the compiler holds and the binary carries.
func LoadCompressedSchema(descriptor string, sources map[string]string) (*schema.Schema, error) {
	desc, err := Inflate(descriptor)
	if err != nil {
		return nil, fmt.Errorf("genimpl: the embedded schema: %w", err)
	}
	texts := make(map[string]string, len(sources))
	for name, src := range sources {
		if texts[name], err = Inflate(src); err != nil {
			return nil, fmt.Errorf("genimpl: the embedded text of module %s: %w", name, err)
		}
	}
	return LoadSchema(desc, texts)
}

// Inflate returns the text that Deflate encoded.
func Inflate(s string) (string, error) {
	r := flate.NewReader(base64.NewDecoder(base64.StdEncoding, strings.NewReader(s)))
	defer r.Close()
	var b strings.Builder
	if _, err := io.Copy(&b, r); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Deflate compresses text with DEFLATE at the best compression and encodes the result in
// standard base64 (the generator's side of Inflate).
func Deflate(text []byte) string {
	var b bytes.Buffer
	w := base64.NewEncoder(base64.StdEncoding, &b)
	fw, _ := flate.NewWriter(w, flate.BestCompression) // the level is valid
	fw.Write(text)
	fw.Close()
	w.Close()
	return b.String()
}

// Op returns the rpc, action or notification of s at path, a schema node path as
// schema.Node.Path writes it (/ncws-example:interfaces/interface/reset: module names as prefixes
// where the module changes, no choice or case steps). It fails when s has no such node, for
// example when a server's schema was loaded from other modules than the package's.
func Op(s *schema.Schema, path string) (*schema.Node, error) {
	var n *schema.Node
	if s != nil {
		n = s.FindNode(path)
	}
	if n == nil || (n.Kind != schema.KindRPC && n.Kind != schema.KindAction && n.Kind != schema.KindNotification) {
		return nil, fmt.Errorf("%w: operation %s", ErrNoSchema, path)
	}
	return n, nil
}

// Input returns the input schema node of the rpc or action op, nil if it has none.
func Input(op *schema.Node) *schema.Node { return opChild(op, schema.KindInput) }

// Output returns the output schema node of the rpc or action op, nil if it has none.
func Output(op *schema.Node) *schema.Node { return opChild(op, schema.KindOutput) }

func opChild(op *schema.Node, k schema.Kind) *schema.Node {
	if op == nil {
		return nil
	}
	for _, c := range op.Children {
		if c.Kind == k {
			return c
		}
	}
	return nil
}

// KeyTypes returns the types of the keys of the list ancestors of op (an action or a nested
// notification), outermost list first, each list's keys in key-statement order: the order of
// TargetKeys and of Call's and Notify's keys.
func KeyTypes(op *schema.Node) []*schema.Type {
	var lists []*schema.Node
	for p := op.DataParent(); p != nil; p = p.DataParent() {
		if p.Kind == schema.KindList {
			lists = append(lists, p)
		}
	}
	var out []*schema.Type
	for i := len(lists) - 1; i >= 0; i-- {
		for _, k := range lists[i].Keys() {
			out = append(out, k.Type)
		}
	}
	return out
}

// ServerSchema returns the schema of srv's datastore, where registration looks its operations up.
func ServerSchema(srv *server.Server) *schema.Schema { return srv.Store.Schema() }

// CheckKeys fails unless ks holds n key values: the keys of an action's or a notification's
// target instance do not match the generated code's list ancestors.
func CheckKeys(ks []data.Value, n int) error {
	if len(ks) != n {
		return fmt.Errorf("genimpl: %d key values for a target with %d keys", len(ks), n)
	}
	return nil
}
