package datastore

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/schema/yangload"
)

// quoteInPlace must give back, through encoding/json, what json.Marshal's encoding does: the
// journal's records are read by json.Unmarshal. The bytes before start stay; with and without
// spare capacity for the escapes.
func TestQuoteInPlace(t *testing.T) {
	for _, s := range []string{
		"",
		`<a xmlns="urn:x">b &amp; "c" \ d</a>`,
		"tab\there, newline\n, cr\r, nul\x00, bell\x07, esc\x1b, del\x7f",
		"é ü 日本 \u2028 \u2029 🙂",
		`"""\\"`,
		"bad utf-8 \xff\xfe here",
	} {
		for _, spare := range []int{0, 1000} {
			in := append(make([]byte, 0, 1+len(s)+spare), 'x')
			b := quoteInPlace(append(in, s...), 1)
			if b[0] != 'x' {
				t.Fatalf("%q: prefix lost", s)
			}
			var got, want string
			if err := json.Unmarshal(b[1:], &got); err != nil {
				t.Fatalf("%q: %s does not decode: %v", s, b[1:], err)
			}
			m, _ := json.Marshal(s)
			if err := json.Unmarshal(m, &want); err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%q: decoded %q, json.Marshal's round trip gives %q", s, got, want)
			}
			if n := jsonStringLen([]byte(s)); n != len(b)-1 && s != "bad utf-8 \xff\xfe here" {
				t.Errorf("%q: jsonStringLen %d, literal is %d bytes", s, n, len(b)-1)
			}
		}
	}
}

// appendAt writes what encoding a data.Extract copy writes, with or without copying.
func TestEncodeAt(t *testing.T) {
	sch, err := yangload.Load(yangload.Options{Files: []string{"testdata/dstest.yang"}})
	if err != nil {
		t.Fatal(err)
	}
	root, errs := yangxml.Unmarshal([]byte(`<store xmlns="urn:ncws:test:dstest"><entry><id>1</id><value>a "b" &lt;c&gt;</value></entry><entry><id>2</id><value>d</value></entry><newest>2</newest></store>`), sch, yangxml.DecodeOptions{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	s := &Store{sch: sch}
	store := root.Children()[0]
	entry := store.Children()[1]
	for _, tc := range []struct {
		name string
		locs []data.Loc
	}{
		{"top-level node", []data.Loc{data.LocOf(store)}},
		{"entry below it", []data.Loc{data.LocOf(entry)}},
		{"both", []data.Loc{data.LocOf(entry), data.LocOf(store)}},
		{"none", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := string(s.encodeStored(data.Extract(root, tc.locs)))
			if tc.locs != nil && !strings.Contains(want, "<id>2</id>") {
				t.Fatalf("Extract wrote %s", want)
			}
			if got := string(s.appendAt(nil, root, tc.locs)); got != want {
				t.Errorf("mismatch:\nwant %s\ngot  %s", want, got)
			}
		})
	}
}
