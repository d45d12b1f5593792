package yangjson_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/ncws/ncws/pkg/encoding/yangjson"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/schema/yangload"
)

func Example() {
	dir, _ := os.MkdirTemp("", "yangjson-example")
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "dev.yang")
	os.WriteFile(file, []byte(`module dev {
  namespace "urn:example:dev";
  prefix dev;
  container device {
    leaf uptime { type uint64; }
    leaf-list dns { type string; }
    leaf debug { type empty; }
  }
}`), 0o644)
	s, err := yangload.Load(yangload.Options{Files: []string{file}})
	if err != nil {
		fmt.Println(err)
		return
	}
	root, errs := yangxml.Unmarshal([]byte(`<device xmlns="urn:example:dev"><uptime>42</uptime>`+
		`<dns>a</dns><dns>b</dns><debug/></device>`), s, yangxml.DecodeOptions{})
	if len(errs) > 0 {
		fmt.Println(errs)
		return
	}
	out, _ := yangjson.Marshal(root, yangjson.EncodeOptions{})
	fmt.Println(string(out))
	// Output:
	// {"dev:device":{"uptime":"42","dns":["a","b"],"debug":[null]}}
}
