package xmltok

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// tokens renders the token stream of doc, one string per token, and the error ending it.
func tokens(doc string, maxDepth int) ([]string, error) {
	z := New([]byte(doc), maxDepth)
	var out []string
	for {
		k, err := z.Next()
		if err != nil {
			return out, err
		}
		switch k {
		case EOF:
			return out, nil
		case StartElement:
			s := fmt.Sprintf("S%s@%d:%d", z.QName(), z.TokenLine(), z.TokenOffset())
			for _, a := range z.Attrs() {
				s += fmt.Sprintf(" %s|%s=%s", a.Prefix, a.Local, AppendAttrValue(nil, a.Value))
			}
			if z.SelfClosing() {
				s += " /"
			}
			out = append(out, s)
		case EndElement:
			out = append(out, fmt.Sprintf("E%d", z.Offset()))
		case Text:
			out = append(out, "T"+string(AppendText(nil, z.Text())))
		case CDATA:
			out = append(out, "C"+string(z.Text()))
		case Comment:
			out = append(out, "!")
		case ProcInst:
			out = append(out, "?")
		}
	}
}

func TestTokenizer(t *testing.T) {
	tests := []struct {
		name    string
		doc     string
		want    []string
		wantErr string
	}{
		{name: "elements and attributes", doc: "<?xml version=\"1.0\"?><p:a xmlns:p=\"u\" b='x&amp;\ty'>t&lt;\r\n<![CDATA[<c>]]><!--k--><d/></p:a>",
			want: []string{"?", "Sp:a@1:21 xmlns|p=u |b=x& y", "Tt<\n", "C<c>", "!", "Sd@2:81 /", "E85", "E91"}},
		{name: "doctype", doc: "<!DOCTYPE a><a/>", wantErr: "line 1: DOCTYPE is not allowed"},
		{name: "mismatch", doc: "<a>\n</b>", want: []string{"Sa@1:0", "T\n"}, wantErr: "line 2: end tag </b> does not match <a>"},
		{name: "too deep", doc: "<a><b><c/></b></a>", want: []string{"Sa@1:0", "Sb@1:3"}, wantErr: "line 1: elements nested deeper than 2"},
		{name: "empty", doc: " ", want: []string{"T "}, wantErr: "line 1: no root element"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tokens(tt.doc, 2)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("tokens mismatch (-want +got):\n%s", diff)
			}
			var se *SyntaxError
			if (tt.wantErr == "") != (err == nil) || err != nil && (err.Error() != tt.wantErr || !errors.As(err, &se)) {
				t.Errorf("error = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestFailStops(t *testing.T) {
	z := New([]byte("<a><b/></a>"), 10)
	z.Next()
	err := z.Fail(3, "namespace trouble %d", 1)
	if _, again := z.Next(); again != err || err.Error() != "line 3: namespace trouble 1" {
		t.Errorf("Next after Fail = %v, want the failure %v", again, err)
	}
}

func TestAllowEmpty(t *testing.T) {
	z := New([]byte("<!-- only -->"), 10)
	z.SetAllowEmpty(true)
	for {
		k, err := z.Next()
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		if k == EOF {
			return
		}
	}
}

// FuzzNext checks the tokenizer's invariants on any input: no panic, balanced start and end
// tokens, increasing offsets within the document, and a sticky *SyntaxError with a line.
func FuzzNext(f *testing.F) {
	for _, s := range []string{"<a x='1'>t<![CDATA[c]]><!--c--><?pi x?><b/></a>", "<!DOCTYPE a><a/>", "<a>&#x10FFFF;&bad;</a>", "\xef\xbb\xbf<a/>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		z := New([]byte(doc), 50)
		depth, last := 0, -1
		for {
			k, err := z.Next()
			if err != nil {
				var se *SyntaxError
				if !errors.As(err, &se) || se.Line < 1 || se.Line > strings.Count(doc, "\n")+1 {
					t.Fatalf("error %v is not a *SyntaxError with a line in the document", err)
				}
				if _, again := z.Next(); again != err {
					t.Fatalf("error not sticky: %v then %v", err, again)
				}
				return
			}
			if z.Offset() < last || z.Offset() > len(doc) {
				t.Fatalf("offset %d after %d (len %d)", z.Offset(), last, len(doc))
			}
			last = z.Offset()
			switch k {
			case StartElement:
				depth++
			case EndElement:
				depth--
			case EOF:
				if depth != 0 {
					t.Fatalf("EOF at depth %d", depth)
				}
				return
			}
			if depth != z.Depth() {
				t.Fatalf("depth %d, Depth() %d", depth, z.Depth())
			}
		}
	})
}

// TestDuplicateAttributesMany: past smallAttrs the duplicate check uses a set; it finds the
// same duplicates (by qualified name) as the comparison with each attribute.
func TestDuplicateAttributesMany(t *testing.T) {
	attrs := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, ` a%d="x" p:a%d="y"`, i, i)
		}
		return b.String()
	}
	for _, tt := range []struct {
		name, extra string
		dup         bool
	}{
		{"none", ` q:a3="z" a1000="z"`, false},
		{"unprefixed", ` a3="z"`, true},
		{"prefixed", ` p:a0="z"`, true},
		{"first after the switch", ``, false},
	} {
		for _, n := range []int{3, smallAttrs, 100} {
			doc := `<r xmlns:p="urn:p" xmlns:q="urn:q"` + attrs(n) + tt.extra + `/>`
			_, err := tokens(doc, 10)
			if tt.dup && n > 3 && (err == nil || !strings.Contains(err.Error(), "duplicate attribute")) {
				t.Errorf("%s, %d: err = %v, want a duplicate attribute", tt.name, n, err)
			}
			if !tt.dup && err != nil {
				t.Errorf("%s, %d: %v", tt.name, n, err)
			}
		}
	}
}
