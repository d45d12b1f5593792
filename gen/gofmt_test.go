package gen

import (
	"bytes"
	"fmt"
	"go/format"
	"strings"
	"testing"
)

// TestGofmtLayout checks the gofmt rules gofmt.go reproduces at their edges: each case writes
// declarations with the helpers and must be what go/format prints for them.
func TestGofmtLayout(t *testing.T) {
	recv := "func (x *T) "
	g := &generator{}
	for _, tc := range []struct {
		name  string
		write func(b *strings.Builder)
	}{
		// go/printer's one-line rule: header + statement <= 99 bytes stays on one line.
		{"func 99 bytes", func(b *strings.Builder) {
			g.writeFunc1(b, recv+"F() int", "return "+strings.Repeat("1", 99-len(recv+"F() int")-len("return ")))
		}},
		{"func 100 bytes", func(b *strings.Builder) {
			g.writeFunc1(b, recv+"F() int", "return "+strings.Repeat("1", 100-len(recv+"F() int")-len("return ")))
		}},
		{"func long", func(b *strings.Builder) {
			g.writeFunc1(b, recv+"F(a, b int) (int, error)", `return g("`+strings.Repeat("x", 200)+`", a, b)`)
		}},
		// Doc comments go through go/doc/comment: headings, lists and indented lines change.
		{"doc plain", func(b *strings.Builder) { writeDocText(b, "T is a type.") }},
		{"doc heading", func(b *strings.Builder) {
			writeDocText(b, "T is a type.\n\nList of VRRP groups, keyed by virtual router id\n\nMore text follows here.")
		}},
		{"doc list", func(b *strings.Builder) {
			writeDocText(b, "T holds:\n- one thing\n- another thing\n1. first\n2) second\n* star\n+ plus")
		}},
		{"doc marker first", func(b *strings.Builder) { writeDocText(b, "- a list from the start") }},
		{"doc hash", func(b *strings.Builder) { writeDocText(b, "# Heading\n\nText.") }},
		{"doc digits", func(b *strings.Builder) { writeDocText(b, "802.1Q tagging.") }},
		{"doc url", func(b *strings.Builder) {
			writeDocText(b, "See https://example.com/x [RFC 7950] and [T].\n\n  indented line\n\tand tab")
		}},
		{"doc long", func(b *strings.Builder) { writeDocText(b, strings.Repeat("word ", 80)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			b.WriteString("package p\n\ntype T int\n\n")
			tc.write(&b)
			if strings.HasPrefix(tc.name, "doc") {
				b.WriteString("var V int\n")
			}
			check(t, b.String())
		})
	}
	// Under --split module the one-line rule is applied once the marked names are resolved (a
	// name of another package gets its qualifier): at 99, 100 and 101 bytes after resolution.
	for _, n := range []int{99, 100, 101} {
		t.Run(fmt.Sprintf("split func %d bytes", n), func(t *testing.T) {
			sg := &generator{opts: Options{Split: "module"}}
			header := "func (x *" + markL + "T" + markR + ") F() *" + markL + "U" + markR
			resolved := len("func (x *T) F() *q.U")
			var b strings.Builder
			b.WriteString("package p\n\ntype T int\n\n")
			sg.writeFunc1(&b, header, "return "+strings.Repeat("x", n-1-resolved-len("return ")))
			body := strings.NewReplacer(markL+"T"+markR, "T", markL+"U"+markR, "q.U").Replace(b.String())
			check(t, layoutFunc1s(body))
		})
	}
	t.Run("consts", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("package p\n\ntype Tä int\n\ntype S string\n\nconst (\n")
		alignConsts(&b, []constSpec{
			{name: "A", typ: "Tä", value: "0", comment: "a"},
			{name: "Bäää", typ: "Tä", value: "-1", comment: "b\tc"},
			{name: "C", typ: "Tä", value: "100000", comment: "ü"},
		})
		b.WriteString(")\n\nconst (\n")
		alignConsts(&b, []constSpec{
			{name: "X", typ: "S", value: `"m:x"`},
			{name: "Yyyyyy", typ: "S", value: `"m:yyyy"`},
			{doc: "\t// Z is z.\n\t//\n\t// More.\n", name: "Z", typ: "S", value: `"m:z"`},
			{name: "Zz", typ: "S", value: `"m:zz"`},
		})
		b.WriteString(")\n")
		check(t, b.String())
	})
}

func check(t *testing.T, src string) {
	t.Helper()
	src = strings.TrimRight(src, "\n") + "\n" // as files() ends a file
	f, err := format.Source([]byte(src))
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	if !bytes.Equal(f, []byte(src)) {
		t.Errorf("not gofmt's layout (-written +gofmt):\n%s", cmpDiff(src, string(f)))
	}
}
