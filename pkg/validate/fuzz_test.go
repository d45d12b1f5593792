package validate

import (
	"testing"

	"github.com/ncws/ncws/pkg/data"
)

// FuzzInstanceID feeds arbitrary instance-identifiers to the parser and the resolver: neither may
// panic, and whatever parses must resolve without error or report one.
func FuzzInstanceID(f *testing.F) {
	for _, s := range []string{
		"/t:top/server[name='a']/ip",
		"/t:top/tag[.='x']",
		`/t:top/server[t:name="a"]/port`,
		"/t:top/server[1]",
		"/t:misc/refs[ . = 'v' ]",
		"/t:top/server[name='a'][name='b']",
		"/", "", "/t:", "/t:top[", "/t:top/server[name=']", "/t:top/server[0]",
	} {
		f.Add(s)
	}
	s := constraintsSchema()
	v := New(s)
	tr := tree{s: s}
	root := data.NewRoot()
	top := data.New(tr.s.TopNodes()[0])
	root.Insert(top)
	f.Fuzz(func(t *testing.T, in string) {
		steps, err := parseInstanceID(in)
		if err == nil && len(steps) == 0 {
			t.Fatalf("%q: no steps and no error", in)
		}
		v.resolveInstanceID(root, in)
	})
}
