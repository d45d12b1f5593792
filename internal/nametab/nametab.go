// Package nametab numbers strings for the life of a process: a compact statement or location
// holds a uint32 instead of a string header for a name that thousands of them share (a file's
// path, a YANG keyword).
package nametab

import (
	"math"
	"strings"
	"sync"
	"sync/atomic"
)

// Table numbers strings: number 0 is "", the others are added by ID and never removed (a process
// meets a bounded set of names, and a number must read its name for as long as it exists). Name
// takes no lock: the list grows by copy, and a reader's older copy holds every number it can
// have seen. The zero Table is empty and ready to use.
type Table struct {
	mu   sync.Mutex
	ids  map[string]uint32
	list atomic.Pointer[[]string]
	// last is the entry found last: a caller often asks for one name many times in a row (a
	// loader for the file it reads).
	last atomic.Pointer[entry]
}

type entry struct {
	name string
	id   uint32
}

// ID returns the number of s, adding it (as a copy) when new. It panics if the table already
// holds 2^32-1 names.
func (t *Table) ID(s string) uint32 {
	if s == "" {
		return 0
	}
	if e := t.last.Load(); e != nil && e.name == s {
		return e.id
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if id, ok := t.ids[s]; ok {
		t.last.Store(&entry{(*t.list.Load())[id], id})
		return id
	}
	var list []string
	if p := t.list.Load(); p != nil {
		list = *p
	} else {
		list = []string{""}
		t.ids = map[string]uint32{}
	}
	if len(list) == math.MaxUint32 {
		panic("nametab: table full")
	}
	s = strings.Clone(s)
	id := uint32(len(list))
	list = append(list, s)
	t.ids[s] = id
	t.list.Store(&list)
	t.last.Store(&entry{s, id})
	return id
}

// Name returns the string numbered id (an ID result of this table).
func (t *Table) Name(id uint32) string {
	if id == 0 {
		return ""
	}
	return (*t.list.Load())[id]
}
