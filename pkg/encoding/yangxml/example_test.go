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
