package edit

import (
	"testing"

	"github.com/ncws/ncws/pkg/data"
)

var fuzzOpts = []Options{
	{},
	{DefaultOperation: "replace"},
	{DefaultOperation: "none"},
	{ErrorOption: "continue-on-error"},
	{DefaultOperation: "none", ErrorOption: "continue-on-error"},
	{DefaultOperation: "replace", ErrorOption: "continue-on-error"},
	{ErrorOption: "rollback-on-error"},
}

// FuzzDecodeApply decodes arbitrary edit content and applies it to the test datastore under
// each combination of options: nothing may panic, rollback-on-error must leave the datastore as
// it was, and undoing the Txn must always restore it.
func FuzzDecodeApply(f *testing.F) {
	seeds := []string{
		top(`<name>n2</name><item><id>3</id><val>c</val><sub><s>y</s></sub></item>`),
		top(`<item nc:operation="replace"><id>2</id><val>z</val></item><inner><b>q</b></inner>`),
		`<top` + nsDecls + ` nc:operation="replace"><name>r</name><item nc:operation="merge"><id>2</id><val>m</val></item>` +
			`<item nc:operation="delete"><id>1</id></item><ord><k1>c</k1><k2>3</k2></ord></top>`,
		top(`<ord yang:insert="after" yang:key="[ex:k1='a'][ex:k2='1']"><k1>z</k1><k2>0</k2></ord>`),
		top(`<tags yang:insert="first">n1</tags><tags yang:insert="after" yang:value="n1">n2</tags>`),
		top(`<dl nc:operation="create">d1</dl><enabled nc:operation="delete"/><mtu nc:operation="delete"/>`),
		top(`<cb><x>1</x></cb><pres nc:operation="remove"/>`),
		`<other xmlns="urn:ex" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"><o nc:operation="create">1</o></other>`,
		top(`<item><id>1</id><val nc:operation="delete"/></item><blob><x xmlns="urn:y"/></blob>`),
		`<root-list xmlns="urn:ex"><k>c</k></root-list><root-list xmlns="urn:ex"><k>a</k></root-list>`,
	}
	for _, s := range seeds {
		f.Add([]byte(s), uint8(0))
	}
	s := loadSchema(f)
	base := datastore(f, s, startDoc)
	f.Fuzz(func(t *testing.T, edit []byte, which uint8) {
		ed, errs := Decode(edit, s)
		if ed == nil {
			if len(errs) == 0 {
				t.Fatal("Decode returned neither an Edit nor errors")
			}
			return
		}
		for i, o := range fuzzOpts {
			if which != 0 && int(which)%len(fuzzOpts) != i {
				continue
			}
			root := base.Clone()
			var txn data.Txn
			errs := ed.Apply(root, &txn, o)
			if len(errs) > 0 && o.ErrorOption == "rollback-on-error" && !data.Equal(base, root) {
				t.Fatalf("%+v: rollback-on-error left changes", o)
			}
			if len(errs) > 0 && o.ErrorOption == "rollback-on-error" && txn.Len() != 0 {
				t.Fatalf("%+v: rollback-on-error left %d changes recorded", o, txn.Len())
			}
			txn.Undo()
			if !data.Equal(base, root) {
				t.Fatalf("%+v: Undo did not restore the datastore:\n%s", o, marshal(t, root, true))
			}
		}
	})
}
