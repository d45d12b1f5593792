package filter

import (
	"testing"

	"github.com/ncws/ncws/pkg/encoding/yangxml"
)

// FuzzSubtree checks that compiling and applying any subtree filter never panics and always
// yields a tree the encoder can write.
func FuzzSubtree(f *testing.F) {
	for _, seed := range []string{
		``,
		`<top xmlns="urn:example:ft"/>`,
		`<top xmlns="urn:example:ft"><user><name>fred</name><info><phone/></info></user><user/></top>`,
		`<top><route><dest>10.0.0.0</dest><len>016</len><proto xmlns:p="urn:example:ft">p:udp</proto></route></top>`,
		`<top xmlns="urn:example:ft"><tag>b</tag><state><sample>4</sample></state><blob><x/></blob></top>`,
		`<f:top xmlns:f="urn:example:ft" a="1" xml:lang="en"><f:name>box</f:name><![CDATA[x]]></f:top>`,
		`<other xmlns="urn:example:ft">o</other><top xmlns="urn:example:ft2"><x>1</x></top>`,
	} {
		f.Add([]byte(seed))
	}
	s := loadSchema(f)
	src := decode(f, s, ftData)
	f.Fuzz(func(t *testing.T, content []byte) {
		flt, err := Subtree(content, s)
		if err != nil {
			return
		}
		out := flt.Apply(src)
		if _, merr := yangxml.Marshal(out, yangxml.EncodeOptions{}); merr != nil {
			t.Fatalf("Marshal of the filter output: %v", merr)
		}
		for _, sn := range s.TopNodes() {
			flt.MaySelect(sn)
		}
	})
}
