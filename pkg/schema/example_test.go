package schema_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
)

func Example_findNode() {
	dir, _ := os.MkdirTemp("", "schema-example")
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "ex.yang")
	os.WriteFile(file, []byte(`module ex { yang-version 1.1; namespace "urn:ex"; prefix ex;
  container device {
    list port { key name; leaf name { type string; }
      choice media { leaf copper { type empty; } leaf fiber { type empty; } } }
    leaf mtu { type uint16 { range "68..9216"; } default 1500; } } }`), 0o644)
	s, err := yangload.Load(yangload.Options{Files: []string{file}})
	if err != nil {
		fmt.Println(err)
		return
	}
	// A schema node identifier names choices and cases; Path gives the data path.
	fiber := s.FindNode("/ex:device/port/media/fiber/fiber")
	fmt.Println(fiber.Path(), fiber.Kind, fiber.Parent.Kind)
	mtu := s.Top(s.Module("ex"), "device").Child(s.Module("ex"), "mtu")
	fmt.Println(mtu.Path(), mtu.Type.Base, mtu.Default())
	// Output:
	// /ex:device/port/fiber leaf case
	// /ex:device/mtu uint16 [1500]
}

// A descriptor carries a compiled schema without its YANG text: generated code keeps one in a
// string constant and rebuilds the schema at init.
func ExampleMarshalDescriptor() {
	dir, _ := os.MkdirTemp("", "schema-example")
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "ex.yang")
	os.WriteFile(file, []byte(`module ex { yang-version 1.1; namespace "urn:ex"; prefix ex;
  container device { leaf name { type string { pattern "[a-z]+"; } } } }`), 0o644)
	s, err := yangload.Load(yangload.Options{Files: []string{file}})
	if err != nil {
		fmt.Println(err)
		return
	}
	desc, err := schema.MarshalDescriptor(s, schema.DescriptorOptions{OmitSources: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	back, err := schema.UnmarshalDescriptor(desc)
	if err != nil {
		fmt.Println(err)
		return
	}
	m := back.Module("ex")
	name := back.Top(m, "device").Child(m, "name")
	fmt.Println(name.Path(), name.Type.Patterns[0].Regexp().MatchString("eth"))
	// Output:
	// /ex:device/name true
}
