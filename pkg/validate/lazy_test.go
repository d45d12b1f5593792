package validate

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
)

// A Validator compiles a schema node's checks on the first validation that reaches it
// (infoOf); PrepareChanges compiles them all. These tests show that the results do not depend
// on what was compiled before: the same errors and the same tree (defaults created, pruned)
// whether the validator compiled everything first, compiled only what one document reached, or
// compiles concurrently.

// corpusDocs returns the documents of the validation corpora by module set ("yl": testdata/yl),
// valid and invalid.
func corpusDocs(t *testing.T) map[string][]string {
	t.Helper()
	docs := map[string][]string{}
	for _, r := range readRows(t, filepath.Join(corpusDir, "cases.tsv"), func(c []string) caseRow {
		return caseRow{name: c[0], expected: c[1]}
	}) {
		docs[r.expected] = append(docs[r.expected], filepath.Join(corpusDir, "cases", r.name))
	}
	for _, r := range readRows(t, "testdata/extra/expected.tsv", func(c []string) caseRow {
		return caseRow{name: c[0], expected: c[1]}
	}) {
		docs[r.expected] = append(docs[r.expected], filepath.Join("testdata/extra", r.name))
	}
	for _, r := range readRows(t, "testdata/yl/expected.tsv", func(c []string) caseRow {
		return caseRow{name: c[0]}
	}) {
		docs["yl"] = append(docs["yl"], filepath.Join("testdata/yl/cases", r.name))
	}
	return docs
}

func loadAnySet(t *testing.T, set string) *schema.Schema {
	t.Helper()
	if set != "yl" {
		return loadSet(t, set)
	}
	s, err := yangload.Load(yangload.Options{SearchPaths: []string{"testdata/yl"}, Files: []string{"testdata/yl/vx.yang"}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// outcome validates doc (decoded with s) with v and opts and returns the errors and the tree
// after validation, as XML.
func outcome(t *testing.T, v *Validator, s *schema.Schema, doc []byte, opts Options) (errs []string, tree string, ok bool) {
	t.Helper()
	root, derrs := decode(t, s, doc)
	if len(derrs) > 0 {
		return nil, "", false
	}
	errs = errLines(v.Validate(root, opts))
	b, err := yangxml.Marshal(root, yangxml.EncodeOptions{Wrapper: "data"})
	if err != nil {
		t.Fatal(err)
	}
	return errs, string(b), true
}

// TestLazySameAsEager: every corpus document, validated by a fresh validator (which compiles
// only what the document reaches), gets the errors and leaves the tree a validator that compiled
// everything first gives, with and without SkipUnreadDefaults, as configuration and as data.
func TestLazySameAsEager(t *testing.T) {
	compared := 0
	for set, files := range corpusDocs(t) {
		s := loadAnySet(t, set)
		eager := New(s)
		eager.PrepareChanges()
		for _, file := range files {
			doc, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			for _, opts := range []Options{{}, {SkipUnreadDefaults: true}, {Data: true}} {
				wantErrs, wantTree, ok := outcome(t, eager, s, doc, opts)
				if !ok {
					break // a decode error: validation does not run
				}
				lazy := New(s)
				gotErrs, gotTree, _ := outcome(t, lazy, s, doc, opts)
				if diff := cmp.Diff(wantErrs, gotErrs); diff != "" {
					t.Errorf("%s %+v: errors mismatch (-eager +lazy):\n%s", file, opts, diff)
				}
				if diff := cmp.Diff(wantTree, gotTree); diff != "" {
					t.Errorf("%s %+v: tree mismatch (-eager +lazy):\n%s", file, opts, diff)
				}
				lazy.mu.Lock()
				if lazy.compiled >= s.NodeCount() && s.NodeCount() > 50 {
					t.Errorf("%s: a fresh validator compiled all %d nodes for one document", file, lazy.compiled)
				}
				lazy.mu.Unlock()
				compared++
			}
		}
	}
	t.Logf("%d validations compared", compared)
	if compared == 0 {
		t.Skip("no corpus documents")
	}
}

// TestLazyConcurrent: a fresh validator used by several goroutines at once (as a server's
// sessions use it) compiles each node once and gives every goroutine the results of a validator
// that compiled everything first. Run with -race.
func TestLazyConcurrent(t *testing.T) {
	for set, files := range corpusDocs(t) {
		s := loadAnySet(t, set)
		eager := New(s)
		eager.PrepareChanges()
		var docs [][]byte
		var want []string
		for _, file := range files {
			doc, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			errs, tree, ok := outcome(t, eager, s, doc, Options{})
			if !ok {
				continue
			}
			docs = append(docs, doc)
			want = append(want, cmp.Diff(nil, errs)+tree)
		}
		lazy := New(s)
		const workers = 4
		got := make([][]string, workers)
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Each worker takes the documents in another order, so that they compile
				// different nodes first.
				got[w] = make([]string, len(docs))
				for k := range docs {
					i := (k + w*len(docs)/workers) % len(docs)
					root, _ := yangxml.Unmarshal(docs[i], s, yangxml.DecodeOptions{AllowEmpty: true, RejectState: true, StrictAttrs: true})
					errs := errLines(lazy.Validate(root, Options{}))
					b, err := yangxml.Marshal(root, yangxml.EncodeOptions{Wrapper: "data"})
					if err != nil {
						t.Error(err)
						return
					}
					got[w][i] = cmp.Diff(nil, errs) + string(b)
				}
			}()
		}
		wg.Wait()
		for w := range got {
			if diff := cmp.Diff(want, got[w]); diff != "" {
				t.Errorf("%s: worker %d: mismatch (-eager +lazy):\n%s", set, w, diff)
			}
		}
	}
}

// lazyModel has two subtrees with musts, whens, leafrefs, defaults and uniques; documents that
// touch only /a must not compile the nodes of /b.
const lazyModel = `module lz {
  yang-version 1.1;
  namespace "urn:lz";
  prefix lz;
  container a {
    leaf x { type string; must ". != 'bad'"; }
    leaf y { type string; default "dy"; }
    leaf r { type leafref { path "../../b/item/name"; } }
  }
  container b {
    list item {
      key name;
      unique "v";
      leaf name { type string; }
      leaf v { type int32; default 7; must ". < 100"; }
      leaf w { when "../v > 3"; type string; default "dw"; }
      container deep {
        leaf d { type string; default "dd"; must "../../v != 0"; }
      }
    }
    leaf z { type leafref { path "../item/name"; } }
  }
}`

// TestLazyCompilesReached: validating a document compiles the nodes it reaches (and the
// children its checks look at), not the others; the errors are those of a validator that
// compiled everything; PrepareChanges compiles every node.
func TestLazyCompilesReached(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "lz.yang"), []byte(lazyModel), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := yangload.Load(yangload.Options{Files: []string{filepath.Join(dir, "lz.yang")}})
	if err != nil {
		t.Fatal(err)
	}
	m := s.Module("lz")
	b := s.Top(m, "b")
	item := b.Child(m, "item")
	unreached := []*schema.Node{b, item, item.Child(m, "v"), item.Child(m, "w"), item.Child(m, "deep"),
		item.Child(m, "deep").Child(m, "d"), b.Child(m, "z")}
	doc := []byte(`<a xmlns="urn:lz"><x>bad</x></a>`)
	lazy, eager := New(s), New(s)
	eager.PrepareChanges()
	wantErrs, wantTree, _ := outcome(t, eager, s, doc, Options{})
	gotErrs, gotTree, ok := outcome(t, lazy, s, doc, Options{})
	if !ok || len(gotErrs) != 1 {
		t.Fatalf("want one must error, got %v", gotErrs)
	}
	if diff := cmp.Diff(wantErrs, gotErrs); diff != "" {
		t.Errorf("errors mismatch (-eager +lazy):\n%s", diff)
	}
	if diff := cmp.Diff(wantTree, gotTree); diff != "" {
		t.Errorf("tree mismatch (-eager +lazy):\n%s", diff)
	}
	for _, n := range unreached {
		if lazy.compiledInfo(n) != nil {
			t.Errorf("%s compiled, but the document does not reach it", n.Path())
		}
	}
	if x := s.Top(m, "a").Child(m, "x"); lazy.compiledInfo(x) == nil {
		t.Errorf("%s not compiled, but the document holds it", x.Path())
	}
	if lazy.compiled >= s.NodeCount() {
		t.Errorf("compiled %d infos of %d nodes", lazy.compiled, s.NodeCount())
	}
	lazy.PrepareChanges()
	for _, n := range unreached {
		if lazy.compiledInfo(n) == nil {
			t.Errorf("%s not compiled by PrepareChanges", n.Path())
		}
	}
	if lazy.compiled != s.NodeCount() {
		t.Errorf("PrepareChanges: compiled %d infos of %d nodes", lazy.compiled, s.NodeCount())
	}
}

// TestLazyOtherSchemaTree: a tree of another schema (the same module loaded again) gets no
// checks from the validator's compiled nodes, and validating it leaves nothing behind: the
// validator's own trees get the errors they get from a fresh validator.
func TestLazyOtherSchemaTree(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "lz.yang"), []byte(lazyModel), 0o644); err != nil {
		t.Fatal(err)
	}
	load := func() *schema.Schema {
		s, err := yangload.Load(yangload.Options{Files: []string{filepath.Join(dir, "lz.yang")}})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s, other := load(), load()
	doc := []byte(`<a xmlns="urn:lz"><x>bad</x></a><b xmlns="urn:lz"><item><name>n</name><v>200</v></item></b>`)
	want, _, _ := outcome(t, New(s), s, doc, Options{})
	if len(want) != 2 {
		t.Fatalf("want a must error at /a/x and one at /b/item/v, got %v", want)
	}
	v := New(s)
	outcome(t, v, other, doc, Options{})
	got, _, _ := outcome(t, v, s, doc, Options{})
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after a tree of another schema: mismatch (-fresh +got):\n%s", diff)
	}
}

// compiledInfo returns what n's slot holds, without compiling it: nil if n was not compiled.
func (v *Validator) compiledInfo(n *schema.Node) *nodeInfo {
	if sl := v.info.slot(n.ID()); sl != nil {
		return sl.Load()
	}
	return nil
}
