package yangload_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/ncws/ncws/pkg/schema/yangload"
)

func ExampleLoad() {
	dir, err := os.MkdirTemp("", "yangload")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "example.yang")
	err = os.WriteFile(file, []byte(`module example {
  yang-version 1.1;
  namespace "urn:example";
  prefix ex;
  feature jumbo;
  typedef mtu { type uint16 { range "68..1500"; } default 1500; }
  container device {
    leaf mtu { type mtu { range "68..max"; } }
    leaf jumbo-mtu { if-feature jumbo; type uint16; }
  }
}`), 0o644)
	if err != nil {
		log.Fatal(err)
	}
	features := map[string][]string{}
	if err := yangload.ParseFeatureFlag("example:", features); err != nil { // no features
		log.Fatal(err)
	}
	s, err := yangload.Load(yangload.Options{Files: []string{file}, Features: features})
	if err != nil {
		log.Fatal(err)
	}
	m := s.Module("example")
	device := s.Top(m, "device")
	mtu := device.Child(m, "mtu")
	fmt.Println(mtu.Path(), mtu.Type.Base, mtu.Type.Range[0].Min, mtu.Type.Range[0].Max, mtu.Default())
	fmt.Println(device.Child(m, "jumbo-mtu") == nil)

	_, err = yangload.Load(yangload.Options{Files: []string{filepath.Join(dir, "missing.yang")}})
	fmt.Println(err != nil)
	// Output:
	// /example:device/mtu uint16 68 1500 [1500]
	// true
	// true
}
