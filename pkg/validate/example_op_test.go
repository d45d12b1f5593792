package validate_test

import (
	"fmt"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/validate"
)

func ExampleValidator_ValidateOp() {
	// module ex { rpc reboot { input { leaf message { mandatory true; } leaf delay { default 0; } } } }
	str := &schema.Type{Name: "string", Base: schema.String}
	mod := &schema.Module{Name: "ex", Namespace: "urn:ex", Prefix: "ex", Implemented: true}
	reboot := &schema.Node{Decl: &schema.Decl{Name: "reboot"}, Kind: schema.KindRPC, Module: mod}
	input := &schema.Node{Decl: &schema.Decl{Name: "input"}, Kind: schema.KindInput, Module: mod, Parent: reboot}
	msg := &schema.Node{Decl: &schema.Decl{Name: "message"}, Kind: schema.KindLeaf, Module: mod, Parent: input, Type: str, Mandatory: true}
	delay := &schema.Node{Decl: schema.NewDecl(schema.DeclInfo{Name: "delay", Default: []string{"0"}}), Kind: schema.KindLeaf, Module: mod, Parent: input, Type: str}
	input.Children = []*schema.Node{msg, delay}
	reboot.Children = []*schema.Node{input}
	mod.RPCs = []*schema.Node{reboot}
	s := &schema.Schema{Modules: []*schema.Module{mod}}
	s.Finalize()
	v := validate.New(s)

	// The input of <reboot/>, as yangxml decodes it with DecodeOptions.Operation. Its
	// constraints read nothing outside the rpc: no datastore is needed (OpReads).
	in := data.New(input)
	tops, all := v.OpReads(input)
	fmt.Println("reads:", len(tops), all)
	for _, e := range v.ValidateOp(in, validate.OpOptions{ErrorType: rpcerror.Protocol}) {
		fmt.Println(e.Type, e.Tag, e.Path)
	}
	fmt.Println("delay:", in.Child(delay).Value.Str)
	// Output:
	// reads: 0 false
	// protocol missing-element /ex:reboot/message
	// delay: 0
}
