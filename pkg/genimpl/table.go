package genimpl

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
)

// Table-driven conversion. A generated struct carries, per field, a `yang` tag naming the data
// node(s) it holds; FromTree and ToTree below walk a table built once per struct type from the
// tags and reflect, with field offsets, so that generated code holds no conversion code: the
// bodies were most of a generated package's size and build time (the approach of protobuf-go,
// whose generated messages hold a descriptor and the runtime does the work).
//
// The tag of a field is
//
//	yang:"PATH[ PATH...][,OPTION...]"
//
// PATH is [VIA "/"] STEP, STEP is [module ":"] name, the module given when it is not the module
// of the struct's own node (always at the document root). VIA is a container the field's node
// sits in that has no struct of its own (OpenConfig path compression: config, state, the
// container around a list). Several PATHs are nodes read and written with the one field (a
// config leaf and its twin). OPTIONs say what the Go type leaves open: "anydata" and "binary"
// for a []byte (else a leaf-list of uint8), "bits" for a []string (else a leaf-list of strings),
// "empty" for a []bool (else a leaf-list of booleans), and "case=CHOICE/CASE[/CHOICE/CASE...]",
// the cases the node is in, outermost first (ToTree refuses fields of two cases of one choice),
// and "key=N", the list's Nth key (read by the list helpers of list.go, not here).
//
// Offsets and kinds are taken from reflect once; the per-value work uses unsafe pointers to the
// fields, as protobuf-go's fast path does, so a conversion costs about what the generated code
// did. The tags rather than generated tables: a tag is a string the compiler stores and never
// compiles into code, while a table literal per struct is code the compiler builds and the
// linker keeps (and initialises), which is the cost this replaces.

// A Package is what table-driven conversion needs of a generated package beyond its struct tags:
// the member wrappers of its union types. Generated code declares one and passes it to
// FromTree, ToTree and Typed; its zero value serves a package without unions.
type Package struct {
	// Unions returns the package's union types; called once, on first use.
	Unions func() []Union
	// Shared, when set, is the Package whose tables and union types this one uses instead of
	// its own (the packages of a tree generated with --split module share their base
	// package's, where each registers its unions: see Register).
	Shared *Package

	once   sync.Once
	reg    registry
	unions map[reflect.Type]*unionType
	tables sync.Map // reflect.Type -> *table
}

// A Union describes a generated union type: Type is a nil pointer to the union interface
// ((*U)(nil)), Members a nil pointer to the wrapper type of each member, in UnionMembers order
// (members of one Go representation share a wrapper).
type Union struct {
	Type    any
	Members []any
}

type unionType struct {
	members []reflect.Type       // wrapper per member index
	words   []unsafe.Pointer     // its type word (see box)
	kinds   []vkind              // value kind of each member's wrapper
	first   map[reflect.Type]int // wrapper -> first member index
}

func (p *Package) init() {
	p.once.Do(func() {
		p.unions = map[reflect.Type]*unionType{}
		for _, u := range p.reg.sources(p.Unions) {
			ut := &unionType{first: map[reflect.Type]int{}}
			for i, m := range u.Members {
				wt := reflect.TypeOf(m).Elem()
				ut.members = append(ut.members, wt)
				ut.words = append(ut.words, typeWord(wt))
				ut.kinds = append(ut.kinds, wrapperKind(wt))
				if _, ok := ut.first[wt]; !ok {
					ut.first[wt] = i
				}
			}
			p.unions[reflect.TypeOf(u.Type).Elem()] = ut
		}
	})
}

// fkind is what a struct field holds.
type fkind uint8

const (
	kContainer fkind = iota
	kList
	kLeaf
	kLeafList
	kAnydata
)

// vkind is the Go representation of a leaf's (or leaf-list entry's) value.
type vkind uint8

const (
	vInt8 vkind = iota
	vInt16
	vInt32
	vInt64
	vUint8
	vUint16
	vUint32
	vUint64
	vString // string, identityref, instance-identifier, leafref
	vBool
	vEmpty   // bool in a struct field, struct{} in a union wrapper
	vDecimal // Decimal64
	vBinary  // []byte
	vBits    // []string
	vEnum    // a named int32 with a String method
	vUnion   // a union interface
)

var (
	decimalType  = reflect.TypeFor[Decimal64]()
	stringerType = reflect.TypeFor[fmt.Stringer]()
)

// A step names a data node: mod "" is the module of the struct's own node.
type step struct{ mod, name string }

// module returns the module name of s under a struct node of module mod.
func (s step) module(mod string) string {
	if s.mod == "" {
		return mod
	}
	return s.mod
}

type tfield struct {
	name  string // Go name, for errors
	kind  fkind
	vk    vkind
	off   uintptr
	typ   reflect.Type // the field's type
	elem  reflect.Type // container/list: the struct; leaf: the pointed-to value; leaf-list: the entry
	union *unionType
	word  unsafe.Pointer // enumerations: the type word of elem (see box)
	sub   *table         // container/list, set after construction (types may be recursive)
}

// A slot is one data node read into and written from a field.
type slot struct {
	step
	f *tfield
}

// A via is a container without a struct whose children are fields of the struct.
type via struct {
	step
	slots []slot
}

// An entry is what a child's name finds: a direct slot (via < 0) or a via's index.
type entry struct {
	mod  string
	slot int // index in direct, or -1
	via  int // index in vias, or -1
	next int // next entry of the same name, -1 for none
}

type choiceCheck struct {
	name  string
	cases [][]*tfield
}

type table struct {
	typ     reflect.Type
	fields  []*tfield
	direct  []slot
	vias    []via
	byName  map[string]int // name -> first entry
	entries []entry
	names   []string // entries[i]'s name
	// hints[i] is the schema node entries[i] last matched (see find): a pointer comparison
	// instead of a name lookup for the children of every instance after the first.
	hints   []atomic.Pointer[schema.Node]
	choices []choiceCheck
	err     error // a tag the runtime cannot use: reported by every conversion
}

// table returns the table of struct type t, building it (and those of the struct types it
// reaches) on first use.
func (p *Package) table(t reflect.Type) *table {
	if p.Shared != nil {
		return p.Shared.table(t)
	}
	if tb, ok := p.tables.Load(t); ok {
		return tb.(*table)
	}
	p.init()
	built := map[reflect.Type]*table{}
	p.build(t, built)
	for typ, b := range built {
		p.tables.LoadOrStore(typ, b)
	}
	v, _ := p.tables.Load(t)
	return v.(*table)
}

func (p *Package) build(t reflect.Type, built map[reflect.Type]*table) *table {
	if tb := built[t]; tb != nil {
		return tb
	}
	if v, ok := p.tables.Load(t); ok {
		return v.(*table)
	}
	tb := &table{typ: t, byName: map[string]int{}}
	built[t] = tb
	type choiceAcc struct {
		name  string
		cases []string
		set   map[string][]*tfield
	}
	var choices []*choiceAcc
	byChoice := map[string]*choiceAcc{}
	viaIdx := map[step]int{}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag, ok := sf.Tag.Lookup("yang")
		if !ok {
			continue
		}
		paths, opts, _ := strings.Cut(tag, ",")
		f := &tfield{name: sf.Name, off: sf.Offset, typ: sf.Type}
		var cases []string
		var hint string
		if opts != "" {
			for _, o := range strings.Split(opts, ",") {
				if c, ok := strings.CutPrefix(o, "case="); ok {
					cases = strings.Split(c, "/")
				} else if strings.HasPrefix(o, "key=") {
					// A list key, for the list helpers (list.go).
				} else {
					hint = o
				}
			}
		}
		if err := p.classify(f, hint); err != nil {
			tb.err = fmt.Errorf("genimpl: %s.%s: %w", t.Name(), sf.Name, err)
			return tb
		}
		tb.fields = append(tb.fields, f)
		for _, ps := range strings.Fields(paths) {
			v, s, ok := strings.Cut(ps, "/")
			if !ok {
				v, s = "", ps
			}
			st := parseStep(s)
			if v == "" {
				tb.direct = append(tb.direct, slot{st, f})
				tb.add(entry{mod: st.mod, slot: len(tb.direct) - 1, via: -1}, st.name)
				continue
			}
			vs := parseStep(v)
			vi, ok := viaIdx[vs]
			if !ok {
				vi = len(tb.vias)
				viaIdx[vs] = vi
				tb.vias = append(tb.vias, via{step: vs})
				tb.add(entry{mod: vs.mod, slot: -1, via: vi}, vs.name)
			}
			tb.vias[vi].slots = append(tb.vias[vi].slots, slot{st, f})
		}
		for j := 0; j+1 < len(cases); j += 2 {
			ck, kk := strings.Join(cases[:j+1], "/"), strings.Join(cases[:j+2], "/")
			ch := byChoice[ck]
			if ch == nil {
				ch = &choiceAcc{name: cases[j], set: map[string][]*tfield{}}
				byChoice[ck] = ch
				choices = append(choices, ch)
			}
			if ch.set[kk] == nil {
				ch.cases = append(ch.cases, kk)
			}
			ch.set[kk] = append(ch.set[kk], f)
		}
	}
	tb.hints = make([]atomic.Pointer[schema.Node], len(tb.entries))
	for _, ch := range choices {
		if len(ch.cases) < 2 {
			continue
		}
		cc := choiceCheck{name: ch.name}
		for _, k := range ch.cases {
			cc.cases = append(cc.cases, ch.set[k])
		}
		tb.choices = append(tb.choices, cc)
	}
	for _, f := range tb.fields {
		if f.kind == kContainer || f.kind == kList {
			f.sub = p.build(f.elem, built)
		}
	}
	return tb
}

// linearMax is the number of entries up to which lookup compares names in turn rather than
// hashing the name (faster for the small structs most are).
const linearMax = 8

func (tb *table) add(e entry, name string) {
	tb.names = append(tb.names, name)
	e.next = -1
	if first, ok := tb.byName[name]; ok {
		i := first
		for tb.entries[i].next >= 0 {
			i = tb.entries[i].next
		}
		tb.entries[i].next = len(tb.entries)
	} else {
		tb.byName[name] = len(tb.entries)
	}
	tb.entries = append(tb.entries, e)
}

func parseStep(s string) step {
	if m, n, ok := strings.Cut(s, ":"); ok {
		return step{m, n}
	}
	return step{"", s}
}

// classify sets f's kind, value kind and element type from its Go type and tag option hint.
func (p *Package) classify(f *tfield, hint string) error {
	t := f.typ
	switch t.Kind() {
	case reflect.Pointer:
		e := t.Elem()
		if e.Kind() == reflect.Struct && e != decimalType {
			f.kind, f.elem = kContainer, e
			return nil
		}
		f.kind, f.elem = kLeaf, e
		return p.valueKind(f, e, "")
	case reflect.Bool:
		f.kind, f.vk = kLeaf, vEmpty
		return nil
	case reflect.Interface:
		f.kind, f.elem = kLeaf, t
		return p.valueKind(f, t, "")
	case reflect.Slice:
		e := t.Elem()
		switch {
		case hint == "anydata":
			f.kind = kAnydata
			return nil
		case hint == "binary" || hint == "bits":
			f.kind = kLeaf
			return p.valueKind(f, t, hint)
		case e.Kind() == reflect.Pointer && e.Elem().Kind() == reflect.Struct:
			f.kind, f.elem = kList, e.Elem()
			return nil
		}
		f.kind, f.elem = kLeafList, e
		if e.Kind() == reflect.Bool && hint == "empty" {
			f.vk = vEmpty
			return nil
		}
		return p.valueKind(f, e, "")
	}
	return fmt.Errorf("unsupported field type %s", t)
}

// valueKind sets f.vk (and f.union) for values of Go type t.
func (p *Package) valueKind(f *tfield, t reflect.Type, hint string) error {
	switch hint {
	case "binary":
		f.vk = vBinary
		return nil
	case "bits":
		f.vk = vBits
		return nil
	}
	if t.Kind() == reflect.Interface {
		f.vk, f.union = vUnion, p.unions[t]
		if f.union == nil {
			return fmt.Errorf("union type %s not in the package's Unions", t)
		}
		return nil
	}
	if t.Kind() == reflect.Slice {
		switch t.Elem().Kind() {
		case reflect.Uint8:
			f.vk = vBinary
			return nil
		case reflect.String:
			f.vk = vBits
			return nil
		}
	}
	if t.Kind() == reflect.Bool {
		f.vk = vBool
		return nil
	}
	vk, ok := scalarKind(t)
	if !ok {
		return fmt.Errorf("unsupported value type %s", t)
	}
	f.vk = vk
	if vk == vEnum {
		f.word = typeWord(t)
	}
	return nil
}

// typeWord returns the type word of an interface holding a value of type t.
func typeWord(t reflect.Type) unsafe.Pointer {
	z := reflect.Zero(t).Interface()
	return (*[2]unsafe.Pointer)(unsafe.Pointer(&z))[0]
}

// box returns the interface holding the value at p of the type whose type word is word, without
// copying it (as converting a value to an interface would): p must not change while the result is
// in use. Only for types that are not pointer-shaped (the interface's data word points to the
// value): integers, strings, booleans, structs and slices, what enumerations and union wrappers are.
func box(word, p unsafe.Pointer) any {
	var a any
	w := (*[2]unsafe.Pointer)(unsafe.Pointer(&a))
	w[0], w[1] = word, p
	return a
}

// scalarKind is the value kind of a non-slice, non-interface Go type.
func scalarKind(t reflect.Type) (vkind, bool) {
	if t == decimalType {
		return vDecimal, true
	}
	switch t.Kind() {
	case reflect.Int8:
		return vInt8, true
	case reflect.Int16:
		return vInt16, true
	case reflect.Int32:
		if t.PkgPath() != "" && t.Implements(stringerType) {
			return vEnum, true
		}
		return vInt32, true
	case reflect.Int64:
		return vInt64, true
	case reflect.Uint8:
		return vUint8, true
	case reflect.Uint16:
		return vUint16, true
	case reflect.Uint32:
		return vUint32, true
	case reflect.Uint64:
		return vUint64, true
	case reflect.String:
		return vString, true
	case reflect.Bool:
		return vBool, true
	}
	return 0, false
}

// wrapperKind is the value kind of a union wrapper type (its underlying type decides).
func wrapperKind(t reflect.Type) vkind {
	switch {
	case t.Kind() == reflect.Struct && t.NumField() == 0:
		return vEmpty
	case t.Kind() == reflect.Struct && t.ConvertibleTo(decimalType):
		return vDecimal
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		return vBinary
	case t.Kind() == reflect.Slice:
		return vBits
	case t.Kind() == reflect.Int32:
		return vInt32 // an enumeration's value; read as an integer
	}
	k, _ := scalarKind(t)
	return k
}

// FromTree sets *x, a generated struct, from n (an instance of its schema node, or a document
// root for Root), replacing what *x held; children the struct has no field for are ignored.
// Generated FromTree methods call it.
func FromTree(p *Package, x any, n *data.Node) error {
	v := reflect.ValueOf(x)
	tb := p.table(v.Type().Elem())
	if tb.err == nil {
		reflect.NewAt(tb.typ, v.UnsafePointer()).Elem().SetZero()
	}
	return tb.fromTree(v.UnsafePointer(), n)
}

// fromTree reads n into the zero struct at x.
func (tb *table) fromTree(x unsafe.Pointer, n *data.Node) error {
	if tb.err != nil {
		return tb.err
	}
	if len(tb.entries) == 0 {
		return nil
	}
	mod := ""
	if n.Schema != nil && n.Schema.Module != nil {
		mod = n.Schema.Module.Name
	}
	k := 0 // the entry of the last child: the next is usually at or after it
	for _, c := range n.Children() {
		var e *entry
		e, k = tb.find(c, mod, k)
		switch {
		case e == nil:
		case e.slot >= 0:
			if err := tb.direct[e.slot].f.read(x, c); err != nil {
				return err
			}
		default:
			vi := &tb.vias[e.via]
			for _, gc := range c.Children() {
				if sl := vi.lookup(gc, mod); sl != nil {
					if err := sl.f.read(x, gc); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

// childName returns the module and name of data node c for a struct node of module mod.
func childName(c *data.Node, mod string) (string, string, bool) {
	if c.Schema == nil {
		return "", "", false
	}
	cm := mod
	if c.Schema.Module != nil {
		cm = c.Schema.Module.Name
	}
	return cm, c.Schema.Name, true
}

// find returns the entry of child c and its index (k when none), looking first for the entry
// that last matched c's schema node, from entry k on (children come in schema order, entries
// in field order: the next child's entry is usually k or k+1), then by name.
func (tb *table) find(c *data.Node, mod string, k int) (*entry, int) {
	sn := c.Schema
	if sn == nil {
		return nil, k
	}
	n := len(tb.hints)
	for j := 0; j < n; j++ {
		i := k + j
		if i >= n {
			i -= n
		}
		if tb.hints[i].Load() == sn {
			cm := mod
			if sn.Module != nil {
				cm = sn.Module.Name
			}
			// The same node under a struct node of another module (a type shared by
			// parents of several modules) may be another entry: checked as lookup does.
			if e := &tb.entries[i]; (step{e.mod, ""}).module(mod) == cm {
				return e, i
			}
			break
		}
	}
	i := tb.lookup(c, mod)
	if i < 0 {
		return nil, k
	}
	tb.hints[i].Store(sn)
	return &tb.entries[i], i
}

// lookup returns the index of the entry of child c by its name and module, -1 if none.
func (tb *table) lookup(c *data.Node, mod string) int {
	cm, name, ok := childName(c, mod)
	if !ok {
		return -1
	}
	if len(tb.entries) <= linearMax {
		for i := range tb.entries {
			e := &tb.entries[i]
			if tb.names[i] == name && (step{e.mod, ""}).module(mod) == cm {
				return i
			}
		}
		return -1
	}
	i, ok := tb.byName[name]
	for ok && i >= 0 {
		e := &tb.entries[i]
		if (step{e.mod, ""}).module(mod) == cm {
			return i
		}
		i = e.next
	}
	return -1
}

func (v *via) lookup(c *data.Node, mod string) *slot {
	cm, name, ok := childName(c, mod)
	if !ok {
		return nil
	}
	for i := range v.slots {
		if s := &v.slots[i]; s.name == name && s.module(mod) == cm {
			return s
		}
	}
	return nil
}

// read stores child c into field f of the struct at x.
func (f *tfield) read(x unsafe.Pointer, c *data.Node) error {
	p := unsafe.Add(x, f.off)
	switch f.kind {
	case kContainer:
		e := reflect.New(f.elem).UnsafePointer()
		*(*unsafe.Pointer)(p) = e
		return f.sub.fromTree(e, c)
	case kList:
		e := reflect.New(f.elem).UnsafePointer()
		if err := f.sub.fromTree(e, c); err != nil {
			return err
		}
		l := (*[]unsafe.Pointer)(p)
		*l = append(*l, e)
		return nil
	case kAnydata:
		*(*[]byte)(p) = []byte(c.Value.Str)
		return nil
	case kLeaf:
		return f.readLeaf(p, c)
	}
	return f.readEntry(p, c)
}

func (f *tfield) readLeaf(p unsafe.Pointer, c *data.Node) error {
	v := c.Value
	switch f.vk {
	case vInt8:
		*(**int8)(p) = Ptr(int8(v.Num().Int()))
	case vInt16:
		*(**int16)(p) = Ptr(int16(v.Num().Int()))
	case vInt32, vEnum:
		*(**int32)(p) = Ptr(int32(v.Num().Int()))
	case vInt64:
		*(**int64)(p) = Ptr(v.Num().Int())
	case vUint8:
		*(**uint8)(p) = Ptr(uint8(v.Num().Abs))
	case vUint16:
		*(**uint16)(p) = Ptr(uint16(v.Num().Abs))
	case vUint32:
		*(**uint32)(p) = Ptr(uint32(v.Num().Abs))
	case vUint64:
		*(**uint64)(p) = Ptr(v.Num().Abs)
	case vString:
		*(**string)(p) = Ptr(v.Str)
	case vBool:
		*(**bool)(p) = Ptr(v.Str == "true")
	case vEmpty:
		*(*bool)(p) = true
	case vDecimal:
		*(**Decimal64)(p) = Ptr(Decimal(v))
	case vBinary:
		*(*[]byte)(p) = Binary(v)
	case vBits:
		*(*[]string)(p) = Bits(v)
	case vUnion:
		u, err := f.union.from(c.Value, c.Schema.Type)
		if err != nil {
			return err
		}
		reflect.NewAt(f.typ, p).Elem().Set(u)
	}
	return nil
}

// readEntry appends leaf-list entry c to the slice field at p.
func (f *tfield) readEntry(p unsafe.Pointer, c *data.Node) error {
	v := c.Value
	switch f.vk {
	case vInt8:
		appendTo(p, int8(v.Num().Int()))
	case vInt16:
		appendTo(p, int16(v.Num().Int()))
	case vInt32, vEnum:
		appendTo(p, int32(v.Num().Int()))
	case vInt64:
		appendTo(p, v.Num().Int())
	case vUint8:
		appendTo(p, uint8(v.Num().Abs))
	case vUint16:
		appendTo(p, uint16(v.Num().Abs))
	case vUint32:
		appendTo(p, uint32(v.Num().Abs))
	case vUint64:
		appendTo(p, v.Num().Abs)
	case vString:
		appendTo(p, v.Str)
	case vBool:
		appendTo(p, v.Str == "true")
	case vEmpty:
		appendTo(p, true)
	case vDecimal:
		appendTo(p, Decimal(v))
	case vBinary:
		appendTo(p, Binary(v))
	case vBits:
		appendTo(p, Bits(v))
	case vUnion:
		u, err := f.union.from(c.Value, c.Schema.Type)
		if err != nil {
			return err
		}
		s := reflect.NewAt(f.typ, p).Elem()
		s.Set(reflect.Append(s, u))
	}
	return nil
}

func appendTo[T any](p unsafe.Pointer, v T) {
	s := (*[]T)(p)
	*s = append(*s, v)
}

// from returns v, a value of a leaf of union type t, as the wrapper of its member.
func (u *unionType) from(v data.Value, t *schema.Type) (reflect.Value, error) {
	i, mv := UnionMember(t, v)
	if i < 0 || i >= len(u.members) {
		return reflect.Value{}, NoMember(v)
	}
	p := reflect.New(u.members[i]).UnsafePointer()
	switch u.kinds[i] {
	case vInt8:
		*(*int8)(p) = int8(mv.Num().Int())
	case vInt16:
		*(*int16)(p) = int16(mv.Num().Int())
	case vInt32, vEnum:
		*(*int32)(p) = int32(mv.Num().Int())
	case vInt64:
		*(*int64)(p) = mv.Num().Int()
	case vUint8:
		*(*uint8)(p) = uint8(mv.Num().Abs)
	case vUint16:
		*(*uint16)(p) = uint16(mv.Num().Abs)
	case vUint32:
		*(*uint32)(p) = uint32(mv.Num().Abs)
	case vUint64:
		*(*uint64)(p) = mv.Num().Abs
	case vString:
		*(*string)(p) = mv.Str
	case vBool:
		*(*bool)(p) = mv.Str == "true"
	case vDecimal:
		*(*Decimal64)(p) = Decimal(mv)
	case vBinary:
		*(*[]byte)(p) = Binary(mv)
	case vBits:
		*(*[]string)(p) = Bits(mv)
	}
	// Boxed without the copy reflect's Value.Interface makes of an addressable value: the
	// allocation above is the interface's value.
	return reflect.ValueOf(box(u.words[i], p)), nil
}

// UnionOf returns v, a value of union type t, as a value of U, the generated union type (for
// list keys of generated APIs).
func UnionOf[U any](p *Package, v data.Value, t *schema.Type) (U, error) {
	var zero U
	if p.Shared != nil {
		p = p.Shared
	}
	p.init()
	u := p.unions[reflect.TypeFor[U]()]
	if u == nil {
		return zero, fmt.Errorf("genimpl: union type %s not in the package's Unions", reflect.TypeFor[U]())
	}
	w, err := u.from(v, t)
	if err != nil {
		return zero, err
	}
	return w.Interface().(U), nil
}

// ToTree returns *x, a generated struct, as a new detached node of sn, checking every value
// against its type. Generated ToTree methods call it.
func ToTree(p *Package, x any, sn *schema.Node) (*data.Node, error) {
	v := reflect.ValueOf(x)
	tb := p.table(v.Type().Elem())
	return tb.toTree(v.UnsafePointer(), NewBuilder(sn), sn)
}

// ToRoot returns *x, a generated Root, as a new document root of schema s, checking every
// value against its type.
func ToRoot(p *Package, x any, s *schema.Schema) (*data.Node, error) {
	v := reflect.ValueOf(x)
	tb := p.table(v.Type().Elem())
	return tb.toTree(v.UnsafePointer(), NewRootBuilder(s), nil)
}

func (tb *table) toTree(x unsafe.Pointer, b *Builder, sn *schema.Node) (*data.Node, error) {
	if tb.err != nil {
		return nil, tb.err
	}
	for _, ch := range tb.choices {
		n := 0
		for _, fs := range ch.cases {
			for _, f := range fs {
				if f.isSet(x) {
					n++
					break
				}
			}
		}
		if n > 1 {
			where := "/"
			if sn != nil {
				where = sn.Path()
			}
			return nil, TwoCases(where, ch.name)
		}
	}
	mod := ""
	if sn != nil && sn.Module != nil {
		mod = sn.Module.Name
	}
	for _, sl := range tb.direct {
		sl.f.write(x, b, sl.module(mod), sl.name)
	}
	for _, v := range tb.vias {
		vb := NewBuilder(b.Schema(v.module(mod), v.name))
		for _, sl := range v.slots {
			sl.f.write(x, vb, sl.module(mod), sl.name)
		}
		b.Add(vb.Done())
	}
	return b.Done()
}

// isSet reports whether field f of the struct at x holds something.
func (f *tfield) isSet(x unsafe.Pointer) bool {
	p := unsafe.Add(x, f.off)
	switch {
	case f.kind == kList || f.kind == kLeafList || f.kind == kAnydata || f.vk == vBinary || f.vk == vBits:
		if f.kind == kList || f.kind == kLeafList {
			return len(*(*[]byte)(p)) > 0 // the length word of any slice
		}
		return *(*[]byte)(p) != nil
	case f.vk == vUnion:
		return !reflect.NewAt(f.typ, p).Elem().IsNil()
	case f.kind == kLeaf && f.vk == vEmpty:
		return *(*bool)(p)
	}
	return *(*unsafe.Pointer)(p) != nil
}

// write adds field f of the struct at x to b as the node (mod, name).
func (f *tfield) write(x unsafe.Pointer, b *Builder, mod, name string) {
	p := unsafe.Add(x, f.off)
	switch f.kind {
	case kContainer:
		if e := *(*unsafe.Pointer)(p); e != nil {
			sn := b.Schema(mod, name)
			b.Add(f.sub.toTree(e, NewBuilder(sn), sn))
		}
	case kList:
		for _, e := range *(*[]unsafe.Pointer)(p) {
			sn := b.Schema(mod, name)
			if e == nil {
				b.Add(nil, nilEntry(sn, f))
				continue
			}
			b.Add(f.sub.toTree(e, NewBuilder(sn), sn))
		}
	case kAnydata:
		if raw := *(*[]byte)(p); raw != nil {
			b.Anydata(mod, name, raw)
		}
	case kLeaf:
		switch f.vk {
		case vUnion:
			iv := reflect.NewAt(f.typ, p).Elem()
			if !iv.IsNil() {
				b.UnionLeaf(mod, name, f.union.value(iv))
			}
		case vEmpty:
			if *(*bool)(p) {
				b.Leaf(mod, name, "")
			}
		case vBinary:
			if v := *(*[]byte)(p); v != nil {
				b.Leaf(mod, name, FormatBinary(v))
			}
		case vBits:
			if v := *(*[]string)(p); v != nil {
				b.Leaf(mod, name, FormatBits(v))
			}
		default:
			if e := *(*unsafe.Pointer)(p); e != nil {
				b.Leaf(mod, name, f.text(e))
			}
		}
	case kLeafList:
		f.writeEntries(p, b, mod, name)
	}
}

func (f *tfield) writeEntries(p unsafe.Pointer, b *Builder, mod, name string) {
	switch f.vk {
	case vUnion:
		s := reflect.NewAt(f.typ, p).Elem()
		for i := 0; i < s.Len(); i++ {
			iv := s.Index(i)
			if iv.IsNil() {
				b.Add(nil, nilEntry(b.Schema(mod, name), f))
				continue
			}
			b.UnionLeaf(mod, name, f.union.value(iv))
		}
	case vEmpty:
		for range *(*[]bool)(p) {
			b.Leaf(mod, name, "")
		}
	default:
		h := (*sliceHeader)(p)
		size := f.elem.Size()
		for i := 0; i < h.len; i++ {
			b.Leaf(mod, name, f.text(unsafe.Add(h.data, uintptr(i)*size)))
		}
	}
}

// ErrNilEntry is returned (wrapped) by ToTree for a nil entry in a list or union leaf-list field.
var ErrNilEntry = errors.New("genimpl: nil entry")

func nilEntry(sn *schema.Node, f *tfield) error {
	where := "?"
	if sn != nil {
		where = sn.Path()
	}
	return fmt.Errorf("%w in %s (%s)", ErrNilEntry, f.name, where)
}

type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

// text is the lexical form of the value at e, of f's value kind.
func (f *tfield) text(e unsafe.Pointer) string {
	switch f.vk {
	case vInt8:
		return strconv.FormatInt(int64(*(*int8)(e)), 10)
	case vInt16:
		return strconv.FormatInt(int64(*(*int16)(e)), 10)
	case vInt32:
		return strconv.FormatInt(int64(*(*int32)(e)), 10)
	case vInt64:
		return strconv.FormatInt(*(*int64)(e), 10)
	case vUint8:
		return strconv.FormatUint(uint64(*(*uint8)(e)), 10)
	case vUint16:
		return strconv.FormatUint(uint64(*(*uint16)(e)), 10)
	case vUint32:
		return strconv.FormatUint(uint64(*(*uint32)(e)), 10)
	case vUint64:
		return strconv.FormatUint(*(*uint64)(e), 10)
	case vString:
		return *(*string)(e)
	case vBool:
		return strconv.FormatBool(*(*bool)(e))
	case vDecimal:
		return (*(*Decimal64)(e)).String()
	case vBinary:
		return FormatBinary(*(*[]byte)(e))
	case vBits:
		return FormatBits(*(*[]string)(e))
	case vEnum:
		return box(f.word, e).(fmt.Stringer).String()
	}
	return ""
}

// value is what Builder.UnionLeaf takes for iv, a non-nil value of the union: the first member
// its wrapper stands for, and the wrapper's lexical form.
func (u *unionType) value(iv reflect.Value) UnionValue {
	w := iv.Interface()
	m, ok := u.first[reflect.TypeOf(w)]
	if !ok {
		m = -1
	}
	return UnionValue{Member: m, Text: w.(fmt.Stringer).String()}
}
