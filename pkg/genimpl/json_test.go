package genimpl_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/genimpl"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
)

const jsonModule = `module j {
  yang-version 1.1;
  namespace "urn:j";
  prefix j;
  container c {
    leaf name { type string; }
    leaf big { type uint64; }
    leaf-list tag { type string; }
  }
}
`

func loadJSONSchema(t *testing.T) *schema.Schema {
	t.Helper()
	dir := t.TempDir()
	f := filepath.Join(dir, "j.yang")
	if err := os.WriteFile(f, []byte(jsonModule), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := yangload.Load(yangload.Options{Files: []string{f}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTreeJSON(t *testing.T) {
	s := loadJSONSchema(t)
	doc := `<c xmlns="urn:j"><name>a</name><big>18446744073709551615</big><tag>x</tag><tag>y</tag></c>`
	root, errs := yangxml.Unmarshal([]byte(doc), s, yangxml.DecodeOptions{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	js, err := genimpl.TreeJSON(root)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"j:c":{"name":"a","big":"18446744073709551615","tag":["x","y"]}}`
	if diff := cmp.Diff(want, string(js)); diff != "" {
		t.Errorf("TreeJSON mismatch (-want +got):\n%s", diff)
	}
	back, err := genimpl.TreeFromJSON(s, js)
	if err != nil {
		t.Fatal(err)
	}
	got, err := yangxml.Marshal(back, yangxml.EncodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(doc, string(got)); diff != "" {
		t.Errorf("TreeFromJSON(TreeJSON(x)) mismatch (-want +got):\n%s", diff)
	}
}

func TestTreeJSONErrors(t *testing.T) {
	s := loadJSONSchema(t)
	if _, err := genimpl.TreeJSON(nil); err == nil {
		t.Error("TreeJSON(nil): no error")
	}
	if _, err := genimpl.TreeFromJSON(nil, []byte(`{}`)); err == nil {
		t.Error("TreeFromJSON without schema: no error")
	}
	for _, tc := range []struct {
		name, doc string
		tag       rpcerror.Tag
	}{
		{"syntax", `{"j:c":`, rpcerror.TagMalformedMessage},
		{"unknown member", `{"j:c":{"nope":1}}`, rpcerror.TagUnknownElement},
		{"bad value", `{"j:c":{"big":"-1"}}`, rpcerror.TagInvalidValue},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := genimpl.TreeFromJSON(s, []byte(tc.doc))
			var list rpcerror.List
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %v is not an rpcerror.List", err)
			}
			if diff := cmp.Diff(tc.tag, list[0].Tag); diff != "" {
				t.Errorf("error-tag mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
