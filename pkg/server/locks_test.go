package server_test

import (
	"encoding/xml"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/server"
	"github.com/ncws/ncws/pkg/xpath"
)

// TestLockedTime: ietf-netconf-monitoring's locked-time is when the lock was taken (RFC 6022
// section 2.1.3), for a global lock and a partial lock, however much later it is read.
func TestLockedTime(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	st, err := datastore.Open(datastore.Options{Schema: exampleSchema(t, false), Now: func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	later := func(d time.Duration) {
		mu.Lock()
		now = now.Add(d)
		mu.Unlock()
	}
	srv := &server.Server{Store: st}
	c := dial(t, srv)
	const nc = `xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"`
	rpc := func(id, op string) string {
		return roundTrip(t, c, `<rpc message-id="`+id+`" `+nc+`>`+op+`</rpc>`)
	}
	locks := func(id string) string {
		return rpc(id, `<get><filter><netconf-state xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"><datastores/></netconf-state></filter></get>`)
	}
	if r := rpc("1", `<lock><target><candidate/></target></lock>`); !strings.Contains(r, "<ok/>") {
		t.Fatalf("lock: %s", r)
	}
	later(time.Hour)
	if r := locks("2"); !strings.Contains(r, "<locked-time>2026-03-04T05:06:07Z</locked-time>") {
		t.Errorf("global lock taken at 05:06:07, read an hour later: %s", r)
	}
	if r := rpc("3", `<edit-config><target><running/></target><config><system xmlns="urn:ncws:yang:ncws-example"><hostname>h</hostname></system></config></edit-config>`); !strings.Contains(r, "<ok/>") {
		t.Fatalf("edit: %s", r)
	}
	if r := rpc("4", `<partial-lock xmlns="urn:ietf:params:xml:ns:netconf:partial-lock:1.0"><select xmlns:ex="urn:ncws:yang:ncws-example">/ex:system</select></partial-lock>`); !strings.Contains(r, ">1</lock-id>") {
		t.Fatalf("partial-lock: %s", r)
	}
	later(time.Hour)
	if r := locks("5"); !strings.Contains(r, "<partial-lock><lock-id>1</lock-id><locked-by-session>1</locked-by-session><locked-time>2026-03-04T06:06:07Z</locked-time>") {
		t.Errorf("partial lock taken at 06:06:07, read an hour later: %s", r)
	}
}

// TestPartialLockSelectUsable: the select expressions shown in ietf-netconf-monitoring are
// usable by their reader (RFC 6991's xpath1.0: prefixes are those in scope): written with
// module names as prefixes, each declared on the element, whatever prefixes the request used;
// compiled with those declarations and evaluated on running, the expression selects the
// locked node.
func TestPartialLockSelectUsable(t *testing.T) {
	srv := exampleServer(t, false)
	c := dial(t, srv)
	const nc = `xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"`
	rpc := func(id, op string) string {
		return roundTrip(t, c, `<rpc message-id="`+id+`" `+nc+`>`+op+`</rpc>`)
	}
	if r := rpc("1", `<edit-config><target><running/></target><config><system xmlns="urn:ncws:yang:ncws-example"><hostname>h</hostname></system></config></edit-config>`); !strings.Contains(r, "<ok/>") {
		t.Fatalf("edit: %s", r)
	}
	if r := rpc("2", `<partial-lock xmlns="urn:ietf:params:xml:ns:netconf:partial-lock:1.0"><select xmlns:zz="urn:ncws:yang:ncws-example">/zz:system/zz:hostname[. = 'h']</select></partial-lock>`); !strings.Contains(r, ">1</lock-id>") {
		t.Fatalf("partial-lock: %s", r)
	}
	r := rpc("3", `<get><filter><netconf-state xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"><datastores/></netconf-state></filter></get>`)
	// The select element's text and the declarations in scope on it.
	d := xml.NewDecoder(strings.NewReader(r))
	var scopes []map[string]string
	var text string
	var scope map[string]string
	inSelect := false
	for {
		tok, err := d.RawToken()
		if err != nil {
			break
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			m := map[string]string{}
			if len(scopes) > 0 {
				for k, v := range scopes[len(scopes)-1] {
					m[k] = v
				}
			}
			for _, a := range tk.Attr {
				if a.Name.Space == "xmlns" {
					m[a.Name.Local] = a.Value
				}
			}
			scopes = append(scopes, m)
			if tk.Name.Local == "select" {
				inSelect, scope = true, m
			}
		case xml.CharData:
			if inSelect {
				text += string(tk)
			}
		case xml.EndElement:
			scopes = scopes[:len(scopes)-1]
			inSelect = false
		}
	}
	if text != "/ncws-example:system/ncws-example:hostname[. = 'h']" {
		t.Errorf("select %q, want the expression with module names as prefixes", text)
	}
	sch := srv.Store.Schema()
	prefixes := schema.Prefixes{}
	if _, err := xpath.RewritePrefixes(text, func(p string) string {
		m := sch.ModuleByNamespace(scope[p])
		if m == nil {
			t.Errorf("prefix %s of select %q is not declared (in scope: %v)", p, text, scope)
			return ""
		}
		prefixes[p] = m
		return ""
	}); err != nil {
		t.Fatal(err)
	}
	e, err := xpath.Compile(text, prefixes, nil, nil)
	if err != nil {
		t.Fatalf("compiling the select as read: %v", err)
	}
	var got []string
	srv.Store.Read(datastore.Running, func(root *data.Node) {
		v, err := e.Eval(root, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range v.Nodes() {
			got = append(got, n.Path()+"="+n.Value.Str)
		}
	})
	if len(got) != 1 || !strings.HasSuffix(got[0], "hostname=h") {
		t.Errorf("the select as read selects %v, want the hostname", got)
	}
}
