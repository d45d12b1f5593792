package datastore_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema/yangload"
)

// treeXML encodes a datastore with its defaults tagged.
func treeXML(t *testing.T, st *datastore.Store, name datastore.Name) string {
	t.Helper()
	var out []byte
	var err error
	if rerr := st.Read(name, func(root *data.Node) {
		out, err = yangxml.Marshal(root, yangxml.EncodeOptions{WithDefaults: yangxml.ReportAllTagged})
	}); rerr != nil {
		t.Fatal(rerr)
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// entries is a <store> with entries lo..hi-1, each valued prefix+id.
func entries(lo, hi int, prefix string) string {
	var b strings.Builder
	b.WriteString(`<store ` + ns + `>`)
	for i := lo; i < hi; i++ {
		fmt.Fprintf(&b, `<entry><id>%d</id><value>%s%d</value></entry>`, i, prefix, i)
	}
	b.WriteString(`</store>`)
	return b.String()
}

// TestCandidateSharing checks that a candidate sharing running's nodes behaves as an independent
// copy (RFC 6241 section 8.3): edits of the candidate never reach running before a commit, and a
// change of running reaches an unmodified candidate and never a modified one, whether the
// candidate shares running's tree (after Open, after a bulk commit or discard) or has its own
// (after a small commit into a large running).
func TestCandidateSharing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := datastore.Open(datastore.Options{Schema: loadSchema(t), Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { st.Close() }()
	who := datastore.Who{User: "ann", Session: 1}
	ok := func(what string, errs rpcerror.List) {
		t.Helper()
		if len(errs) > 0 {
			t.Fatalf("%s: %v", what, errs)
		}
	}
	editCand := func(cfg string, o datastore.EditOptions) rpcerror.List {
		return st.Edit(ctx, who, datastore.Candidate, []byte(cfg), o)
	}
	has := func(name datastore.Name, frag string) bool {
		t.Helper()
		return strings.Contains(treeXML(t, st, name), frag)
	}
	shared := func(want bool, when string) {
		t.Helper()
		if got := datastore.CandidateShared(st); got != want {
			t.Errorf("%s: candidate shares running = %v, want %v", when, got, want)
		}
	}
	same := func(when string) {
		t.Helper()
		if r, c := treeXML(t, st, datastore.Running), treeXML(t, st, datastore.Candidate); r != c {
			t.Errorf("%s: candidate differs from running:\nrunning   %.300s\ncandidate %.300s", when, r, c)
		}
	}

	shared(true, "after Open")
	// A bulk load through the candidate: the candidate has its own tree while modified ...
	ok("bulk edit", editCand(entries(0, 400, "v"), datastore.EditOptions{}))
	shared(false, "after the bulk edit")
	if has(datastore.Running, "<id>0</id>") {
		t.Fatal("the candidate's bulk edit reached running before the commit")
	}
	// ... and shares running's nodes once committed.
	ok("bulk commit", st.Commit(ctx, who, datastore.CommitOptions{}))
	shared(true, "after the bulk commit")
	same("after the bulk commit")
	if st.Modified() {
		t.Error("the candidate is modified after the commit")
	}

	// An edit of the shared candidate changes a leaf of an entry running has: running keeps
	// its value (the candidate got its own nodes first).
	before := treeXML(t, st, datastore.Running)
	ok("edit of a shared entry", editCand(`<store `+ns+`><entry><id>7</id><value>cand7</value></entry></store>`, datastore.EditOptions{}))
	shared(false, "after editing the shared candidate")
	if got := treeXML(t, st, datastore.Running); got != before {
		t.Fatal("an edit of the candidate changed running")
	}
	if !has(datastore.Candidate, "<value>cand7</value>") || has(datastore.Running, "cand7") {
		t.Fatal("the candidate's edit is not where it belongs")
	}
	// A change of running does not reach the modified candidate, nor the candidate's running.
	ok("edit of running", edit(t, st, who, `<store `+ns+`><entry><id>8</id><value>run8</value></entry></store>`))
	if has(datastore.Candidate, "run8") {
		t.Error("a change of running reached the modified candidate")
	}
	if has(datastore.Running, "cand7") {
		t.Error("the candidate's edit reached running through a commit of running")
	}
	// Commit: running takes the candidate, including its (older) value of entry 8 (the
	// candidate is a whole configuration, RFC 6241 section 8.3.4.1). A small commit into a large
	// running leaves the candidate with its own tree.
	ok("small commit", st.Commit(ctx, who, datastore.CommitOptions{}))
	shared(false, "after a one-entry commit into 400 entries")
	same("after the small commit")
	if !has(datastore.Running, "<value>cand7</value>") || !has(datastore.Running, "<value>v8</value>") {
		t.Error("running is not the committed candidate")
	}
	// The unmodified candidate with its own tree follows running; its own edits stay its own.
	ok("edit of running", edit(t, st, who, `<store `+ns+`><entry><id>9</id><value>run9</value></entry></store>`))
	same("after an edit of running with an unmodified candidate")
	ok("edit", editCand(`<store `+ns+`><entry><id>5003</id><value>cand10</value></entry></store>`, datastore.EditOptions{}))
	if has(datastore.Running, "cand10") {
		t.Error("the candidate's edit reached running")
	}
	// discard-changes of a small change keeps the candidate's tree; it equals running again.
	ok("discard", st.Discard(who))
	shared(false, "after discarding a one-entry change")
	same("after discard-changes")

	// A replace of the whole candidate, discarded: the candidate shares running again.
	ok("replace", editCand(entries(1000, 1400, "w"), datastore.EditOptions{DefaultOperation: "replace"}))
	if has(datastore.Running, "<id>1000</id>") || has(datastore.Candidate, "<id>7</id>") {
		t.Error("the candidate's replace is not where it belongs")
	}
	ok("discard", st.Discard(who))
	shared(true, "after discarding a replace of everything")
	same("after discarding the replace")

	// A shared candidate follows running; test-only edits leave both as they were.
	ok("edit of running", edit(t, st, who, `<store `+ns+`><entry><id>11</id><value>run11</value></entry></store>`))
	same("after an edit of running with a shared candidate")
	r := treeXML(t, st, datastore.Running)
	ok("test-only", editCand(`<store `+ns+`><entry><id>5002</id><value>t12</value></entry></store>`, datastore.EditOptions{TestOption: "test-only"}))
	shared(true, "after a test-only edit")
	if got := treeXML(t, st, datastore.Candidate); got != r || has(datastore.Running, "t12") {
		t.Error("a test-only edit changed a datastore")
	}
	// A test-only edit is still validated: the value is mandatory.
	if errs := editCand(`<store `+ns+`><entry><id>5000</id></entry></store>`, datastore.EditOptions{TestOption: "test-only"}); len(errs) == 0 {
		t.Error("a test-only edit without a mandatory leaf validated")
	}
	// A delete in the candidate leaves running's entry alone.
	ok("delete", editCand(`<store `+ns+` xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"><entry nc:operation="delete"><id>11</id></entry></store>`, datastore.EditOptions{}))
	if !has(datastore.Running, "run11") || has(datastore.Candidate, "run11") {
		t.Error("a delete in the candidate is not where it belongs")
	}
	// copy-config running -> candidate leaves them equal.
	ok("copy-config", st.Copy(ctx, who, datastore.Candidate, datastore.Source{Name: datastore.Running}))
	same("after copy-config running to candidate")
	ok("commit", st.Commit(ctx, who, datastore.CommitOptions{}))
	same("after the last commit")

	// A restart recovers running; the candidate shares it.
	want := treeXML(t, st, datastore.Running)
	st.Close()
	if st, err = datastore.Open(datastore.Options{Schema: loadSchema(t), Dir: dir}); err != nil {
		t.Fatal(err)
	}
	shared(true, "after a restart")
	if got := treeXML(t, st, datastore.Candidate); got != want {
		t.Error("the candidate after a restart is not the recovered running")
	}
	ok("edit after the restart", editCand(`<store `+ns+`><entry><id>5001</id><value>c14</value></entry></store>`, datastore.EditOptions{}))
	if has(datastore.Running, "c14") {
		t.Error("an edit of the candidate after a restart reached running")
	}
}

const defYang = `module dsdef {
  yang-version 1.1;
  namespace "urn:ncws:test:dsdef";
  prefix d;
  container top {
    list item {
      key "id";
      leaf id { type uint32; }
      leaf v { type string; }
      container opts {
        leaf mtu { type uint16; default 1500; }
        leaf on { type boolean; default true; }
      }
    }
    leaf mode { type string; default "auto"; }
  }
}
`

// A commit refused after validation filled the defaults of its new entries (by a hook) leaves
// running and the candidate exactly as they were, defaults included; accepted, running has the
// defaults, and so has the candidate, whether it shares running or not.
func TestCommitRefusedAfterDefaults(t *testing.T) {
	file := t.TempDir() + "/dsdef.yang"
	if err := os.WriteFile(file, []byte(defYang), 0o644); err != nil {
		t.Fatal(err)
	}
	sch, err := yangload.Load(yangload.Options{Files: []string{file}})
	if err != nil {
		t.Fatal(err)
	}
	refuse := true
	hook := datastore.HookFuncs{ValidateFunc: func(ctx context.Context, c *datastore.Commit) error {
		if refuse {
			return rpcerror.InvalidValue("/dsdef:top", "refused")
		}
		return nil
	}}
	st, err := datastore.Open(datastore.Options{Schema: sch, Dir: t.TempDir(), Hooks: []datastore.Hook{hook}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	who := datastore.Who{User: "ann", Session: 1}
	const dns = `xmlns="urn:ncws:test:dsdef"`
	items := func(lo, hi int) string {
		var b strings.Builder
		b.WriteString(`<top ` + dns + `>`)
		for i := lo; i < hi; i++ {
			fmt.Fprintf(&b, `<item><id>%d</id><v>x</v><opts/></item>`, i)
		}
		return b.String() + `</top>`
	}
	for _, step := range []struct {
		name string
		edit string
	}{
		{"bulk load into an empty running", items(0, 200)},
		{"entries into a running that has 200", items(200, 203)},
	} {
		t.Run(step.name, func(t *testing.T) {
			if errs := st.Edit(ctx, who, datastore.Candidate, []byte(step.edit), datastore.EditOptions{}); len(errs) > 0 {
				t.Fatal(errs)
			}
			cand, run := treeXML(t, st, datastore.Candidate), treeXML(t, st, datastore.Running)
			refuse = true
			if errs := st.Commit(ctx, who, datastore.CommitOptions{}); len(errs) != 1 {
				t.Fatalf("commit: %v, want the hook's refusal", errs)
			}
			if got := treeXML(t, st, datastore.Running); got != run {
				t.Errorf("running changed by a refused commit:\n got %.400s\nwant %.400s", got, run)
			}
			if got := treeXML(t, st, datastore.Candidate); got != cand {
				t.Errorf("candidate changed by a refused commit:\n got %.400s\nwant %.400s", got, cand)
			}
			refuse = false
			if errs := st.Commit(ctx, who, datastore.CommitOptions{}); len(errs) > 0 {
				t.Fatal(errs)
			}
			r := treeXML(t, st, datastore.Running)
			if !strings.Contains(r, `<mtu wd:default="true">1500</mtu>`) || strings.Count(r, "<mtu") != strings.Count(r, "<item>") {
				t.Errorf("running lacks the defaults of its entries: %.400s", r)
			}
			if c := treeXML(t, st, datastore.Candidate); c != r {
				t.Errorf("the candidate after the commit is not running:\ncandidate %.400s\nrunning   %.400s", c, r)
			}
		})
	}
}
