package gen_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ncws/ncws/gen"
	"github.com/ncws/ncws/pkg/schema/yangload"
)

func ExampleGenerate() {
	dir, err := os.MkdirTemp("", "gen-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "demo.yang")
	err = os.WriteFile(file, []byte(`module demo {
  namespace "urn:demo";
  prefix d;
  container interfaces {
    list interface {
      key "name";
      leaf name { type string; }
      leaf mtu { type uint16; }
    }
  }
}`), 0o644)
	if err != nil {
		log.Fatal(err)
	}
	s, err := yangload.Load(yangload.Options{Files: []string{file}})
	if err != nil {
		log.Fatal(err)
	}
	files, err := gen.Generate(s, gen.Options{Package: "demo"})
	if err != nil {
		log.Fatal(err)
	}
	var names []string
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	fmt.Println(names)
	for _, line := range strings.Split(string(files["demo_types.go"]), "\n") {
		if strings.HasPrefix(line, "type ") || strings.HasPrefix(line, "func ") {
			fmt.Println(line)
		}
	}
	// Output:
	// [changes.go demo_convert.go demo_types.go demo_yang.go root.go schema.go schema_descriptor.go]
	// type Demo_Interfaces struct {
	// func (x *Demo_Interfaces) AppendInterface(e *Demo_Interfaces_Interface) error {
	// func (x *Demo_Interfaces) GetInterface(kName string) *Demo_Interfaces_Interface {
	// func (x *Demo_Interfaces) NewInterface(kName string) (*Demo_Interfaces_Interface, error) {
	// type Demo_Interfaces_Interface struct {
}

func ExampleGoName() {
	for _, n := range []string{"mac-address", "ipv4-prefix", "interface-id", "foo_bar", "10g"} {
		fmt.Println(gen.GoName(n))
	}
	// Output:
	// MACAddress
	// IPv4Prefix
	// InterfaceID
	// FooBar
	// X10g
}
