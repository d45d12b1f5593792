package gen

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPackageRefs(t *testing.T) {
	body := "// time.Now in a comment\n/* errors.New( */\n" +
		"func (x *T) F(n *data.Node) error { return genimpl.FromTree(&conv, x, n) }\n" +
		"var s = \"sync.Once \\\" context.Background\"\n" +
		"var r = 'a'\n" +
		"type U struct {\n\tV *string `yang:\"schema.x\"`\n}\n" +
		"func g() { x.data.Foo(); y := 1.5; _ = y }\n"
	want := map[string]bool{"data": true, "genimpl": true, "x": true}
	if diff := cmp.Diff(want, packageRefs(body)); diff != "" {
		t.Errorf("packageRefs mismatch (-want +got):\n%s", diff)
	}
}
