package datastore

import "github.com/ncws/ncws/pkg/data"

// The candidate shares running's tree while it is unmodified (Store.candidate nil). Readers see
// running's nodes under the name Candidate; writers first give the candidate its own copy of
// running. The copy costs running's size, so the store drops the candidate's own tree only after
// an operation that already cost about that much: a commit or discard-changes whose change is at
// least shareRatio of running. A stream of small edits and commits thus keeps its own candidate
// and costs the change's size each (the one-entry commit stays independent of the datastore's
// size), while a bulk load leaves one tree behind instead of two, and the first edit after it
// pays the copy once (amortized over the load that cost as much).

// shareRatio: the candidate shares running after a commit or discard-changes whose work (nodes
// copied or moved) is at least running's size divided by shareRatio.
const shareRatio = 2

// shareSmall: a running of at most this many nodes is always shared (its copy costs nothing).
const shareSmall = 256

// ownCandidate returns the candidate's own tree, copying running first while they share it. It
// must be called with s.mu held for writing.
func (s *Store) ownCandidate() *data.Node {
	if s.candidate == nil {
		s.candidate = s.running.Clone()
	}
	return s.candidate
}

// worthSharing reports whether an operation that copied or moved work nodes may leave the
// candidate sharing running: running has at most shareRatio*work + shareSmall nodes. It counts
// running's nodes only up to that bound, so it costs O(work).
func (s *Store) worthSharing(work int) bool {
	limit := shareRatio*work + shareSmall
	return countUpTo(s.running, limit+1) <= limit
}

// sizeAt returns the number of nodes of root's subtrees at locs (outermost ones), the nodes of
// the path leading to them not counted.
func sizeAt(root *data.Node, locs []data.Loc) int {
	n := 0
	for _, l := range data.Outermost(locs) {
		if x := l.Resolve(root); x != nil {
			n += countUpTo(x, -1)
		}
	}
	return n
}

// countUpTo counts the nodes of n's subtree (n itself included, a root not), stopping once it
// reached limit (limit < 0: no limit).
func countUpTo(n *data.Node, limit int) int {
	c := 0
	if !n.IsRoot() {
		c = 1
	}
	var walk func(*data.Node) bool
	walk = func(n *data.Node) bool {
		for _, k := range n.Children() {
			c++
			if limit >= 0 && c >= limit {
				return false
			}
			if !walk(k) {
				return false
			}
		}
		return true
	}
	walk(n)
	return c
}
