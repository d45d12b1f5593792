package nametab

import (
	"fmt"
	"sync"
	"testing"
)

func TestTable(t *testing.T) {
	var tab Table
	if got := tab.ID(""); got != 0 {
		t.Errorf(`ID("") = %d, want 0`, got)
	}
	if got := tab.Name(0); got != "" {
		t.Errorf("Name(0) = %q, want empty", got)
	}
	a, b := tab.ID("a.yang"), tab.ID("b.yang")
	if a == 0 || b == 0 || a == b {
		t.Fatalf("IDs a=%d b=%d: want distinct and non-zero", a, b)
	}
	buf := []byte("a.yang")
	if got := tab.ID(string(buf)); got != a {
		t.Errorf("ID of an equal string = %d, want %d", got, a)
	}
	buf[0] = 'x' // the table keeps its own copy
	if got := tab.Name(a); got != "a.yang" {
		t.Errorf("Name(%d) = %q, want a.yang", a, got)
	}
	if got := tab.Name(b); got != "b.yang" {
		t.Errorf("Name(%d) = %q, want b.yang", b, got)
	}
}

// TestTableConcurrent: goroutines adding and reading the same names agree on every number
// (run with -race).
func TestTableConcurrent(t *testing.T) {
	var tab Table
	const n = 200
	ids := make([][]uint32, 4)
	var wg sync.WaitGroup
	for g := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n {
				s := fmt.Sprintf("file%d", (i*7+g)%n)
				id := tab.ID(s)
				if got := tab.Name(id); got != s {
					t.Errorf("Name(ID(%q)) = %q", s, got)
				}
				ids[g] = append(ids[g], id)
			}
		}()
	}
	wg.Wait()
	for i := range n {
		s := fmt.Sprintf("file%d", i)
		id := tab.ID(s)
		if tab.Name(id) != s {
			t.Fatalf("Name(ID(%q)) = %q", s, tab.Name(id))
		}
	}
}
