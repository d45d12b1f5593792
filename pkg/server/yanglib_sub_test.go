package server_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
	"github.com/ncws/ncws/pkg/server"
	"github.com/ncws/ncws/yang"
)

// TestYangLibrarySubmodules: the yang-library (RFC 8525) lists a module's submodules with
// their revisions (none for a submodule without a revision statement), and so does RFC 7895's
// modules-state; the revisions survive the schema descriptor that generated code embeds.
func TestYangLibrarySubmodules(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"subtest.yang": `module subtest { yang-version 1.1; namespace "urn:ncws:test:subtest"; prefix st;
  include subtest-a; include subtest-b;
  revision 2026-12-01 { description "r"; }
  container top { uses a-group; uses b-group; } }`,
		"subtest-a.yang": `submodule subtest-a { yang-version 1.1; belongs-to subtest { prefix st; }
  revision 2026-01-02 { description "second"; }
  revision 2025-12-31 { description "first"; }
  grouping a-group { leaf a { type string; } } }`,
		"subtest-b.yang": `submodule subtest-b { yang-version 1.1; belongs-to subtest { prefix st; }
  grouping b-group { leaf b { type string; } } }`,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	sch, err := yang.Load(yangload.Options{Files: []string{filepath.Join(dir, "subtest.yang")}, SearchPaths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	desc, err := schema.MarshalDescriptor(sch, schema.DescriptorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := schema.UnmarshalDescriptor(desc)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*schema.Schema{sch, decoded} {
		st, err := datastore.Open(datastore.Options{Schema: s, Dir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		c := dial(t, &server.Server{Store: st})
		r := roundTrip(t, c, `<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get><filter><yang-library xmlns="urn:ietf:params:xml:ns:yang:ietf-yang-library"><module-set><module><name>subtest</name></module></module-set></yang-library></filter></get></rpc>`)
		if want := `<submodule><name>subtest-a</name><revision>2026-01-02</revision></submodule><submodule><name>subtest-b</name></submodule>`; !strings.Contains(r, want) {
			t.Errorf("yang-library lacks %s:\n%s", want, r)
		}
		r = roundTrip(t, c, `<rpc message-id="2" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get><filter><modules-state xmlns="urn:ietf:params:xml:ns:yang:ietf-yang-library"><module><name>subtest</name></module></modules-state></filter></get></rpc>`)
		if want := `<submodule><name>subtest-a</name><revision>2026-01-02</revision></submodule><submodule><name>subtest-b</name><revision/></submodule>`; !strings.Contains(r, want) {
			t.Errorf("modules-state lacks %s:\n%s", want, r)
		}
	}
}
