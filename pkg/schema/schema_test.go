package schema_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ncws/ncws/pkg/schema/yangload"
)

func TestFindNode(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f.yang")
	os.WriteFile(file, []byte(`module f { yang-version 1.1; namespace "urn:f"; prefix f;
  container top {
    list item { key id; leaf id { type string; }
      choice how { mandatory true; case one { leaf a { type string; } } leaf b { type string; } }
      action reset { input { leaf force { type boolean; } } }
    }
  }
  rpc ping { output { leaf rtt { type uint32; } } }
}`), 0o644)
	s, err := yangload.Load(yangload.Options{Files: []string{file}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ id, want string }{
		{"/f:top/item/how/one/a", "/f:top/item/a"},
		{"/f:top/item/how/b/b", "/f:top/item/b"},
		{"/f:top/item/how", "/f:top/item"},
		{"/f:top/item/reset/input/force", "/f:top/item/reset/input/force"},
		{"/f:ping/output/rtt", "/f:ping/output/rtt"},
		// Node.Path's form, choice and case left out, resolves too.
		{"/f:top/item/a", "/f:top/item/a"},
		{"/f:top/item/b", "/f:top/item/b"},
	} {
		n := s.FindNode(tt.id)
		if n == nil {
			t.Errorf("FindNode(%q) = nil", tt.id)
			continue
		}
		if got := n.Path(); got != tt.want {
			t.Errorf("FindNode(%q).Path() = %q, want %q", tt.id, got, tt.want)
		}
	}
	for _, bad := range []string{"", "top", "/f:top/a", "/f:top/item/c", "/g:top", "/f:top/item/how/two/a", "/f:top/item/how/one/x"} {
		if n := s.FindNode(bad); n != nil {
			t.Errorf("FindNode(%q) = %s, want nil", bad, n.Path())
		}
	}
}
