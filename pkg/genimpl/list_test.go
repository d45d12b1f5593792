package genimpl_test

import (
	"errors"
	"testing"

	"github.com/ncws/ncws/pkg/genimpl"
)

// List entry structs as ncws gen writes them: key fields tagged key=N in the key statement's
// order, which need not be the fields' order; an empty key is a bool.
type lOne struct {
	Desc *string `yang:"desc"`
	Name *string `yang:"name,key=1"`
}

type lMode int32

type lThree struct {
	Mode *lMode  `yang:"mode,key=3"`
	ID   *uint16 `yang:"id,key=1"`
	On   bool    `yang:"on,key=2"`
}

type lNoKeys struct {
	V *string `yang:"v"`
}

func TestListHelpersOneKey(t *testing.T) {
	var l []*lOne
	a, err := genimpl.New(&l, "/m:c/l", "a")
	if err != nil || a == nil || *a.Name != "a" {
		t.Fatalf("New(a) = %v, %v", a, err)
	}
	if _, err := genimpl.New(&l, "/m:c/l", "a"); !errors.Is(err, genimpl.ErrDuplicate) || err.Error() != "genimpl: duplicate entry: /m:c/l" {
		t.Errorf("New(a) again: %v, want ErrDuplicate naming the path", err)
	}
	if err := genimpl.Append(&l, &lOne{Name: genimpl.Ptr("b")}, "/m:c/l"); err != nil {
		t.Fatalf("Append(b): %v", err)
	}
	if err := genimpl.Append(&l, &lOne{Name: genimpl.Ptr("a")}, "/m:c/l"); !errors.Is(err, genimpl.ErrDuplicate) {
		t.Errorf("Append(a): %v, want ErrDuplicate", err)
	}
	if err := genimpl.Append(&l, &lOne{Desc: genimpl.Ptr("x")}, "/m:c/l"); !errors.Is(err, genimpl.ErrMissingKey) || err.Error() != "genimpl: list entry without key: /m:c/l: name" {
		t.Errorf("Append(no key): %v, want ErrMissingKey naming the key", err)
	}
	if got := genimpl.Get(l, "b"); got != l[1] {
		t.Errorf("Get(b) = %v, want the second entry", got)
	}
	if got := genimpl.Get(l, "c"); got != nil {
		t.Errorf("Get(c) = %v, want nil", got)
	}
	if len(l) != 2 {
		t.Errorf("%d entries, want 2", len(l))
	}
	if got := genimpl.GetKeys(l, "a"); got != a {
		t.Errorf("GetKeys(a) = %v, want %v", got, a)
	}
}

func TestListHelpersThreeKeys(t *testing.T) {
	var l []*lThree
	e, err := genimpl.New3(&l, "/m:t", uint16(7), true, lMode(2))
	if err != nil || *e.ID != 7 || !e.On || *e.Mode != 2 {
		t.Fatalf("New3 = %+v, %v", e, err)
	}
	if _, err := genimpl.New3(&l, "/m:t", uint16(7), true, lMode(2)); !errors.Is(err, genimpl.ErrDuplicate) {
		t.Errorf("New3 again: %v, want ErrDuplicate", err)
	}
	f, err := genimpl.NewKeys(&l, "/m:t", uint16(7), false, lMode(2))
	if err != nil || *f.ID != 7 || f.On || *f.Mode != 2 {
		t.Fatalf("NewKeys = %+v, %v", f, err)
	}
	if got := genimpl.Get3(l, uint16(7), false, lMode(2)); got != f {
		t.Errorf("Get3(7 false 2) = %v, want the second entry", got)
	}
	if got := genimpl.Get3(l, uint16(7), true, lMode(3)); got != nil {
		t.Errorf("Get3(7 true 3) = %v, want nil", got)
	}
	if got := genimpl.GetKeys(l, uint16(7), true, lMode(2)); got != e {
		t.Errorf("GetKeys(7 true 2) = %v, want the first entry", got)
	}
	// An empty key is always present; a missing pointer key is refused.
	if err := genimpl.Append(&l, &lThree{ID: genimpl.Ptr(uint16(1))}, "/m:t"); !errors.Is(err, genimpl.ErrMissingKey) || err.Error() != "genimpl: list entry without key: /m:t: mode" {
		t.Errorf("Append(no mode): %v", err)
	}
	if err := genimpl.Append(&l, &lThree{ID: genimpl.Ptr(uint16(7)), On: true, Mode: genimpl.Ptr(lMode(2))}, "/m:t"); !errors.Is(err, genimpl.ErrDuplicate) {
		t.Errorf("Append(7 true 2): %v, want ErrDuplicate", err)
	}
	if err := genimpl.Append(&l, &lThree{ID: genimpl.Ptr(uint16(8)), Mode: genimpl.Ptr(lMode(2))}, "/m:t"); err != nil {
		t.Errorf("Append(8 false 2): %v", err)
	}
	if len(l) != 3 {
		t.Errorf("%d entries, want 3", len(l))
	}
}

func TestListHelpersNoKeys(t *testing.T) {
	var l []*lNoKeys
	for range 2 {
		if err := genimpl.Append(&l, &lNoKeys{}, "/m:k"); err != nil {
			t.Fatalf("Append: %v", err)
		}
	}
	if len(l) != 2 {
		t.Errorf("%d entries, want 2 (a keyless list takes any entry)", len(l))
	}
}

func TestListHelpersWrongKeyType(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Get with a key of the wrong Go type did not panic")
		}
	}()
	genimpl.Get([]*lOne{}, 3)
}

func TestEnum(t *testing.T) {
	seq := &genimpl.Enum{Type: "Speed", Names: []string{"slow", "fast"}}
	sparse := &genimpl.Enum{Type: "Level", Names: []string{"low", "mid", "high", "a", "b", "c", "d", "e", "f", "g"},
		Values: []int32{-5, 0, 10, 11, 12, 13, 14, 15, 16, 17}}
	for _, c := range []struct {
		e    *genimpl.Enum
		v    int32
		name string
	}{
		{seq, 0, "slow"}, {seq, 1, "fast"}, {seq, 2, "Speed(2)"}, {seq, -1, "Speed(-1)"},
		{sparse, -5, "low"}, {sparse, 10, "high"}, {sparse, 17, "g"}, {sparse, 1, "Level(1)"},
	} {
		if got := c.e.String(c.v); got != c.name {
			t.Errorf("%s.String(%d) = %q, want %q", c.e.Type, c.v, got, c.name)
		}
		if c.name[len(c.name)-1] == ')' {
			continue
		}
		if v, ok := c.e.Parse(c.name); !ok || v != c.v {
			t.Errorf("%s.Parse(%q) = %d, %v, want %d", c.e.Type, c.name, v, ok, c.v)
		}
	}
	for _, e := range []*genimpl.Enum{seq, sparse} {
		if v, ok := e.Parse("nope"); ok || v != 0 {
			t.Errorf("%s.Parse(nope) = %d, %v, want 0, false", e.Type, v, ok)
		}
	}
}

// The contract version 5 helpers (ListAppend, ListGet, ListNew) as generated methods call them:
// the list field's address, keys as interface values, the entry's type asserted on the result.

type lDec struct {
	D    *genimpl.Decimal64 `yang:"d,key=1"`
	Name *string            `yang:"name,key=2"`
}

func TestListOneKey(t *testing.T) {
	var l []*lOne
	e, err := genimpl.ListNew(&l, "/m:c/l", "a")
	a, _ := e.(*lOne)
	if err != nil || a == nil || *a.Name != "a" || len(l) != 1 || l[0] != a {
		t.Fatalf("ListNew(a) = %v, %v; list %v", e, err, l)
	}
	if e, err := genimpl.ListNew(&l, "/m:c/l", "a"); e != nil || !errors.Is(err, genimpl.ErrDuplicate) || err.Error() != "genimpl: duplicate entry: /m:c/l" {
		t.Errorf("ListNew(a) again: %v, %v, want ErrDuplicate naming the path", e, err)
	}
	if err := genimpl.ListAppend(&l, &lOne{Name: genimpl.Ptr("b")}, "/m:c/l"); err != nil {
		t.Fatalf("ListAppend(b): %v", err)
	}
	if err := genimpl.ListAppend(&l, &lOne{Name: genimpl.Ptr("a")}, "/m:c/l"); !errors.Is(err, genimpl.ErrDuplicate) {
		t.Errorf("ListAppend(a): %v, want ErrDuplicate", err)
	}
	if err := genimpl.ListAppend(&l, &lOne{Desc: genimpl.Ptr("x")}, "/m:c/l"); !errors.Is(err, genimpl.ErrMissingKey) || err.Error() != "genimpl: list entry without key: /m:c/l: name" {
		t.Errorf("ListAppend(no key): %v, want ErrMissingKey naming the key", err)
	}
	if err := genimpl.ListAppend(&l, (*lOne)(nil), "/m:c/l"); !errors.Is(err, genimpl.ErrMissingKey) {
		t.Errorf("ListAppend(nil): %v, want ErrMissingKey", err)
	}
	if got, _ := genimpl.ListGet(&l, "b").(*lOne); got != l[1] || *got.Name != "b" {
		t.Errorf("ListGet(b) = %v, want the second entry", got)
	}
	// A string key built at run time (not the constant the entry holds) matches by value.
	if got, _ := genimpl.ListGet(&l, string([]byte{'a'})).(*lOne); got != a {
		t.Errorf("ListGet(a) = %v, want the first entry", got)
	}
	if got := genimpl.ListGet(&l, "c"); got != nil {
		t.Errorf("ListGet(c) = %v, want nil", got)
	}
	// The generic helpers of contract version 3 see the same list.
	if got := genimpl.Get(l, "b"); got != l[1] || len(l) != 2 {
		t.Errorf("Get(b) = %v (%d entries), want the second of 2", got, len(l))
	}
}

func TestListThreeKeys(t *testing.T) {
	var l []*lThree
	x, err := genimpl.ListNew(&l, "/m:t", uint16(7), true, lMode(2))
	e, _ := x.(*lThree)
	if err != nil || e == nil || *e.ID != 7 || !e.On || *e.Mode != 2 {
		t.Fatalf("ListNew = %+v, %v", x, err)
	}
	if _, err := genimpl.ListNew(&l, "/m:t", uint16(7), true, lMode(2)); !errors.Is(err, genimpl.ErrDuplicate) {
		t.Errorf("ListNew again: %v, want ErrDuplicate", err)
	}
	x, err = genimpl.ListNew(&l, "/m:t", uint16(7), false, lMode(2))
	f, _ := x.(*lThree)
	if err != nil || f == nil || *f.ID != 7 || f.On || *f.Mode != 2 {
		t.Fatalf("ListNew(7 false 2) = %+v, %v", x, err)
	}
	if got := genimpl.ListGet(&l, uint16(7), false, lMode(2)); got != f {
		t.Errorf("ListGet(7 false 2) = %v, want the second entry", got)
	}
	if got := genimpl.ListGet(&l, uint16(7), true, lMode(3)); got != nil {
		t.Errorf("ListGet(7 true 3) = %v, want nil", got)
	}
	if got := genimpl.ListGet(&l, uint16(7), true, lMode(2)); got != e {
		t.Errorf("ListGet(7 true 2) = %v, want the first entry", got)
	}
	// An empty key is always present; a missing pointer key is refused.
	if err := genimpl.ListAppend(&l, &lThree{ID: genimpl.Ptr(uint16(1))}, "/m:t"); !errors.Is(err, genimpl.ErrMissingKey) || err.Error() != "genimpl: list entry without key: /m:t: mode" {
		t.Errorf("ListAppend(no mode): %v", err)
	}
	if err := genimpl.ListAppend(&l, &lThree{ID: genimpl.Ptr(uint16(7)), On: true, Mode: genimpl.Ptr(lMode(2))}, "/m:t"); !errors.Is(err, genimpl.ErrDuplicate) {
		t.Errorf("ListAppend(7 true 2): %v, want ErrDuplicate", err)
	}
	if err := genimpl.ListAppend(&l, &lThree{ID: genimpl.Ptr(uint16(8)), Mode: genimpl.Ptr(lMode(2))}, "/m:t"); err != nil {
		t.Errorf("ListAppend(8 false 2): %v", err)
	}
	if len(l) != 3 || l[2].ID == nil || *l[2].ID != 8 {
		t.Errorf("list %v, want 3 entries, the last with id 8", l)
	}
}

func TestListStructKey(t *testing.T) {
	var l []*lDec
	d := genimpl.Decimal64{Scaled: 150, Digits: 2}
	if _, err := genimpl.ListNew(&l, "/m:d", d, "x"); err != nil {
		t.Fatal(err)
	}
	if got, _ := genimpl.ListGet(&l, genimpl.Decimal64{Scaled: 150, Digits: 2}, "x").(*lDec); got == nil || *got.D != d {
		t.Errorf("ListGet(1.50 x) = %v, want the entry", got)
	}
	if got := genimpl.ListGet(&l, genimpl.Decimal64{Scaled: 150, Digits: 1}, "x"); got != nil {
		t.Errorf("ListGet(15.0 x) = %v, want nil", got)
	}
}

func TestListNoKeys(t *testing.T) {
	var l []*lNoKeys
	for range 2 {
		if err := genimpl.ListAppend(&l, &lNoKeys{}, "/m:k"); err != nil {
			t.Fatalf("ListAppend: %v", err)
		}
	}
	if len(l) != 2 {
		t.Errorf("%d entries, want 2 (a keyless list takes any entry)", len(l))
	}
}

func TestListWrongTypes(t *testing.T) {
	for name, f := range map[string]func(){
		"key type":   func() { genimpl.ListGet(&[]*lOne{}, 3) },
		"key count":  func() { genimpl.ListNew(&[]*lOne{}, "/m:l", "a", "b") },
		"entry type": func() { genimpl.ListAppend(&[]*lOne{}, &lNoKeys{}, "/m:l") },
		"list type":  func() { genimpl.ListGet([]*lOne{}, "a") },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func BenchmarkListGet(b *testing.B) {
	var l []*lThree
	for i := range 16 {
		genimpl.New3(&l, "/m:t", uint16(i), i%2 == 0, lMode(i))
	}
	b.Run("generic", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if genimpl.Get3(l, uint16(15), false, lMode(15)) == nil {
				b.Fatal("not found")
			}
		}
	})
	b.Run("any", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if e, _ := genimpl.ListGet(&l, uint16(15), false, lMode(15)).(*lThree); e == nil {
				b.Fatal("not found")
			}
		}
	})
}
