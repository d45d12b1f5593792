package data_test

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
)

// TestNodeInstanceIdentifier checks ietf-netconf-acm's node-instance-identifier (the rule's
// path leaf) against the real module: yanglint accepts "/" or a path of prefixed steps naming
// existing nodes of implemented modules, with optional key predicates.
func TestNodeInstanceIdentifier(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "yang", "ietf")
	s, err := yangload.Load(yangload.Options{SearchPaths: []string{dir},
		Files: []string{filepath.Join(dir, "ietf-netconf-acm@2018-02-14.yang")}})
	if err != nil {
		t.Skipf("ietf-netconf-acm not loadable: %v", err)
	}
	leaf := s.FindNode("/ietf-netconf-acm:nacm/rule-list/rule/rule-type/data-node/path")
	if leaf == nil {
		t.Fatal("path leaf not found")
	}
	nacm := s.Module("ietf-netconf-acm")
	r := func(prefix string) *schema.Module {
		switch prefix {
		case "n":
			return nacm
		case "y":
			return s.Module("ietf-yang-types")
		}
		return nil
	}
	tests := []struct {
		value string
		valid bool
	}{
		{"/", true},
		{"/n:nacm", true},
		{" /n:nacm ", true},
		{"/n:nacm/n:rule-list[n:name='x']/n:rule", true},
		{`/n:nacm/n:groups/n:group/n:user-name[.="a"]`, true},
		{"/n:nacm/n:rule-list/n:rule/n:name", true},
		{"", false},
		{" / ", false},
		{"/n:nacm/", false},
		{"*", false},
		{"/*", false},
		{"//n:nacm", false},
		{"n:nacm", false},
		{"/nacm", false},                  // prefix missing
		{"/n:nacm/rule-list", false},      // prefix missing on a later step
		{"/x:nacm", false},                // prefix not bound
		{"/y:foo", false},                 // module only imported
		{"/n:foo", false},                 // no such node
		{"/n:nacm/n:rule-list[1]", false}, // position on a config list
		{"/n:nacm/n:rule-list[n:group='x']", false}, // not a key
		{"/n:nacm/n:groups/n:group[n:name='a'][n:name='b']", false},
		{"/n:nacm/n:rule-list[n:name=x]", false}, // unquoted
		{"count(/n:nacm)", false},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			_, err := data.ParseValue(leaf.Type, tt.value, r)
			if diff := cmp.Diff(tt.valid, err == nil); diff != "" {
				t.Errorf("valid mismatch (-want +got):\n%s\nerror: %v", diff, err)
			}
		})
	}
}
