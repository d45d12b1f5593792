package datastore_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/rpcerror"
)

const ns = `xmlns="urn:ncws:test:dstest"`

func edit(t *testing.T, st *datastore.Store, who datastore.Who, cfg string) rpcerror.List {
	t.Helper()
	return st.Edit(context.Background(), who, datastore.Running, []byte(cfg), datastore.EditOptions{})
}

// TestHooks checks the hook contract: validate and apply see the change with its originator;
// a refusal or a panic leaves running as it was and aborts the hooks already applied.
func TestHooks(t *testing.T) {
	s := loadSchema(t)
	var log []string
	fail := ""
	hook := func(name string) datastore.Hook {
		return datastore.HookFuncs{
			ValidateFunc: func(ctx context.Context, c *datastore.Commit) error {
				log = append(log, name+" validate "+c.Who.User)
				if fail == name+" validate" {
					return rpcerror.InvalidValue("/dstest:store", "refused by %s", name)
				}
				return nil
			},
			ApplyFunc: func(ctx context.Context, c *datastore.Commit) error {
				var paths []string
				for _, ch := range c.Changes {
					paths = append(paths, ch.Path)
				}
				log = append(log, name+" apply "+strings.Join(paths, ","))
				switch fail {
				case name + " apply":
					return errors.New("device busy")
				case name + " panic":
					panic("hook bug")
				}
				return nil
			},
			AbortFunc: func(ctx context.Context, c *datastore.Commit) { log = append(log, name+" abort") },
		}
	}
	st, err := datastore.Open(datastore.Options{Schema: s, Hooks: []datastore.Hook{hook("h1"), hook("h2")}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	who := datastore.Who{User: "ann", Session: 3}
	if errs := edit(t, st, who, `<store `+ns+`><entry><id>1</id><value>a</value></entry></store>`); len(errs) > 0 {
		t.Fatal(errs)
	}
	// The first commit creates the container: one change, at the container.
	want := []string{"h1 validate ann", "h2 validate ann", "h1 apply /dstest:store", "h2 apply /dstest:store"}
	if d := cmp.Diff(want, log); d != "" {
		t.Errorf("hooks on a commit: mismatch (-want +got):\n%s", d)
	}
	before := runningXML(t, st)
	for _, tc := range []struct {
		fail    string
		tag     rpcerror.Tag
		wantLog []string
	}{
		{"h2 validate", rpcerror.TagInvalidValue, []string{"h1 validate ann", "h2 validate ann"}},
		{"h2 apply", rpcerror.TagOperationFailed, []string{"h1 validate ann", "h2 validate ann", "h1 apply /dstest:store/entry[id='2']", "h2 apply /dstest:store/entry[id='2']", "h1 abort"}},
		{"h1 panic", rpcerror.TagOperationFailed, []string{"h1 validate ann", "h2 validate ann", "h1 apply /dstest:store/entry[id='2']"}},
	} {
		t.Run(tc.fail, func(t *testing.T) {
			log, fail = nil, tc.fail
			errs := edit(t, st, who, `<store `+ns+`><entry><id>2</id><value>b</value></entry></store>`)
			if len(errs) != 1 || errs[0].Tag != tc.tag {
				t.Fatalf("errors %v, want one %s", errs, tc.tag)
			}
			if d := cmp.Diff(tc.wantLog, log); d != "" {
				t.Errorf("hook calls: mismatch (-want +got):\n%s", d)
			}
			if got := runningXML(t, st); got != before {
				t.Errorf("running changed after a refused commit:\n got %s\nwant %s", got, before)
			}
			if errs[0].Tag == rpcerror.TagOperationFailed && strings.Contains(errs[0].Message, "busy") {
				t.Errorf("an internal error leaked to the client: %q", errs[0].Message)
			}
		})
	}
}

// TestPersistence reopens a store: running, startup and the history come back.
func TestPersistence(t *testing.T) {
	s := loadSchema(t)
	dir := t.TempDir()
	st, err := datastore.Open(datastore.Options{Schema: s, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	who := datastore.Who{User: "ann", Session: 1}
	for _, cfg := range []string{
		`<store ` + ns + `><entry><id>1</id><value>a</value></entry><newest>1</newest></store>`,
		`<store ` + ns + `><entry><id>2</id><value>b</value></entry><newest>2</newest></store>`,
	} {
		if errs := edit(t, st, who, cfg); len(errs) > 0 {
			t.Fatal(errs)
		}
	}
	if errs := st.Copy(context.Background(), who, datastore.Startup, datastore.Source{Name: datastore.Running}); len(errs) > 0 {
		t.Fatal(errs)
	}
	if errs := edit(t, st, who, `<store `+ns+` xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"><entry nc:operation="delete"><id>1</id></entry></store>`); len(errs) > 0 {
		t.Fatal(errs)
	}
	want := runningXML(t, st)
	st.Close()

	st, err = datastore.Open(datastore.Options{Schema: s, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if got := runningXML(t, st); got != want {
		t.Errorf("running after reopening:\n got %s\nwant %s", got, want)
	}
	var startup int
	st.Read(datastore.Startup, func(root *data.Node) {
		root.Walk(func(n *data.Node) bool {
			if n.Schema != nil && n.Schema.Name == "entry" {
				startup++
			}
			return true
		})
	})
	if startup != 2 {
		t.Errorf("startup has %d entries, want 2", startup)
	}
	h, err := st.History()
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 3 || h[2].User != "ann" || h[2].Changes[0].Operation != "delete" {
		t.Errorf("history after reopening: %+v", h)
	}
	// The commits after a mark are the tail of the history, read alone.
	if last := st.LastCommit(); last != h[2].ID {
		t.Errorf("LastCommit %d, want %d", last, h[2].ID)
	}
	since, err := st.CommitsSince(h[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(h[1:], since); diff != "" {
		t.Errorf("CommitsSince mismatch (-want +got):\n%s", diff)
	}
	if none, err := st.CommitsSince(st.LastCommit()); err != nil || len(none) != 0 {
		t.Errorf("CommitsSince(LastCommit()) = %v, %v; want none", none, err)
	}
	// Rollback to commit 1 across the restart.
	if errs := st.Rollback(context.Background(), who, 1); len(errs) > 0 {
		t.Fatal(errs)
	}
	// The new commit's entry comes from the store's memory of its newest commits, the older
	// ones from the journal: the same history either way.
	h2, err := st.History()
	if err != nil {
		t.Fatal(err)
	}
	for _, mark := range []uint64{h[0].ID, h[2].ID} {
		since, err := st.CommitsSince(mark)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(h2[mark-h2[0].ID+1:], since); diff != "" {
			t.Errorf("CommitsSince(%d) after the rollback mismatch (-want +got):\n%s", mark, diff)
		}
	}
	got := runningXML(t, st)
	if !strings.Contains(got, "<id>1</id>") || strings.Contains(got, "<id>2</id>") {
		t.Errorf("after rollback to 1: %s", got)
	}
}

// TestBootFromStartup: a boot copies a valid startup into running and refuses an invalid one.
func TestBootFromStartup(t *testing.T) {
	s := loadSchema(t)
	dir := t.TempDir()
	st, err := datastore.Open(datastore.Options{Schema: s, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	who := datastore.Who{User: "ann", Session: 1}
	if errs := st.Copy(context.Background(), who, datastore.Startup, datastore.Source{Config: []byte(`<store ` + ns + `><entry><id>7</id><value>s</value></entry></store>`)}); len(errs) > 0 {
		t.Fatal(errs)
	}
	st.Close()
	st, err = datastore.Open(datastore.Options{Schema: s, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if got := runningXML(t, st); strings.Contains(got, "<id>7</id>") {
		t.Errorf("a restart that is not a boot copied startup: %s", got)
	}
	st.Close()
	st, err = datastore.Open(datastore.Options{Schema: s, Dir: dir, BootFromStartup: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := runningXML(t, st); !strings.Contains(got, "<id>7</id>") {
		t.Errorf("boot from startup: running is %s", got)
	}
	st.Close()
}

// TestReadVersion: reads see one version while nothing is written, and a new one after each
// write of any datastore (an edit of running, of the candidate, a discard), so that what a
// reader derived from a tree may be kept while the version stays.
func TestReadVersion(t *testing.T) {
	st, err := datastore.Open(datastore.Options{Schema: loadSchema(t), Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	version := func(name datastore.Name) uint64 {
		t.Helper()
		var v uint64
		if err := st.ReadVersion(name, func(_ *data.Node, version uint64) { v = version }); err != nil {
			t.Fatal(err)
		}
		return v
	}
	v0 := version(datastore.Running)
	if v := version(datastore.Running); v != v0 {
		t.Fatalf("two reads without a write: versions %d and %d", v0, v)
	}
	if v := version(datastore.Candidate); v != v0 {
		t.Fatalf("the version is the store's: running %d, candidate %d", v0, v)
	}
	who := datastore.Who{User: "u", Session: 1}
	if errs := edit(t, st, who, `<store `+ns+`><entry><id>1</id><value>a</value></entry></store>`); len(errs) > 0 {
		t.Fatal(errs)
	}
	v1 := version(datastore.Running)
	if v1 == v0 {
		t.Fatalf("an edit of running left the version at %d", v0)
	}
	if errs := st.Edit(context.Background(), who, datastore.Candidate, []byte(`<store `+ns+`><entry><id>2</id><value>b</value></entry></store>`), datastore.EditOptions{}); len(errs) > 0 {
		t.Fatal(errs)
	}
	v2 := version(datastore.Running)
	if v2 == v1 {
		t.Fatalf("an edit of the candidate left the version at %d", v1)
	}
	if errs := st.Discard(who); len(errs) > 0 {
		t.Fatal(errs)
	}
	if v := version(datastore.Candidate); v == v2 {
		t.Fatalf("discard-changes left the version at %d", v2)
	}
}

// TestCommitRefusedKeepsCandidate: a commit takes the candidate's changed subtrees into running
// (not copies); when validation refuses it, running is as it was and the candidate holds its
// changes; after a commit both hold the same configuration.
func TestCommitRefusedKeepsCandidate(t *testing.T) {
	st, err := datastore.Open(datastore.Options{Schema: loadSchema(t), Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	who := datastore.Who{User: "ann", Session: 1}
	xmlOf := func(name datastore.Name) string {
		var out []byte
		st.Read(name, func(root *data.Node) {
			out, err = yangxml.Marshal(root, yangxml.EncodeOptions{WithDefaults: yangxml.ReportAllTagged})
		})
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	for i, step := range []struct {
		edit string
		ok   bool
	}{
		{`<store ` + ns + `><entry><id>1</id><value>a</value></entry><newest>9</newest></store>`, false}, // creates the container
		{`<store ` + ns + `><newest>1</newest></store>`, true},
		{`<store ` + ns + `><newest>5</newest></store>`, false}, // a leaf inside it
		{`<store ` + ns + `><entry><id>2</id><value>b</value></entry><newest>7</newest></store>`, false},
		{`<store ` + ns + `><entry><id>5</id><value>e</value></entry><entry><id>7</id><value>g</value></entry></store>`, true},
	} {
		if errs := st.Edit(ctx, who, datastore.Candidate, []byte(step.edit), datastore.EditOptions{}); len(errs) > 0 {
			t.Fatalf("step %d: edit: %v", i, errs)
		}
		cand, run := xmlOf(datastore.Candidate), xmlOf(datastore.Running)
		errs := st.Commit(ctx, who, datastore.CommitOptions{})
		if step.ok != (len(errs) == 0) {
			t.Fatalf("step %d: commit errors %v, want ok=%v", i, errs, step.ok)
		}
		if !step.ok {
			if got := xmlOf(datastore.Candidate); got != cand {
				t.Errorf("step %d: candidate changed by a refused commit:\n got %s\nwant %s", i, got, cand)
			}
			if got := xmlOf(datastore.Running); got != run {
				t.Errorf("step %d: running changed by a refused commit:\n got %s\nwant %s", i, got, run)
			}
			continue
		}
		if got, want := xmlOf(datastore.Candidate), xmlOf(datastore.Running); got != want || !strings.Contains(want, "<newest>") {
			t.Errorf("step %d: after the commit the candidate is not running:\ncandidate %s\nrunning   %s", i, got, want)
		}
		if st.Modified() {
			t.Errorf("step %d: the candidate is still marked modified", i)
		}
	}
	if got := xmlOf(datastore.Running); !strings.Contains(got, "<id>2</id>") || !strings.Contains(got, "<newest>7</newest>") {
		t.Errorf("running at the end: %s", got)
	}
}
