package genimpl

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unsafe"
)

// List helpers and enumeration tables: the bodies of the methods generated per list field
// (Append, Get, New) and per enumeration (String, Parse), so that each generated method is one
// call. A Go compiler builds, and keeps until the end of the package, the code of every
// function; for a vendor model set with tens of thousands of list fields and enumerations
// (Junos) the loops, key comparisons and string switches of the generated bodies were most of
// the build's CPU time and a good part of its memory.
//
// The keys of a list entry struct are named by its fields' tags: option "key=N" marks the
// field of the list's Nth key (from 1, in the order of the key statement), given when every
// key has a Go type usable with ==. A key field is a pointer to its value, or a bool for a key
// of type empty.

// listKeys is what the list helpers know of a list entry struct: its key fields in key order.
type listKeys struct {
	typ   reflect.Type
	offs  []uintptr
	ptr   []bool         // field is *K (else K itself: an empty key, held as bool)
	types []reflect.Type // K of each key
	names []string       // the keys' YANG names, for errors
}

var entryKeysCache sync.Map // reflect.Type of the entry struct -> *listKeys

// entryKeys returns the keys of list entry struct type t, read from its tags on first use.
func entryKeys(t reflect.Type) *listKeys {
	if v, ok := entryKeysCache.Load(t); ok {
		return v.(*listKeys)
	}
	ks := &listKeys{typ: t}
	type key struct {
		n int
		f reflect.StructField
	}
	var found []key
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag, ok := sf.Tag.Lookup("yang")
		if !ok {
			continue
		}
		_, opts, _ := strings.Cut(tag, ",")
		for _, o := range strings.Split(opts, ",") {
			if v, ok := strings.CutPrefix(o, "key="); ok {
				n, err := strconv.Atoi(v)
				if err != nil || n < 1 {
					panic(fmt.Sprintf("genimpl: %s.%s: bad key option %q", t, sf.Name, o))
				}
				found = append(found, key{n, sf})
			}
		}
	}
	ks.offs = make([]uintptr, len(found))
	ks.ptr = make([]bool, len(found))
	ks.types = make([]reflect.Type, len(found))
	ks.names = make([]string, len(found))
	seen := make([]bool, len(found))
	for _, k := range found {
		i := k.n - 1
		if i >= len(found) || seen[i] {
			panic(fmt.Sprintf("genimpl: %s: key options are not 1..%d", t, len(found)))
		}
		seen[i] = true
		ks.offs[i] = k.f.Offset
		ks.types[i] = k.f.Type
		if k.f.Type.Kind() == reflect.Pointer {
			ks.ptr[i], ks.types[i] = true, k.f.Type.Elem()
		}
		paths, _, _ := strings.Cut(k.f.Tag.Get("yang"), ",")
		first, _, _ := strings.Cut(paths, " ")
		first = first[strings.LastIndexByte(first, '/')+1:]
		ks.names[i] = first[strings.LastIndexByte(first, ':')+1:]
	}
	v, _ := entryKeysCache.LoadOrStore(t, ks)
	return v.(*listKeys)
}

// The helpers' type parameter P is the entry's pointer type (*E), never E: a Go compiler
// builds one instance of a generic function per GC shape of its type arguments, the shape of a
// struct type is its own layout, and every pointer type (for a parameter constrained by any)
// shares one shape. With E as the parameter each list of a vendor model set had its own
// compiled New, Get and Append (SR OS nokia-conf: ~6,000 instances, two thirds of the
// package's build memory); with P there is one per key type. The element type comes from
// reflect, once per entry type (entryKeys).

// keysFor returns the keys of *P's entry struct, checking that there are len(types) and that
// key i has Go type types[i].
func keysFor[P any](types ...reflect.Type) *listKeys {
	ks := entryKeysOf[P]()
	if len(ks.types) != len(types) {
		panic(fmt.Sprintf("genimpl: %s has %d keys, not %d", ks.typ, len(ks.types), len(types)))
	}
	for i, t := range types {
		if ks.types[i] != t {
			panic(fmt.Sprintf("genimpl: key %s of %s is a %s, not a %s", ks.names[i], ks.typ, ks.types[i], t))
		}
	}
	return ks
}

// entryKeysOf returns the keys of the struct P points to.
func entryKeysOf[P any]() *listKeys {
	t := reflect.TypeFor[P]()
	if t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("genimpl: list entry type %s is not a pointer to a struct", t))
	}
	return entryKeys(t.Elem())
}

// ptr returns the address P holds (P is a pointer type).
func ptr[P any](e P) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&e)) }

// newEntry returns a new zero entry of ks's struct type as a P.
func newEntry[P any](ks *listKeys) P {
	p := reflect.New(ks.typ).UnsafePointer()
	return *(*P)(unsafe.Pointer(&p))
}

// keyIs reports whether key i of the entry at e is k.
func keyIs[K comparable](ks *listKeys, i int, e unsafe.Pointer, k K) bool {
	p := unsafe.Add(e, ks.offs[i])
	if ks.ptr[i] {
		q := *(**K)(p)
		return q != nil && *q == k
	}
	return *(*K)(p) == k
}

// setKey sets key i of the entry at e to k.
func setKey[K comparable](ks *listKeys, i int, e unsafe.Pointer, k K) {
	p := unsafe.Add(e, ks.offs[i])
	if ks.ptr[i] {
		*(**K)(p) = &k
		return
	}
	*(*K)(p) = k
}

// Get returns the entry of list whose one key is k, nil if none: the body of a generated
// Get<List> method. P is the entry's pointer type.
func Get[P any, K comparable](list []P, k K) P {
	ks := keysFor[P](reflect.TypeFor[K]())
	for _, e := range list {
		if p := ptr(e); p != nil && keyIs(ks, 0, p, k) {
			return e
		}
	}
	var none P
	return none
}

// Get2 is Get for a list of two keys.
func Get2[P any, K1, K2 comparable](list []P, k1 K1, k2 K2) P {
	ks := keysFor[P](reflect.TypeFor[K1](), reflect.TypeFor[K2]())
	for _, e := range list {
		if p := ptr(e); p != nil && keyIs(ks, 0, p, k1) && keyIs(ks, 1, p, k2) {
			return e
		}
	}
	var none P
	return none
}

// Get3 is Get for a list of three keys.
func Get3[P any, K1, K2, K3 comparable](list []P, k1 K1, k2 K2, k3 K3) P {
	ks := keysFor[P](reflect.TypeFor[K1](), reflect.TypeFor[K2](), reflect.TypeFor[K3]())
	for _, e := range list {
		if p := ptr(e); p != nil && keyIs(ks, 0, p, k1) && keyIs(ks, 1, p, k2) && keyIs(ks, 2, p, k3) {
			return e
		}
	}
	var none P
	return none
}

// GetKeys is Get for a list of any number of keys, given in key order (each of its key's Go
// type).
func GetKeys[P any](list []P, keys ...any) P {
	ks := entryKeysOf[P]()
	vs := ks.values(keys)
	for _, e := range list {
		if p := ptr(e); p != nil && ks.match(p, vs) {
			return e
		}
	}
	var none P
	return none
}

// values checks keys against ks and returns them as reflect values.
func (ks *listKeys) values(keys []any) []reflect.Value {
	if len(keys) != len(ks.types) {
		panic(fmt.Sprintf("genimpl: %s has %d keys, not %d", ks.typ, len(ks.types), len(keys)))
	}
	vs := make([]reflect.Value, len(keys))
	for i, k := range keys {
		vs[i] = reflect.ValueOf(k)
		if vs[i].Type() != ks.types[i] {
			panic(fmt.Sprintf("genimpl: key %s of %s is a %s, not a %s", ks.names[i], ks.typ, ks.types[i], vs[i].Type()))
		}
	}
	return vs
}

// key returns key i of the entry at e, ok false when it is not set.
func (ks *listKeys) key(e unsafe.Pointer, i int) (reflect.Value, bool) {
	p := unsafe.Add(e, ks.offs[i])
	if ks.ptr[i] {
		q := *(*unsafe.Pointer)(p)
		if q == nil {
			return reflect.Value{}, false
		}
		p = q
	}
	return reflect.NewAt(ks.types[i], p).Elem(), true
}

// match reports whether the keys of the entry at e are vs.
func (ks *listKeys) match(e unsafe.Pointer, vs []reflect.Value) bool {
	for i, v := range vs {
		k, ok := ks.key(e, i)
		if !ok || !k.Equal(v) {
			return false
		}
	}
	return true
}

// New appends a new entry with key k to *list and returns it, or fails with ErrDuplicate
// (naming path) when an entry has that key: the body of a generated New<List> method.
func New[P any, K comparable](list *[]P, path string, k K) (P, error) {
	ks := keysFor[P](reflect.TypeFor[K]())
	for _, o := range *list {
		if p := ptr(o); p != nil && keyIs(ks, 0, p, k) {
			var none P
			return none, Duplicate(path)
		}
	}
	e := newEntry[P](ks)
	setKey(ks, 0, ptr(e), k)
	*list = append(*list, e)
	return e, nil
}

// New2 is New for a list of two keys.
func New2[P any, K1, K2 comparable](list *[]P, path string, k1 K1, k2 K2) (P, error) {
	ks := keysFor[P](reflect.TypeFor[K1](), reflect.TypeFor[K2]())
	for _, o := range *list {
		if p := ptr(o); p != nil && keyIs(ks, 0, p, k1) && keyIs(ks, 1, p, k2) {
			var none P
			return none, Duplicate(path)
		}
	}
	e := newEntry[P](ks)
	setKey(ks, 0, ptr(e), k1)
	setKey(ks, 1, ptr(e), k2)
	*list = append(*list, e)
	return e, nil
}

// New3 is New for a list of three keys.
func New3[P any, K1, K2, K3 comparable](list *[]P, path string, k1 K1, k2 K2, k3 K3) (P, error) {
	ks := keysFor[P](reflect.TypeFor[K1](), reflect.TypeFor[K2](), reflect.TypeFor[K3]())
	for _, o := range *list {
		if p := ptr(o); p != nil && keyIs(ks, 0, p, k1) && keyIs(ks, 1, p, k2) && keyIs(ks, 2, p, k3) {
			var none P
			return none, Duplicate(path)
		}
	}
	e := newEntry[P](ks)
	setKey(ks, 0, ptr(e), k1)
	setKey(ks, 1, ptr(e), k2)
	setKey(ks, 2, ptr(e), k3)
	*list = append(*list, e)
	return e, nil
}

// NewKeys is New for a list of any number of keys, given in key order.
func NewKeys[P any](list *[]P, path string, keys ...any) (P, error) {
	ks := entryKeysOf[P]()
	vs := ks.values(keys)
	for _, o := range *list {
		if p := ptr(o); p != nil && ks.match(p, vs) {
			var none P
			return none, Duplicate(path)
		}
	}
	e := newEntry[P](ks)
	for i, v := range vs {
		p := unsafe.Add(ptr(e), ks.offs[i])
		if ks.ptr[i] {
			q := reflect.New(ks.types[i])
			q.Elem().Set(v)
			*(*unsafe.Pointer)(p) = q.UnsafePointer()
		} else {
			reflect.NewAt(ks.types[i], p).Elem().Set(v)
		}
	}
	*list = append(*list, e)
	return e, nil
}

// Append appends entry e to *list: the body of a generated Append<List> method. For a list
// whose entry struct names its keys (see above) it refuses an entry without a key
// (ErrMissingKey) or with the keys of an entry already there (ErrDuplicate), naming path.
func Append[P any](list *[]P, e P, path string) error {
	if err := appendCheck(entryKeysOf[P](), sliceOf(list), ptr(e), path); err != nil {
		return err
	}
	*list = append(*list, e)
	return nil
}

// sliceOf returns the entries of *list as addresses (P is a pointer type, so []P has the
// layout of []unsafe.Pointer).
func sliceOf[P any](list *[]P) []unsafe.Pointer { return *(*[]unsafe.Pointer)(unsafe.Pointer(list)) }

// appendCheck is Append's check of e's keys against the entries of list.
func appendCheck(ks *listKeys, list []unsafe.Pointer, e unsafe.Pointer, path string) error {
	if len(ks.types) == 0 {
		return nil
	}
	vs := make([]reflect.Value, len(ks.types))
	for i := range vs {
		v, ok := ks.key(e, i)
		if !ok {
			return MissingKey(path, ks.names[i])
		}
		vs[i] = v
	}
	for _, o := range list {
		if o != nil && ks.match(o, vs) {
			return Duplicate(path)
		}
	}
	return nil
}

// An Enum is the table of a generated enumeration type, the body of its String method and of
// its Parse function. Generated code declares one per type as a composite literal of
// constants (static data: no code runs to build it).
type Enum struct {
	// Type is the Go type's name, for the String of a value that is none of its values.
	Type string
	// Names are the YANG names of the values, in the enumeration's order.
	Names []string
	// Values are their values; nil when they are 0, 1, 2 ... in order.
	Values []int32

	once   sync.Once
	byName map[string]int32
}

// String returns the YANG name of v, or Type(v) when v is not one of the values.
func (t *Enum) String(v int32) string {
	if t.Values == nil {
		if v >= 0 && int(v) < len(t.Names) {
			return t.Names[v]
		}
	} else {
		for i, x := range t.Values {
			if x == v {
				return t.Names[i]
			}
		}
	}
	return t.Type + "(" + strconv.FormatInt(int64(v), 10) + ")"
}

// enumLinear is the number of values up to which Parse compares names in turn rather than
// building a map.
const enumLinear = 8

// Parse returns the value named s; ok is false when none is.
func (t *Enum) Parse(s string) (v int32, ok bool) {
	if len(t.Names) <= enumLinear {
		for i, n := range t.Names {
			if n == s {
				return t.value(i), true
			}
		}
		return 0, false
	}
	t.once.Do(func() {
		t.byName = make(map[string]int32, len(t.Names))
		for i, n := range t.Names {
			if _, dup := t.byName[n]; !dup {
				t.byName[n] = t.value(i)
			}
		}
	})
	v, ok = t.byName[s]
	return v, ok
}

func (t *Enum) value(i int) int32 {
	if t.Values == nil {
		return int32(i)
	}
	return t.Values[i]
}

// The list helpers of contract version 5 (ListAppend, ListGet, ListNew) are not generic: a
// generated Append, Get or New method passes the address of its list field and its keys as
// interface values and asserts the entry's type on the result. Even with the pointer type as
// the type parameter (one compiled instance per key type), every generic call still needed a
// dictionary per entry type, with sub-dictionaries and the instantiated types' descriptors,
// which a Go compiler builds and keeps until the package's end: SR OS nokia-conf has 6,251
// list helpers, and as generic calls they cost the compiler about twice what the one-line
// conversion methods do. The key types are checked at run time instead (a mismatch is a
// generator bug and panics, naming the key).

// listInfo is what ListAppend, ListGet and ListNew know of a list field type *[]*E.
type listInfo struct {
	ks  *listKeys
	ptr reflect.Type // *E
	eq  []uint8      // per key: how its values compare (keyEq)
}

var listInfoCache sync.Map // reflect.Type of the list field's address (*[]*E) -> *listInfo

// listOf returns the list info of list (a *[]*E) and the list itself as addresses.
func listOf(list any) (*listInfo, *[]unsafe.Pointer) {
	t := reflect.TypeOf(list)
	v, ok := listInfoCache.Load(t)
	if !ok {
		if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Slice ||
			t.Elem().Elem().Kind() != reflect.Pointer || t.Elem().Elem().Elem().Kind() != reflect.Struct {
			panic(fmt.Sprintf("genimpl: list %v is not a pointer to a slice of pointers to structs", t))
		}
		ptrT := t.Elem().Elem()
		li := &listInfo{ks: entryKeys(ptrT.Elem()), ptr: ptrT}
		for _, kt := range li.ks.types {
			li.eq = append(li.eq, keyEq(kt))
		}
		v, _ = listInfoCache.LoadOrStore(t, li)
	}
	return v.(*listInfo), (*[]unsafe.Pointer)(dataOf(list))
}

// dataOf returns the data word of x: the pointer it holds (x holds a pointer), or the address
// of its value (x holds a key: a string, number, bool or struct, never pointer-shaped).
func dataOf(x any) unsafe.Pointer { return (*[2]unsafe.Pointer)(unsafe.Pointer(&x))[1] }

// Key comparisons by the key type's representation (listInfo.eq).
const (
	eqString uint8 = iota
	eq1
	eq2
	eq4
	eq8
	eqReflect // floats, structs (Decimal64)
)

// keyEq returns how two key values of type t are compared.
func keyEq(t reflect.Type) uint8 {
	switch t.Kind() {
	case reflect.String:
		return eqString
	case reflect.Bool, reflect.Int8, reflect.Uint8:
		return eq1
	case reflect.Int16, reflect.Uint16:
		return eq2
	case reflect.Int32, reflect.Uint32:
		return eq4
	case reflect.Int64, reflect.Uint64, reflect.Int, reflect.Uint, reflect.Uintptr:
		return eq8
	case reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128, reflect.Struct, reflect.Array:
		if t.Comparable() {
			return eqReflect
		}
	}
	// Pointer-shaped types are held in an interface's data word itself, not by address.
	panic(fmt.Sprintf("genimpl: list key type %s is not a string, number, bool or comparable struct", t))
}

// keyPtrs returns the addresses of the key values keys, checked against li's key types.
func (li *listInfo) keyPtrs(keys []any, buf []unsafe.Pointer) []unsafe.Pointer {
	ks := li.ks
	if len(keys) != len(ks.types) {
		panic(fmt.Sprintf("genimpl: %s has %d keys, not %d", ks.typ, len(ks.types), len(keys)))
	}
	for i, k := range keys {
		if t := reflect.TypeOf(k); t != ks.types[i] {
			panic(fmt.Sprintf("genimpl: key %s of %s is a %s, not a %v", ks.names[i], ks.typ, ks.types[i], t))
		}
		buf = append(buf, dataOf(k))
	}
	return buf
}

// matches reports whether the keys of the entry at e are the values at kp.
func (li *listInfo) matches(e unsafe.Pointer, kp []unsafe.Pointer) bool {
	ks := li.ks
	for i, k := range kp {
		p := unsafe.Add(e, ks.offs[i])
		if ks.ptr[i] {
			if p = *(*unsafe.Pointer)(p); p == nil {
				return false
			}
		}
		var eq bool
		switch li.eq[i] {
		case eqString:
			eq = *(*string)(p) == *(*string)(k)
		case eq1:
			eq = *(*uint8)(p) == *(*uint8)(k)
		case eq2:
			eq = *(*uint16)(p) == *(*uint16)(k)
		case eq4:
			eq = *(*uint32)(p) == *(*uint32)(k)
		case eq8:
			eq = *(*uint64)(p) == *(*uint64)(k)
		default:
			eq = reflect.NewAt(ks.types[i], p).Elem().Equal(reflect.NewAt(ks.types[i], k).Elem())
		}
		if !eq {
			return false
		}
	}
	return true
}

// find returns the first entry of l whose keys are kp, nil if none.
func (li *listInfo) find(l []unsafe.Pointer, kp []unsafe.Pointer) unsafe.Pointer {
	for _, e := range l {
		if e != nil && li.matches(e, kp) {
			return e
		}
	}
	return nil
}

// ListGet returns the entry (a *E) of the list *[]*E that list points to whose keys are keys
// (each of its key's Go type, in key order), nil if none: the body of a generated Get<List>
// method of contract version 5.
func ListGet(list any, keys ...any) any {
	li, l := listOf(list)
	var buf [4]unsafe.Pointer
	e := li.find(*l, li.keyPtrs(keys, buf[:0]))
	if e == nil {
		return nil
	}
	return reflect.NewAt(li.ks.typ, e).Interface()
}

// ListNew appends a new entry with keys keys to the list *[]*E that list points to and returns
// it (a *E), or fails with ErrDuplicate (naming path) when an entry has those keys: the body of
// a generated New<List> method of contract version 5.
func ListNew(list any, path string, keys ...any) (any, error) {
	li, l := listOf(list)
	var buf [4]unsafe.Pointer
	kp := li.keyPtrs(keys, buf[:0])
	if li.find(*l, kp) != nil {
		return nil, Duplicate(path)
	}
	ks := li.ks
	ev := reflect.New(ks.typ)
	e := ev.UnsafePointer()
	for i, k := range kp {
		src := reflect.NewAt(ks.types[i], k).Elem()
		p := unsafe.Add(e, ks.offs[i])
		if ks.ptr[i] {
			q := reflect.New(ks.types[i])
			q.Elem().Set(src)
			*(*unsafe.Pointer)(p) = q.UnsafePointer()
		} else {
			reflect.NewAt(ks.types[i], p).Elem().Set(src)
		}
	}
	*l = append(*l, e)
	return ev.Interface(), nil
}

// ListAppend appends entry e (a *E) to the list *[]*E that list points to: the body of a
// generated Append<List> method of contract version 5. For a list whose entry struct names its
// keys it refuses a nil entry or one without a key (ErrMissingKey) or with the keys of an entry
// already there (ErrDuplicate), naming path.
func ListAppend(list, e any, path string) error {
	li, l := listOf(list)
	if t := reflect.TypeOf(e); t != li.ptr {
		panic(fmt.Sprintf("genimpl: entry %v appended to a list of %s", t, li.ptr))
	}
	p := dataOf(e)
	if len(li.ks.types) > 0 {
		if p == nil {
			return MissingKey(path, li.ks.names[0])
		}
		var buf [4]unsafe.Pointer
		kp := buf[:0]
		for i := range li.ks.types {
			q := unsafe.Add(p, li.ks.offs[i])
			if li.ks.ptr[i] {
				if q = *(*unsafe.Pointer)(q); q == nil {
					return MissingKey(path, li.ks.names[i])
				}
			}
			kp = append(kp, q)
		}
		if li.find(*l, kp) != nil {
			return Duplicate(path)
		}
	}
	*l = append(*l, p)
	return nil
}
