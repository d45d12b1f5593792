package schema_test

import (
	"fmt"
	"os"
	"path/filepath"

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
	fmt.Println(mtu.Path(), mtu.Type.Base, mtu.Default)
	// Output:
	// /ex:device/port/fiber leaf case
	// /ex:device/mtu uint16 [1500]
}
