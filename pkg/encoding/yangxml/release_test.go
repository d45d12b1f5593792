package yangxml

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
	"unsafe"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
)

// TestReleaseDropsOnlyWhatIsDone decodes a document larger than a few ReleaseStep twice: once
// as is, once overwriting the bytes before each offset DecodeOptions.Release gives (as a caller
// that dropped them would lose them). The trees and errors must be the same: the decoder reads
// nothing it released and its tree refers to none of it (long leaf texts built from several
// segments, an anydata element spanning more than one ReleaseStep, errors whose paths are made
// after the fact).
func TestReleaseDropsOnlyWhatIsDone(t *testing.T) {
	s := exSchema(t)
	var b bytes.Buffer
	b.WriteString(`<top xmlns="urn:ex">`)
	for i := range 20000 {
		fmt.Fprintf(&b, "<ll>entry &amp; %d</ll>\n", i)
	}
	for i := range 40000 {
		k2 := i % 256
		if i%9999 == 0 {
			k2 = 999 // out of range: an error whose path names the entry
		}
		fmt.Fprintf(&b, "<item><k1>key-%d&lt;%s</k1><k2>%d</k2><v>first part %d <![CDATA[<second>]]> third</v></item>\n",
			i, bytes.Repeat([]byte("x"), i%50), k2, i)
	}
	b.WriteString(`<any><wrap xmlns:p="urn:p">`)
	for anyStart := b.Len(); b.Len() < anyStart+3*ReleaseStep; {
		fmt.Fprintf(&b, "<p:el a=\"%d\">text %d</p:el>", b.Len(), b.Len())
	}
	b.WriteString("</wrap></any></top>")
	doc := b.Bytes()

	want, wantErrs := Unmarshal(slices.Clone(doc), s, DecodeOptions{})
	if want == nil || len(wantErrs) == 0 {
		t.Fatalf("reference decode: tree %v, errors %v (the document has bad values on purpose)", want != nil, wantErrs)
	}

	scribbled := slices.Clone(doc)
	var offs []int
	released := 0
	got, gotErrs := Unmarshal(scribbled, s, DecodeOptions{Release: func(off int) {
		offs = append(offs, off)
		for ; released < off; released++ {
			scribbled[released] = 0xff
		}
	}})
	if len(offs) < 3 {
		t.Fatalf("Release called %d times for %d bytes, want at least 3", len(offs), len(doc))
	}
	if !slices.IsSorted(offs) || offs[len(offs)-1] > len(doc) {
		t.Errorf("Release offsets not increasing within the document: %v", offs)
	}
	// Everything before the anydata element is released; its content is held until its end tag.
	if anyAt := bytes.Index(doc, []byte("<any>")); offs[len(offs)-1] > anyAt || offs[len(offs)-1] < anyAt-4096 {
		t.Errorf("Release offsets %v, anydata at %d: want the last one at the anydata element", offs, anyAt)
	}
	if got == nil || !data.Equal(got, want) {
		t.Fatal("the tree decoded with Release differs from the reference")
	}
	// The anydata value and every string in the tree are intact after the release.
	scribbled = nil
	var anyVal string
	got.Walk(func(n *data.Node) bool {
		if n.Schema != nil && n.Schema.Name == "any" {
			anyVal = n.Value.Str
		}
		return true
	})
	if !bytes.HasSuffix(doc, []byte(anyVal[len(anyVal)-1000:]+"</any></top>")) || len(anyVal) < 2*ReleaseStep {
		t.Errorf("anydata value (%d bytes) is not the document's content", len(anyVal))
	}
	if a, b := errStrings(gotErrs), errStrings(wantErrs); !slices.Equal(a, b) {
		t.Errorf("errors differ:\n got %q\nwant %q", a, b)
	}
}

// TestReusedDecoderOtherSchema decodes documents in one namespace alternately against two
// schemas whose modules of that namespace differ: a pooled decoder keeps the namespaces it
// resolved for the next document of the same schema only, so each document is read against
// its own schema (a leaf of one is unknown in the other).
func TestReusedDecoderOtherSchema(t *testing.T) {
	one := loadYANG(t, map[string]string{"m": `module m { yang-version 1.1; namespace "urn:m"; prefix m; container c { leaf a { type string; } } }`})
	two := loadYANG(t, map[string]string{"m": `module m { yang-version 1.1; namespace "urn:m"; prefix m; container c { leaf b { type int8; } } }`})
	for range 3 {
		for _, tc := range []struct {
			s       *schema.Schema
			doc     string
			wantErr bool
		}{
			{one, `<c xmlns="urn:m"><a>x</a></c>`, false},
			{two, `<c xmlns="urn:m"><a>x</a></c>`, true},
			{two, `<c xmlns="urn:m"><b>7</b></c>`, false},
			{one, `<c xmlns="urn:m"><b>7</b></c>`, true},
		} {
			root, errs := Unmarshal([]byte(tc.doc), tc.s, DecodeOptions{})
			if (len(errs) > 0) != tc.wantErr {
				t.Fatalf("%s: errors %v, want errors: %v", tc.doc, errs, tc.wantErr)
			}
			if !tc.wantErr && root.Children()[0].Schema != tc.s.FindNode("/m:c") {
				t.Fatalf("%s: decoded against another schema", tc.doc)
			}
		}
	}
}

// TestShortNumbersShared: the text of a short number is copied once per document and shared by
// the leaves that repeat it (k2 of item takes 256 values over 3,000 entries); every value is
// still the one written.
func TestShortNumbersShared(t *testing.T) {
	s := exSchema(t)
	var b bytes.Buffer
	b.WriteString(`<top xmlns="urn:ex">`)
	for i := range 3000 {
		fmt.Fprintf(&b, "<item><k1>k%d</k1><k2>%d</k2></item>", i, i%256)
	}
	b.WriteString(`</top>`)
	root, errs := Unmarshal(b.Bytes(), s, DecodeOptions{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	first := map[string]*byte{}
	n := 0
	root.Walk(func(x *data.Node) bool {
		if x.Schema != nil && x.Schema.Name == "k2" {
			want := fmt.Sprint(n % 256)
			if x.Value.Str != want {
				t.Fatalf("entry %d: k2 = %q, want %q", n, x.Value.Str, want)
			}
			p := unsafe.StringData(x.Value.Str)
			if q, ok := first[want]; ok && q != p {
				t.Fatalf("entry %d: k2 %q is a copy of its own", n, want)
			} else if !ok {
				first[want] = p
			}
			n++
		}
		return true
	})
	if n != 3000 {
		t.Fatalf("%d k2 leaves, want 3000", n)
	}
}
