package genimpl

import (
	"fmt"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/encoding/yangjson"
	"github.com/ncws/ncws/pkg/schema"
)

// TreeJSON encodes the instance tree n as RFC 7951 JSON, compact, for generated code that
// converts through JSON (the ygot GoStructs of ncws gen --ygot). Nodes marked Default are
// included, as they are in the tree.
func TreeJSON(n *data.Node) ([]byte, error) {
	if n == nil {
		return nil, fmt.Errorf("genimpl: TreeJSON of a nil tree")
	}
	return yangjson.Marshal(n, yangjson.EncodeOptions{})
}

// TreeFromJSON decodes an RFC 7951 JSON document into a new instance tree bound to s. A document
// the schema does not accept is an error (an rpcerror.List naming every problem found).
func TreeFromJSON(s *schema.Schema, b []byte) (*data.Node, error) {
	if s == nil {
		return nil, fmt.Errorf("genimpl: TreeFromJSON without a schema")
	}
	root, errs := yangjson.Unmarshal(b, s, yangjson.DecodeOptions{})
	if len(errs) > 0 {
		return nil, errs
	}
	return root, nil
}
