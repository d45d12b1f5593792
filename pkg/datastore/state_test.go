package datastore_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/internal/filter"
	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/schema/yangload"
)

const stateYang = `module dsstate {
  yang-version 1.1;
  namespace "urn:ncws:test:dsstate";
  prefix s;
  container sys {
    leaf name { type string; default "dev"; }
    leaf up { config false; type uint32; }
  }
  container ifs {
    list ifc {
      key n;
      leaf n { type string; }
      leaf on { type boolean; default true; }
      leaf oper { config false; type string; }
      container stats {
        config false;
        leaf in { type uint64; }
      }
    }
  }
}
`

// TestOperationalStateUnderDefaults: the state merged into a container that holds only the
// configuration's defaults makes it a container with data of its own, so the with-defaults
// modes that leave defaults out still report the container with its state; running keeps its
// defaults marked as they were.
func TestOperationalStateUnderDefaults(t *testing.T) {
	file := filepath.Join(t.TempDir(), "dsstate.yang")
	if err := os.WriteFile(file, []byte(stateYang), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := yangload.Load(yangload.Options{Files: []string{file}})
	if err != nil {
		t.Fatal(err)
	}
	st, err := datastore.Open(datastore.Options{Schema: s})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// The interface's configuration is its key and defaults.
	if errs := edit(t, st, datastore.Who{}, `<ifs xmlns="urn:ncws:test:dsstate"><ifc><n>e0</n></ifc></ifs>`); len(errs) > 0 {
		t.Fatal(errs)
	}
	leaf := func(path, v string) *data.Node {
		sn := s.FindNode(path)
		val, rerr := data.ParseValue(sn.Type, v, nil)
		if rerr != nil {
			t.Fatal(rerr)
		}
		return data.NewLeaf(sn, val)
	}
	st.AddStateProvider(s.FindNode("/dsstate:sys"), func(ctx context.Context, req *datastore.StateRequest) error {
		sys := data.New(s.FindNode("/dsstate:sys"))
		sys.Add(leaf("/dsstate:sys/up", "42"))
		req.Root.Add(sys)
		return nil
	})
	st.AddStateProvider(s.FindNode("/dsstate:ifs"), func(ctx context.Context, req *datastore.StateRequest) error {
		ifs := data.New(s.FindNode("/dsstate:ifs"))
		e := data.New(s.FindNode("/dsstate:ifs/ifc"))
		e.Add(leaf("/dsstate:ifs/ifc/n", "e0"))
		e.Add(leaf("/dsstate:ifs/ifc/oper", "up"))
		stats := data.New(s.FindNode("/dsstate:ifs/ifc/stats"))
		stats.Add(leaf("/dsstate:ifs/ifc/stats/in", "7"))
		e.Add(stats)
		ifs.Add(e)
		req.Root.Add(ifs)
		return nil
	})

	const (
		sysState = `<sys xmlns="urn:ncws:test:dsstate"><up>42</up></sys>`
		sysAll   = `<sys xmlns="urn:ncws:test:dsstate"><name>dev</name><up>42</up></sys>`
		ifsState = `<ifs xmlns="urn:ncws:test:dsstate"><ifc><n>e0</n><oper>up</oper><stats><in>7</in></stats></ifc></ifs>`
		ifsAll   = `<ifs xmlns="urn:ncws:test:dsstate"><ifc><n>e0</n><on>true</on><oper>up</oper><stats><in>7</in></stats></ifc></ifs>`
	)
	subtree := func(f string) datastore.Selector {
		sel, rerr := filter.Subtree([]byte(f), s)
		if rerr != nil {
			t.Fatal(rerr)
		}
		return sel
	}
	for _, tc := range []struct {
		name string
		sel  datastore.Selector
		mode yangxml.WithDefaults
		want string
	}{
		{"explicit", nil, yangxml.Explicit, sysState + ifsState},
		{"trim", nil, yangxml.Trim, sysState + ifsState},
		{"report-all", nil, yangxml.ReportAll, sysAll + ifsAll},
		{"explicit, filter on sys", subtree(`<sys xmlns="urn:ncws:test:dsstate"/>`), yangxml.Explicit, sysState},
		{"trim, filter on sys", subtree(`<sys xmlns="urn:ncws:test:dsstate"/>`), yangxml.Trim, sysState},
		{"explicit, filter on the interface", subtree(`<ifs xmlns="urn:ncws:test:dsstate"><ifc><n>e0</n></ifc></ifs>`), yangxml.Explicit, ifsState},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tree, errs := st.Operational(context.Background(), datastore.Who{}, tc.sel)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			b, err := yangxml.Marshal(tree, yangxml.EncodeOptions{WithDefaults: tc.mode})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, string(b)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
			if c := tree.Child(s.FindNode("/dsstate:sys")); c != nil && c.Default {
				t.Errorf("sys holds state and is still marked Default")
			}
		})
	}
	// Running still holds sys as the defaults' container only.
	st.Read(datastore.Running, func(root *data.Node) {
		sys := root.Child(s.FindNode("/dsstate:sys"))
		if sys == nil || !sys.Default || sys.Child(s.FindNode("/dsstate:sys/up")) != nil {
			t.Errorf("running's sys changed: %v", sys)
		}
	})
}
