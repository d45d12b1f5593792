package gen

import (
	"path/filepath"
	"strings"
	"testing"
)

// shareMain reads testdata/share/doc.xml into the structs generated with ShareGroupings, shows
// which instances share a Go type, and edits running through a datastore whose hook prints the
// typed changes: an edit at each instance of a shared type gets that type.
const shareMain = `package main

import (
	"context"
	"fmt"
	"os"

	"example.com/roundtrip/share"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	doc, err := os.ReadFile(os.Args[1])
	if err != nil {
		return err
	}
	tree, errs := yangxml.Unmarshal(doc, share.Schema(), yangxml.DecodeOptions{})
	if len(errs) > 0 {
		return errs
	}
	var root share.Root
	if err := root.FromTree(tree); err != nil {
		return err
	}
	n := root.Network
	fmt.Printf("left %T right %T monitored %T\n", n.Left.Address, n.Right.Address, n.Monitored.Address)
	fmt.Printf("tls %T %T\n", n.Left.TLS, n.Monitored.TLS)
	fmt.Printf("options %T %T %T\n", n.Option[0], n.Left.TLS.Option[0], n.Monitored.Option[0])
	fmt.Printf("unions %T %T\n", n.Retry, n.Left.Address.Timeout)
	fmt.Printf("enums %T %v %v %v\n", n.Fallback, *n.Admin, *n.Fallback, *n.Fallback == share.ShareBase_Network_Fallback_Up)
	fmt.Println("left:", *n.Left.Address.Host, *n.Left.Address.Port, n.Left.TLS.GetOption("strict").Value[0], n.Left.GetOption("o1").Value)
	fmt.Println("monitored:", *n.Monitored.Address.Host, *n.Monitored.Address.ProbeInterval)
	// One struct value written into two places of the tree.
	n.Right.TLS = n.Left.TLS
	back, err := root.ToTree(share.Schema())
	if err != nil {
		return err
	}
	out, err := yangxml.Marshal(back, yangxml.EncodeOptions{})
	if err != nil {
		return err
	}
	fmt.Println(string(out))

	dir, err := os.MkdirTemp("", "share")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	hook := datastore.HookFuncs{ApplyFunc: func(ctx context.Context, c *datastore.Commit) error {
		chs, err := share.Changes(c)
		if err != nil {
			return err
		}
		for _, ch := range chs {
			fmt.Printf("change %s: %T -> %T\n", ch.Path, ch.Old, ch.New)
		}
		return nil
	}}
	st, err := datastore.Open(datastore.Options{Schema: share.Schema(), Dir: dir, Hooks: []datastore.Hook{hook}})
	if err != nil {
		return err
	}
	defer st.Close()
	for _, edit := range []string{
		"<network xmlns='urn:example:share-base'><left><address><host>a</host></address></left>" +
			"<right><address><host>b</host></address><tls><option><name>x</name></option></tls></right>" +
			"<monitored><address><host>c</host></address></monitored></network>",
		"<network xmlns='urn:example:share-base'><left><address><host>a2</host></address></left>" +
			"<right><address><host>b2</host></address><tls><option><name>x</name><value>v</value></option></tls></right>" +
			"<monitored><address><host>c2</host></address></monitored></network>",
	} {
		fmt.Println("edit")
		if errs := st.Edit(context.Background(), datastore.Who{User: "admin"}, datastore.Running, []byte(edit), datastore.EditOptions{}); len(errs) > 0 {
			return errs
		}
	}
	return nil
}
`

// TestShareGroupings builds the golden case "share" (Options.ShareGroupings) and runs a program
// over it: the instances of a grouping's container share one Go type, the augmented instance
// has its own, two inline unions of the same members are one type, an inline enumeration with
// another's names and values is an alias of it (sameTypes), a shared struct converts and
// round-trips wherever it sits, and typed changes give the shared type for every path it
// stands for.
func TestShareGroupings(t *testing.T) {
	t.Parallel() // a program built and run in a temporary module of its own
	if testing.Short() {
		t.Skip("builds and runs a program")
	}
	caseDir, err := filepath.Abs(filepath.Join("testdata", "share"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	initModule(t, dir, "example.com/roundtrip")
	for n, b := range generateCase(t, caseDir, "share") {
		writeFile(t, filepath.Join(dir, "share", n), string(b))
	}
	writeFile(t, filepath.Join(dir, "main.go"), shareMain)
	out := goCmd(t, dir, true, "run", ".", filepath.Join(caseDir, "doc.xml"))
	want := strings.Join([]string{
		"left *share.ShareBase_Endpoint_Address right *share.ShareBase_Endpoint_Address monitored *share.ShareBase_Network_Monitored_Address",
		"tls *share.ShareBase_Endpoint_TLS *share.ShareBase_Endpoint_TLS",
		"options *share.ShareBase_Options_Option *share.ShareBase_Options_Option *share.ShareBase_Options_Option",
		"unions share.Union_Uint32_String_Uint32 share.Union_Uint32_String_String",
		"enums *share.ShareBase_Network_Admin down up true",
		"left: 10.0.0.1 830 yes [x y]",
		"monitored: 10.0.0.3 30",
		`<network xmlns="urn:example:share-base"><option><name>global</name><value>a</value></option><retry>3</retry><admin>down</admin><fallback>up</fallback>` +
			`<left><address><host>10.0.0.1</host><port>830</port><timeout>&lt;var&gt;</timeout></address><tls><ca>root-ca</ca><option><name>strict</name><value>yes</value></option></tls>` +
			`<option><name>o1</name><value>x</value><value>y</value></option></left>` +
			`<right><address><host>10.0.0.2</host></address><tls><ca>root-ca</ca><option><name>strict</name><value>yes</value></option></tls></right>` +
			`<monitored><address><host>10.0.0.3</host><probe-interval xmlns="urn:example:share-ext">30</probe-interval></address>` +
			`<option><name>m</name></option></monitored></network>`,
		"",
	}, "\n")
	if !strings.HasPrefix(out, want) {
		t.Fatalf("program output mismatch (-want +got):\n%s", cmpDiff(want, out))
	}
	changes := out[len(want):]
	for _, w := range []string{
		"/share-base:network/left/address: *share.ShareBase_Endpoint_Address -> *share.ShareBase_Endpoint_Address",
		"/share-base:network/right/address: *share.ShareBase_Endpoint_Address -> *share.ShareBase_Endpoint_Address",
		"/share-base:network/right/tls/option[name='x']: *share.ShareBase_Options_Option -> *share.ShareBase_Options_Option",
		"/share-base:network/monitored/address: *share.ShareBase_Network_Monitored_Address -> *share.ShareBase_Network_Monitored_Address",
	} {
		if !strings.Contains(changes, "change "+w+"\n") {
			t.Errorf("no typed change %q in:\n%s", w, changes)
		}
	}
}
