package data

import (
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

// Resolver maps a prefix inside a value (identityref, instance-identifier) to a module: in XML
// through the element's namespace declarations ("" is the default namespace in scope), in JSON by
// module name ("" is the module of the leaf). It returns nil for an unknown prefix.
type Resolver func(prefix string) *schema.Module

// ParseValue parses lexical text s as a value of type t and checks every restriction of the type
// (range, length, patterns, enum and bit names, identity derivation, fraction digits). The error
// is an invalid-value rpc-error (with the restriction's error-app-tag and error-message when it
// has them) whose Path the caller fills in.
func ParseValue(t *schema.Type, s string, r Resolver) (Value, *rpcerror.Error) {
	panic("data.ParseValue: not implemented")
}
