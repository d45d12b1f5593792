package yangxml_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/schema/yangload"
)

func Example() {
	dir, _ := os.MkdirTemp("", "yangxml-example")
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "dev.yang")
	os.WriteFile(file, []byte(`module dev {
  namespace "urn:example:dev";
  prefix dev;
  container device {
    list port {
      key name;
      leaf mtu { type uint16 { range "68..9216"; } }
      leaf name { type string; }
    }
  }
}`), 0o644)
	s, err := yangload.Load(yangload.Options{Files: []string{file}})
	if err != nil {
		fmt.Println(err)
		return
	}
	doc := `<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">
  <device xmlns="urn:example:dev">
    <port><mtu>+1500</mtu><name>ge0</name></port>
    <port><name>ge1</name><mtu>20</mtu></port>
  </device>
</config>`
	root, errs := yangxml.Unmarshal([]byte(doc), s, yangxml.DecodeOptions{})
	for _, e := range errs {
		fmt.Printf("line %d: %v\n", e.Line, e)
	}
	out, _ := yangxml.Marshal(root, yangxml.EncodeOptions{Indent: "  "})
	fmt.Print(string(out))
	// Output:
	// line 4: /dev:device/port[name='ge1']/mtu: value "20" is out of the allowed range [invalid-value]
	// <device xmlns="urn:example:dev">
	//   <port>
	//     <name>ge0</name>
	//     <mtu>1500</mtu>
	//   </port>
	//   <port>
	//     <name>ge1</name>
	//   </port>
	// </device>
}

// ExampleUnmarshalNested decodes an <action> (RFC 7950 section 7.15.2): the path down to the
// action, then the action's input.
func ExampleUnmarshalNested() {
	dir, _ := os.MkdirTemp("", "yangxml-example")
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "dev.yang")
	os.WriteFile(file, []byte(`module dev {
  yang-version 1.1;
  namespace "urn:example:dev";
  prefix dev;
  list port {
    key name;
    leaf name { type string; }
    action reset { input { leaf delay { type uint32; } } }
  }
}`), 0o644)
	s, err := yangload.Load(yangload.Options{Files: []string{file}})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, in, errs := yangxml.UnmarshalNested([]byte(`<action xmlns="urn:ietf:params:xml:ns:yang:1">
  <port xmlns="urn:example:dev"><name>eth0</name><reset><delay>5</delay></reset></port>
</action>`), s, yangxml.DecodeOptions{})
	if len(errs) > 0 {
		fmt.Println(errs)
		return
	}
	fmt.Println(in.Parent.Path(), in.Schema.Path(), in.ChildByName("delay").Value.Str)
	// Output: /dev:port[name='eth0'] /dev:port/reset/input 5
}
