package edit_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore/internal/edit"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/schema/yangload"
)

func Example() {
	dir, _ := os.MkdirTemp("", "edit-example")
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "dev.yang")
	os.WriteFile(file, []byte(`module dev {
  namespace "urn:example:dev";
  prefix dev;
  container device {
    leaf hostname { type string; }
    list port {
      key name;
      ordered-by user;
      leaf name { type string; }
      leaf mtu { type uint16; }
    }
  }
}`), 0o644)
	s, err := yangload.Load(yangload.Options{Files: []string{file}})
	if err != nil {
		fmt.Println(err)
		return
	}
	running, _ := yangxml.Unmarshal([]byte(`<device xmlns="urn:example:dev">
  <hostname>r1</hostname>
  <port><name>ge0</name><mtu>1500</mtu></port>
  <port><name>ge1</name></port>
</device>`), s, yangxml.DecodeOptions{})

	// The content of <config>: delete ge1, add ge2 before ge0, change the hostname.
	ed, errs := edit.Decode([]byte(`<device xmlns="urn:example:dev"
    xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:yang="urn:ietf:params:xml:ns:yang:1">
  <hostname>r2</hostname>
  <port nc:operation="delete"><name>ge1</name></port>
  <port yang:insert="before" yang:key="[dev:name='ge0']" xmlns:dev="urn:example:dev"><name>ge2</name></port>
</device>`), s)
	if errs != nil {
		fmt.Println(errs)
		return
	}
	var t data.Txn
	if errs := ed.Apply(running, &t, edit.Options{}); errs != nil {
		fmt.Println(errs)
		return
	}
	out, _ := yangxml.Marshal(running, yangxml.EncodeOptions{Indent: "  "})
	fmt.Print(string(out))

	// Applying it again fails: ge1 is gone. rollback-on-error leaves running as it was.
	errs = ed.Apply(running, &t, edit.Options{ErrorOption: "rollback-on-error"})
	fmt.Println(errs)
	// Output:
	// <device xmlns="urn:example:dev">
	//   <hostname>r2</hostname>
	//   <port>
	//     <name>ge2</name>
	//   </port>
	//   <port>
	//     <name>ge0</name>
	//     <mtu>1500</mtu>
	//   </port>
	// </device>
	// /dev:device/port[name='ge1']: list "port" to delete does not exist [data-missing]
}
