package server_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/netconftest"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/server"
)

// opTestYANG has the constructs of rpc and action input and output that the example device
// lacks: mandatory parameters, must (on a parameter and on the input), when, a leafref to
// running, max-elements, unique, a mandatory choice, an action whose input reads its target's
// configuration, and outputs with a mandatory leaf, a range and a must.
const opTestYANG = `module ncws-optest {
  yang-version 1.1;
  namespace "urn:ncws:yang:ncws-optest";
  prefix ot;

  container things {
    list thing {
      key name;
      leaf name { type string; }
      leaf size { type uint8; }
      action poke {
        input {
          leaf force { type uint8; mandatory true; }
          leaf limit {
            type uint8;
            must ". <= ../../size" { error-message "limit above the thing's size"; }
          }
        }
        output {
          leaf done { type boolean; mandatory true; }
        }
      }
    }
  }

  rpc start {
    input {
      must "count or not(item)" { error-message "count is required with items"; }
      leaf name { type string; mandatory true; }
      leaf count {
        type uint8 { range "1..5"; }
        must ". != 3" { error-app-tag "no-three"; }
      }
      leaf thing { type leafref { path "/ot:things/ot:thing/ot:name"; } }
      leaf mode { type string; default "fast"; }
      container opts {
        leaf verbose { type boolean; }
        leaf level { type uint8; when "../verbose = 'true'"; }
      }
      list item {
        key id;
        max-elements 2;
        unique "port";
        leaf id { type string; }
        leaf port { type uint16; }
      }
    }
    output {
      leaf job { type uint32 { range "1..100"; } mandatory true; }
      leaf note { type string; must "../job > 10"; }
    }
  }

  rpc pick {
    input {
      choice how {
        mandatory true;
        leaf now { type empty; }
        leaf at { type string; }
      }
    }
  }
}
`

// logBuffer collects a server's log lines; sessions write from their own goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// take returns what was logged since the last call.
func (l *logBuffer) take() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.b.String()
	l.b.Reset()
	return s
}

// opServer returns a server of the protocol modules and ncws-optest whose log goes to the
// returned buffer, with thing "a" (size 5) in running.
func opServer(t *testing.T) (*server.Server, *logBuffer) {
	t.Helper()
	f := filepath.Join(t.TempDir(), "ncws-optest.yang")
	if err := os.WriteFile(f, []byte(opTestYANG), 0o644); err != nil {
		t.Fatal(err)
	}
	sch, err := netconftest.LoadSchema(f)
	if err != nil {
		t.Fatal(err)
	}
	st, err := datastore.Open(datastore.Options{Schema: sch})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if errs := st.Edit(context.Background(), datastore.Who{User: "test"}, datastore.Running,
		[]byte(`<things xmlns="urn:ncws:yang:ncws-optest"><thing><name>a</name><size>5</size></thing></things>`),
		datastore.EditOptions{}); len(errs) > 0 {
		t.Fatal(errs)
	}
	logs := &logBuffer{}
	srv := &server.Server{Store: st, Logger: slog.New(slog.NewTextHandler(logs, nil))}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	return srv, logs
}

// opLeaf returns a leaf of schema node s holding the value text. It is called by handlers, off
// the test's goroutine: a bad value panics, which the server answers operation-failed.
func opLeaf(s *schema.Node, text string) *data.Node {
	v, rerr := data.ParseValue(s.Type, text, nil)
	if rerr != nil {
		panic(rerr)
	}
	return data.NewLeaf(s, v)
}

// opError is what a test compares of an rpc-error.
type opError struct {
	Type    rpcerror.Type
	Tag     rpcerror.Tag
	AppTag  string
	Path    string
	Message string
	Info    []rpcerror.Info
}

// opCall sends one rpc and returns the reply's errors, nil for a successful reply.
func opCall(t *testing.T, c netconftest.ClientConn, op string) []opError {
	t.Helper()
	msg := roundTrip(t, c, `<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">`+op+`</rpc>`)
	r, err := netconf.DecodeReply([]byte(msg))
	if err != nil {
		t.Fatal(err)
	}
	var out []opError
	for _, e := range r.Errors {
		out = append(out, opError{e.Type, e.Tag, e.AppTag, e.Path, e.Message, e.Info})
	}
	return out
}

// TestInputValidation: the input of a handled rpc or action is validated before the handler
// runs (RFC 7950 sections 7.14.2, 7.15.2); an invalid one never reaches it.
func TestInputValidation(t *testing.T) {
	srv, _ := opServer(t)
	sch := srv.Store.Schema()
	m := sch.Module("ncws-optest")
	start, pick := sch.RPC(m, "start"), sch.RPC(m, "pick")
	poke := sch.Top(m, "things").Child(m, "thing").Operation(m, "poke")
	var calls []string
	srv.Handle(start, func(ctx context.Context, req *server.Request) (*data.Node, error) {
		calls = append(calls, "start name="+req.Input.ChildByName("name").Value.Str+" mode="+req.Input.ChildByName("mode").Value.Str)
		out := data.New(req.RPC.Child(m, "output"))
		out.Insert(opLeaf(out.Schema.Child(m, "job"), "42"))
		return out, nil
	})
	srv.Handle(pick, func(ctx context.Context, req *server.Request) (*data.Node, error) {
		calls = append(calls, "pick")
		return nil, nil
	})
	srv.Handle(poke, func(ctx context.Context, req *server.Request) (*data.Node, error) {
		calls = append(calls, "poke "+req.Target.Path()+" force="+req.Input.ChildByName("force").Value.Str)
		out := data.New(req.RPC.Child(m, "output"))
		out.Insert(opLeaf(out.Schema.Child(m, "done"), "true"))
		return out, nil
	})
	c := dial(t, srv)

	const ns = `xmlns="urn:ncws:yang:ncws-optest"`
	action := func(inner string) string {
		return `<action xmlns="urn:ietf:params:xml:ns:yang:1"><things ` + ns + `><thing><name>a</name><poke>` + inner + `</poke></thing></things></action>`
	}
	for _, tc := range []struct {
		name  string
		op    string
		want  []opError
		calls []string
	}{
		{
			name:  "valid input reaches the handler with its defaults",
			op:    `<start ` + ns + `><name>x</name></start>`,
			calls: []string{"start name=x mode=fast"},
		},
		{
			name:  "leafref to an instance in running",
			op:    `<start ` + ns + `><name>x</name><thing>a</thing></start>`,
			calls: []string{"start name=x mode=fast"},
		},
		{
			name: "mandatory leaf missing",
			op:   `<start ` + ns + `><count>1</count></start>`,
			want: []opError{{Type: rpcerror.Protocol, Tag: rpcerror.TagMissingElement, Path: "/nc:rpc/ot:start/ot:name",
				Message: `mandatory leaf "name" is missing`, Info: []rpcerror.Info{{Name: "bad-element", Value: "name"}}}},
		},
		{
			name: "must with error-app-tag",
			op:   `<start ` + ns + `><name>x</name><count>3</count></start>`,
			want: []opError{{Type: rpcerror.Application, Tag: rpcerror.TagOperationFailed, AppTag: "no-three",
				Path: "/nc:rpc/ot:start/ot:count", Message: `must condition ". != 3" not satisfied`}},
		},
		{
			name: "must on the input",
			op:   `<start ` + ns + `><name>x</name><item><id>i</id></item></start>`,
			want: []opError{{Type: rpcerror.Application, Tag: rpcerror.TagOperationFailed, AppTag: rpcerror.AppTagMustViolation,
				Path: "/nc:rpc/ot:start", Message: "count is required with items"}},
		},
		{
			name: "leafref without instance in running",
			op:   `<start ` + ns + `><name>x</name><thing>b</thing></start>`,
			want: []opError{{Type: rpcerror.Application, Tag: rpcerror.TagDataMissing, AppTag: rpcerror.AppTagInstanceRequired,
				Path: "/nc:rpc/ot:start/ot:thing", Message: `leafref value "b" has no target instance "/ot:things/ot:thing/ot:name"`}},
		},
		{
			name: "when false",
			op:   `<start ` + ns + `><name>x</name><opts><level>2</level></opts></start>`,
			want: []opError{{Type: rpcerror.Protocol, Tag: rpcerror.TagUnknownElement, Path: "/nc:rpc/ot:start/ot:opts/ot:level",
				Message: `when condition "../verbose = 'true'" of "level" not satisfied`, Info: []rpcerror.Info{{Name: "bad-element", Value: "level"}}}},
		},
		{
			name: "max-elements",
			op:   `<start ` + ns + `><name>x</name><count>1</count><item><id>i</id></item><item><id>j</id></item><item><id>k</id></item></start>`,
			want: []opError{{Type: rpcerror.Application, Tag: rpcerror.TagOperationFailed, AppTag: rpcerror.AppTagTooManyElements,
				Path: "/nc:rpc/ot:start/ot:item[ot:id='k']", Message: `too many "item" entries: 3, at most 2 allowed`}},
		},
		{
			name: "unique",
			op:   `<start ` + ns + `><name>x</name><count>1</count><item><id>i</id><port>80</port></item><item><id>j</id><port>80</port></item></start>`,
			want: []opError{{Type: rpcerror.Application, Tag: rpcerror.TagOperationFailed, AppTag: rpcerror.AppTagDataNotUnique,
				Path:    "/nc:rpc/ot:start/ot:item[ot:id='j']",
				Message: `unique "port" violated by /ncws-optest:start/item[id='i'] and /ncws-optest:start/item[id='j']`,
				Info:    []rpcerror.Info{{Name: "non-unique", Namespace: "urn:ietf:params:xml:ns:yang:1", Value: "/nc:rpc/ot:start/ot:item[ot:id='j']/ot:port"}}}},
		},
		{
			name: "range, checked by the decoder",
			op:   `<start ` + ns + `><name>x</name><count>7</count></start>`,
			want: []opError{{Type: rpcerror.Protocol, Tag: rpcerror.TagInvalidValue, Path: "/nc:rpc/ot:start/ot:count",
				Message: `value "7" is out of the allowed range`}},
		},
		{
			name: "mandatory choice",
			op:   `<pick ` + ns + `/>`,
			want: []opError{{Type: rpcerror.Application, Tag: rpcerror.TagDataMissing, AppTag: rpcerror.AppTagMissingChoice,
				Path: "/nc:rpc/ot:pick", Message: `mandatory choice "how" has no data`,
				Info: []rpcerror.Info{{Name: "missing-choice", Namespace: "urn:ietf:params:xml:ns:yang:1", Value: "how"}}}},
		},
		{
			name:  "mandatory choice given, no output statement",
			op:    `<pick ` + ns + `><now/></pick>`,
			calls: []string{"pick"},
		},
		{
			name:  "valid action input",
			op:    action(`<force>1</force><limit>5</limit>`),
			calls: []string{"poke /ncws-optest:things/thing[name='a'] force=1"},
		},
		{
			name: "action: bad value",
			op:   action(`<force>x</force>`),
			want: []opError{{Type: rpcerror.Protocol, Tag: rpcerror.TagInvalidValue, Path: "/nc:rpc/yang:action/ot:things/ot:thing[ot:name='a']/ot:poke/ot:force",
				Message: `invalid uint8 value "x"`}},
		},
		{
			name: "action: mandatory leaf missing",
			op:   action(`<limit>1</limit>`),
			want: []opError{{Type: rpcerror.Protocol, Tag: rpcerror.TagMissingElement, Path: "/nc:rpc/yang:action/ot:things/ot:thing[ot:name='a']/ot:poke/ot:force",
				Message: `mandatory leaf "force" is missing`, Info: []rpcerror.Info{{Name: "bad-element", Value: "force"}}}},
		},
		{
			name: "action: must reading the target's configuration",
			op:   action(`<force>1</force><limit>6</limit>`),
			want: []opError{{Type: rpcerror.Application, Tag: rpcerror.TagOperationFailed, AppTag: rpcerror.AppTagMustViolation,
				Path: "/nc:rpc/yang:action/ot:things/ot:thing[ot:name='a']/ot:poke/ot:limit", Message: "limit above the thing's size"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls = nil
			got := opCall(t, c, tc.op)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.calls, calls); diff != "" {
				t.Errorf("handler calls mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestOutputValidation: what a handler returns is validated before it is sent; a violation is
// the handler's bug: the client gets a generic operation-failed and the log says what is wrong.
func TestOutputValidation(t *testing.T) {
	srv, logs := opServer(t)
	sch := srv.Store.Schema()
	m := sch.Module("ncws-optest")
	start := sch.RPC(m, "start")
	poke := sch.Top(m, "things").Child(m, "thing").Operation(m, "poke")
	out := start.Child(m, "output")
	job, note := out.Child(m, "job"), out.Child(m, "note")
	srv.Handle(start, func(ctx context.Context, req *server.Request) (*data.Node, error) {
		o := data.New(out)
		switch req.Input.ChildByName("name").Value.Str {
		case "no-job":
		case "big-job":
			o.Insert(data.NewLeaf(job, data.Value{Type: job.Type, Str: "500"}))
		case "wrong-schema":
			return req.Input, nil
		case "foreign-node":
			o.Insert(opLeaf(job, "42"))
			o.Insert(opLeaf(poke.Child(m, "input").Child(m, "force"), "1"))
		case "must":
			o.Insert(opLeaf(job, "5"))
			o.Insert(opLeaf(note, "hi"))
		default:
			o.Insert(opLeaf(job, "42"))
			o.Insert(opLeaf(note, "hi"))
		}
		return o, nil
	})
	srv.Handle(poke, func(ctx context.Context, req *server.Request) (*data.Node, error) {
		return nil, nil // <ok/>, but the output has a mandatory leaf
	})
	c := dial(t, srv)
	failed := []opError{{Type: rpcerror.Application, Tag: rpcerror.TagOperationFailed, Message: "the start operation failed"}}
	for _, tc := range []struct {
		name, op string
		want     []opError
		log      []string
	}{
		{name: "valid", op: `<start xmlns="urn:ncws:yang:ncws-optest"><name>ok</name></start>`},
		{name: "mandatory leaf missing", op: `<start xmlns="urn:ncws:yang:ncws-optest"><name>no-job</name></start>`,
			want: failed, log: []string{"level=ERROR", "rpc=start", `/ncws-optest:start/job: mandatory leaf \"job\" is missing [missing-element]`}},
		{name: "out of range", op: `<start xmlns="urn:ncws:yang:ncws-optest"><name>big-job</name></start>`,
			want: failed, log: []string{"level=ERROR", "rpc=start", `/ncws-optest:start/job: value \"500\" is out of the allowed range [invalid-value]`}},
		{name: "must", op: `<start xmlns="urn:ncws:yang:ncws-optest"><name>must</name></start>`,
			want: failed, log: []string{"level=ERROR", "rpc=start", `/ncws-optest:start/note: must condition \"../job > 10\" not satisfied [operation-failed/must-violation]`}},
		{name: "tree of the wrong schema node", op: `<start xmlns="urn:ncws:yang:ncws-optest"><name>wrong-schema</name></start>`,
			want: failed, log: []string{"level=ERROR", "rpc=start", "wrong schema node", "got=\"input /ncws-optest:start/input\""}},
		{name: "node of another schema inside", op: `<start xmlns="urn:ncws:yang:ncws-optest"><name>foreign-node</name></start>`,
			want: failed, log: []string{"level=ERROR", "rpc=start", `/ncws-optest:start/force: \"force\" is not a child of /ncws-optest:start [unknown-element]`}},
		{name: "ok for an output with a mandatory leaf",
			op:   `<action xmlns="urn:ietf:params:xml:ns:yang:1"><things xmlns="urn:ncws:yang:ncws-optest"><thing><name>a</name><poke><force>1</force></poke></thing></things></action>`,
			want: []opError{{Type: rpcerror.Application, Tag: rpcerror.TagOperationFailed, Message: "the poke operation failed"}},
			log:  []string{"level=ERROR", "rpc=poke", `/ncws-optest:things/thing[name='a']/poke/done: mandatory leaf \"done\" is missing`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logs.take()
			got := opCall(t, c, tc.op)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s", diff)
			}
			log := logs.take()
			for _, want := range tc.log {
				if !strings.Contains(log, want) {
					t.Errorf("log lacks %s:\n%s", want, log)
				}
			}
			if len(tc.log) == 0 && log != "" {
				t.Errorf("unexpected log:\n%s", log)
			}
		})
	}
	// A valid output is sent as the handler built it.
	msg := roundTrip(t, c, `<rpc message-id="2" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><start xmlns="urn:ncws:yang:ncws-optest"><name>ok</name></start></rpc>`)
	r, err := netconf.DecodeReply([]byte(msg))
	if err != nil {
		t.Fatal(err)
	}
	if want := `<job xmlns="urn:ncws:yang:ncws-optest">42</job><note xmlns="urn:ncws:yang:ncws-optest">hi</note>`; string(r.Body) != want {
		t.Errorf("reply body %s, want %s", r.Body, want)
	}
}
