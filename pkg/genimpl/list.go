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

// keysFor returns the keys of E, checking that there are n and that key i has Go type types[i].
func keysFor[E any](types ...reflect.Type) *listKeys {
	ks := entryKeys(reflect.TypeFor[E]())
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
// Get<List> method.
func Get[E any, K comparable](list []*E, k K) *E {
	ks := keysFor[E](reflect.TypeFor[K]())
	for _, e := range list {
		if e != nil && keyIs(ks, 0, unsafe.Pointer(e), k) {
			return e
		}
	}
	return nil
}

// Get2 is Get for a list of two keys.
func Get2[E any, K1, K2 comparable](list []*E, k1 K1, k2 K2) *E {
	ks := keysFor[E](reflect.TypeFor[K1](), reflect.TypeFor[K2]())
	for _, e := range list {
		if e != nil && keyIs(ks, 0, unsafe.Pointer(e), k1) && keyIs(ks, 1, unsafe.Pointer(e), k2) {
			return e
		}
	}
	return nil
}

// Get3 is Get for a list of three keys.
func Get3[E any, K1, K2, K3 comparable](list []*E, k1 K1, k2 K2, k3 K3) *E {
	ks := keysFor[E](reflect.TypeFor[K1](), reflect.TypeFor[K2](), reflect.TypeFor[K3]())
	for _, e := range list {
		if e != nil && keyIs(ks, 0, unsafe.Pointer(e), k1) && keyIs(ks, 1, unsafe.Pointer(e), k2) &&
			keyIs(ks, 2, unsafe.Pointer(e), k3) {
			return e
		}
	}
	return nil
}

// GetKeys is Get for a list of any number of keys, given in key order (each of its key's Go
// type).
func GetKeys[E any](list []*E, keys ...any) *E {
	ks := entryKeys(reflect.TypeFor[E]())
	vs := ks.values(keys)
	for _, e := range list {
		if e != nil && ks.match(unsafe.Pointer(e), vs) {
			return e
		}
	}
	return nil
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
func New[E any, K comparable](list *[]*E, path string, k K) (*E, error) {
	if Get(*list, k) != nil {
		return nil, Duplicate(path)
	}
	ks := entryKeys(reflect.TypeFor[E]())
	e := new(E)
	setKey(ks, 0, unsafe.Pointer(e), k)
	*list = append(*list, e)
	return e, nil
}

// New2 is New for a list of two keys.
func New2[E any, K1, K2 comparable](list *[]*E, path string, k1 K1, k2 K2) (*E, error) {
	if Get2(*list, k1, k2) != nil {
		return nil, Duplicate(path)
	}
	ks := entryKeys(reflect.TypeFor[E]())
	e := new(E)
	setKey(ks, 0, unsafe.Pointer(e), k1)
	setKey(ks, 1, unsafe.Pointer(e), k2)
	*list = append(*list, e)
	return e, nil
}

// New3 is New for a list of three keys.
func New3[E any, K1, K2, K3 comparable](list *[]*E, path string, k1 K1, k2 K2, k3 K3) (*E, error) {
	if Get3(*list, k1, k2, k3) != nil {
		return nil, Duplicate(path)
	}
	ks := entryKeys(reflect.TypeFor[E]())
	e := new(E)
	setKey(ks, 0, unsafe.Pointer(e), k1)
	setKey(ks, 1, unsafe.Pointer(e), k2)
	setKey(ks, 2, unsafe.Pointer(e), k3)
	*list = append(*list, e)
	return e, nil
}

// NewKeys is New for a list of any number of keys, given in key order.
func NewKeys[E any](list *[]*E, path string, keys ...any) (*E, error) {
	if GetKeys(*list, keys...) != nil {
		return nil, Duplicate(path)
	}
	ks := entryKeys(reflect.TypeFor[E]())
	e := new(E)
	for i, k := range keys {
		p := unsafe.Add(unsafe.Pointer(e), ks.offs[i])
		v := reflect.ValueOf(k)
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
func Append[E any](list *[]*E, e *E, path string) error {
	ks := entryKeys(reflect.TypeFor[E]())
	if len(ks.types) > 0 {
		vs := make([]reflect.Value, len(ks.types))
		for i := range vs {
			v, ok := ks.key(unsafe.Pointer(e), i)
			if !ok {
				return MissingKey(path, ks.names[i])
			}
			vs[i] = v
		}
		for _, o := range *list {
			if o != nil && ks.match(unsafe.Pointer(o), vs) {
				return Duplicate(path)
			}
		}
	}
	*list = append(*list, e)
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
