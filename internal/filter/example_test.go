package filter_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/ncws/ncws/internal/filter"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/schema/yangload"
)

func Example() {
	dir, _ := os.MkdirTemp("", "filter-example")
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "dev.yang")
	os.WriteFile(file, []byte(`module dev {
  namespace "urn:example:dev";
  prefix dev;
  container device {
    leaf hostname { type string; }
    list port {
      key name;
      leaf name { type string; }
      leaf mtu { type uint16; }
      leaf speed { type uint32; }
    }
  }
}`), 0o644)
	s, err := yangload.Load(yangload.Options{Files: []string{file}})
	if err != nil {
		fmt.Println(err)
		return
	}
	root, errs := yangxml.Unmarshal([]byte(`<device xmlns="urn:example:dev">
  <hostname>r1</hostname>
  <port><name>eth0</name><mtu>1500</mtu><speed>1000</speed></port>
  <port><name>eth1</name><mtu>9000</mtu><speed>10000</speed></port>
</device>`), s, yangxml.DecodeOptions{})
	if len(errs) > 0 {
		fmt.Println(errs)
		return
	}

	// Subtree filter: the mtu of port eth1 (the key is a content match node).
	f, rerr := filter.Subtree([]byte(`<device xmlns="urn:example:dev"><port><name>eth1</name><mtu/></port></device>`), s)
	if rerr != nil {
		fmt.Println(rerr)
		return
	}
	out, _ := yangxml.Marshal(f.Apply(root), yangxml.EncodeOptions{Wrapper: "data"})
	fmt.Println(string(out))
	// A state provider for hostname need not be asked for this filter.
	fmt.Println(f.MaySelect(s.FindNode("/dev:device/hostname")), f.MaySelect(s.FindNode("/dev:device/port/mtu")))

	// XPath filter: the speed of every port, prefixes declared on <filter>.
	f, rerr = filter.XPath("/d:device/d:port/d:speed", map[string]string{"d": "urn:example:dev"}, s)
	if rerr != nil {
		fmt.Println(rerr)
		return
	}
	out, _ = yangxml.Marshal(f.Apply(root), yangxml.EncodeOptions{Wrapper: "data"})
	fmt.Println(string(out))
	// Output:
	// <data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><device xmlns="urn:example:dev"><port><name>eth1</name><mtu>9000</mtu></port></device></data>
	// false true
	// <data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><device xmlns="urn:example:dev"><port><name>eth0</name><speed>1000</speed></port><port><name>eth1</name><speed>10000</speed></port></device></data>
}
