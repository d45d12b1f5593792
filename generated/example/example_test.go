package example_test

import (
	"fmt"
	"log"

	"github.com/ncws/ncws/generated/example"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/genimpl"
)

// Typed structs from an XML document and back, against the schema the package embeds.
func Example() {
	s := example.Schema()
	doc := `<interfaces xmlns="urn:ncws:yang:ncws-example">
  <interface><name>eth0</name><type>ethernet</type><mtu>1500</mtu></interface>
</interfaces>`
	tree, errs := yangxml.Unmarshal([]byte(doc), s, yangxml.DecodeOptions{})
	if len(errs) > 0 {
		log.Fatal(errs)
	}
	var root example.Root
	if err := root.FromTree(tree); err != nil {
		log.Fatal(err)
	}
	eth0 := root.Interfaces.GetInterface("eth0")
	fmt.Println(*eth0.MTU, *eth0.Type == example.NcwsExample_InterfaceType_Ethernet)

	eth0.MTU = genimpl.Ptr[uint16](9000)
	lo, err := root.Interfaces.NewInterface("lo")
	if err != nil {
		log.Fatal(err)
	}
	lo.Type = genimpl.Ptr(example.NcwsExample_InterfaceType_Loopback)
	back, err := root.ToTree(s)
	if err != nil {
		log.Fatal(err)
	}
	out, err := yangxml.Marshal(back, yangxml.EncodeOptions{Indent: "  "})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(out))
	// Output:
	// 1500 true
	// <interfaces xmlns="urn:ncws:yang:ncws-example">
	//   <interface>
	//     <name>eth0</name>
	//     <type xmlns:ex="urn:ncws:yang:ncws-example">ex:ethernet</type>
	//     <mtu>9000</mtu>
	//   </interface>
	//   <interface>
	//     <name>lo</name>
	//     <type xmlns:ex="urn:ncws:yang:ncws-example">ex:loopback</type>
	//   </interface>
	// </interfaces>
}
