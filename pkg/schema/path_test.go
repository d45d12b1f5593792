package schema

import (
	"slices"
	"strings"
	"testing"
)

func TestCutPath(t *testing.T) {
	for _, c := range []struct {
		p, step, rest string
		more          bool
	}{
		{"", "", "", false},
		{"a", "a", "", false},
		{"a/b/c", "a", "b/c", true},
		{"a/", "a", "", true},
		{"/", "", "", true},
		{"../x:b[name = current()/../c]/d", "..", "x:b[name = current()/../c]/d", true},
		{"x:b[name = current()/../c]/d", "x:b[name = current()/../c]", "d", true},
		{"a[x='/']/b", "a[x='/']", "b", true},
		{`a["]/"]/..`, `a["]/"]`, "..", true},
		{"..[", "..[", "", false},
	} {
		step, rest, more := CutPath(c.p)
		if step != c.step || rest != c.rest || more != c.more {
			t.Errorf("CutPath(%q) = %q, %q, %v; want %q, %q, %v", c.p, step, rest, more, c.step, c.rest, c.more)
		}
	}
	if got, want := SplitPath("a/b[k='x/y']/c"), []string{"a", "b[k='x/y']", "c"}; !slices.Equal(got, want) {
		t.Errorf("SplitPath = %q, want %q", got, want)
	}
}

// FuzzSplitPath: SplitPath cuts at slashes only, so its steps joined by slashes give the path
// back, and each step cut again is whole.
func FuzzSplitPath(f *testing.F) {
	for _, p := range []string{"", "/", "../a", "../../x:b[name = current()/../c]/d", "a[x='/']/b", `a["]/"]/..`, "..[", "]/a/"} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		steps := SplitPath(p)
		if got := strings.Join(steps, "/"); got != p {
			t.Fatalf("SplitPath(%q) = %q: joined %q", p, steps, got)
		}
		for _, s := range steps {
			if step, _, more := CutPath(s); step != s || more {
				t.Fatalf("SplitPath(%q) step %q is cut again", p, s)
			}
		}
	})
}
