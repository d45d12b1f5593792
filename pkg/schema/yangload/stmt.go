package yangload

import (
	"iter"
	"reflect"
	"strconv"
	"strings"
	"unsafe"

	"github.com/ncws/ncws/internal/nametab"
	"github.com/openconfig/goyang/pkg/yang"
)

// stmt is one parsed YANG statement: what the loader reads of goyang's yang.Statement, in less
// memory. A file's statements stay live until the load no longer needs them (release.go: a
// grouping's statements are read again for each use), and they are the largest part of the
// load's working state (SR OS 26.3 nokia-conf: 164k statements in 156 submodules, 19 MB as
// goyang's 96-byte statements with a slice grown by append for each parent; Junos QFX conf:
// 18 MB of 159 at the peak). A file's statements are converted right after goyang parses it,
// into one array sized exactly, where the sub-statements of each statement are side by side:
// one allocation per file, 32 bytes per statement (it was 40, and 8 more for a list of pointers
// to the sub-statements: SR OS's 149k statements under OmitDocs take 4.8 MB instead of 7.2).
// The keyword and the file are numbers in process-wide tables (nametab.Table): a handful of
// keywords and a file's path are shared by thousands of statements (as strings they took 24 of
// 56 bytes).
// The argument is a pointer and a length, the sub-statements an offset from the statement
// (they are in the same array). So a stmt is used by address only, never copied: a copy would
// find its sub-statements at the wrong place (copyStmt copies a statement with its own).
type stmt struct {
	arg   *byte  // the argument's bytes (Arg)
	alen  uint32 // and their count
	subs  uint32 // the first of the nsubs sub-statements is this many statements after this one
	nsubs uint32
	line  uint32 // the line, and hasArgBit
	kw    uint32 // the keyword's number in keywords
	file  uint32 // the file's number in files
}

// Arg returns the statement's argument ("" if none).
func (s *stmt) Arg() string { return unsafe.String(s.arg, s.alen) }

// setArg sets what Arg returns (an argument is part of a file: far less than 4 GB).
func (s *stmt) setArg(a string) { s.arg, s.alen = unsafe.StringData(a), uint32(len(a)) }

// hasArgBit in stmt.line says the statement has an argument (possibly "").
const hasArgBit = 1 << 31

// keywords and files number the statements' keywords and files. Both stay small: keywords are
// YANG's and the extensions' (prefix:name), files are the paths loaded.
var keywords, files nametab.Table

// Keyword returns the statement's keyword ("prefix:name" for an extension).
func (s *stmt) Keyword() string { return keywords.Name(s.kw) }

// SubStatements returns the statement's sub-statements in file order.
func (s *stmt) SubStatements() []stmt {
	if s.nsubs == 0 {
		return nil
	}
	return unsafe.Slice((*stmt)(unsafe.Add(unsafe.Pointer(s), uintptr(s.subs)*unsafe.Sizeof(*s))), s.nsubs)
}

// setSubs makes subs, which follow s in the same array, s's sub-statements.
func (s *stmt) setSubs(subs []stmt) {
	s.subs = uint32((uintptr(unsafe.Pointer(&subs[0])) - uintptr(unsafe.Pointer(s))) / unsafe.Sizeof(*s))
	s.nsubs = uint32(len(subs))
}

// subStmts yields the statement's sub-statements in file order.
func (s *stmt) subStmts() iter.Seq[*stmt] { return each(s.SubStatements()) }

// each yields the statements of list in order (as pointers: a statement is known by its
// address, as in the loader's maps).
func each(list []stmt) iter.Seq[*stmt] {
	return func(yield func(*stmt) bool) {
		for i := range list {
			if !yield(&list[i]) {
				return
			}
		}
	}
}

// one returns the list holding only s (s's own memory: not a copy).
func one(s *stmt) []stmt { return unsafe.Slice(s, 1) }

// hasArg reports whether the statement has an argument (an extension may have none).
func (s *stmt) hasArg() bool { return s.line&hasArgBit != 0 }

// pos returns the statement's file and line.
func (s *stmt) pos() (string, int) {
	return files.Name(s.file), int(s.line &^ hasArgBit)
}

// at is where a statement was read: its file's number (in files) and its line. It is what the
// load keeps of a statement for the errors it may still report once the statement itself may be
// freed (a file's statements go once nothing of the load needs them: releaseUnit).
type at struct{ file, line uint32 }

// at returns where the statement was read.
func (s *stmt) at() at { return at{s.file, s.line &^ hasArgBit} }

// pos returns the file and line.
func (a at) pos() (string, int) { return files.Name(a.file), int(a.line) }

// Location returns "file:line" of the statement.
func (s *stmt) Location() string {
	f, n := s.pos()
	return f + ":" + strconv.Itoa(n)
}

// docAllowed lists the statements in which RFC 7950 allows description and reference: there a
// documentation statement is dropped when the load omits documentation (Options.OmitDocs), as
// nothing but its argument is read. Elsewhere it is kept (with an empty argument), so that a
// misplaced one is reported as before.
var docAllowed = map[string]bool{
	"module": true, "submodule": true, "import": true, "include": true, "revision": true,
	"extension": true, "feature": true, "identity": true, "typedef": true, "grouping": true,
	"container": true, "leaf": true, "leaf-list": true, "list": true, "choice": true, "case": true,
	"anydata": true, "anyxml": true, "uses": true, "refine": true, "augment": true, "rpc": true,
	"action": true, "notification": true, "must": true, "when": true, "enum": true, "bit": true,
	"range": true, "length": true, "pattern": true, "deviation": true,
}

// docKeywords are the statements whose arguments are documentation only.
var docKeywords = map[string]bool{"description": true, "reference": true, "contact": true, "organization": true}

// strTable gives the statements' arguments their own memory, each distinct short one once:
// a load reads the files through one (loader.strs), so that the names and values the files
// share ("name", "admin-state", type names: SR OS 26.3 nokia-conf's 156 files have 45.9k
// distinct arguments file by file, 19.6k in all) are one string, in the statements and in the
// schema built from them. The short ones are laid end to end in chunks: one allocation for
// hundreds, so that those the schema keeps are not strewn one by one among the spans of the
// parse's garbage (whose free slots the heap could then not give back).
type strTable struct {
	m     map[string]string
	chunk []byte // the free room of the current chunk
}

// Arguments longer than strShort are copied one by one (descriptions, patterns, paths: few
// repeat); strChunk is the size of a chunk of short ones.
const (
	strShort = 64
	strChunk = 8 << 10
)

func newStrTable() *strTable { return &strTable{m: map[string]string{}} }

// intern returns s in memory of its own (not that of the text s was cut from), the same
// string for equal short arguments.
func (t *strTable) intern(s string) string {
	if s == "" {
		return ""
	}
	if len(s) > strShort {
		return strings.Clone(s)
	}
	if c, ok := t.m[s]; ok {
		return c
	}
	if len(t.chunk) < len(s) {
		t.chunk = make([]byte, strChunk)
	}
	n := copy(t.chunk, s)
	c := unsafe.String(&t.chunk[0], n)
	t.chunk = t.chunk[n:]
	t.m[c] = c
	return c
}

// convert turns goyang's statements of one file into stmts. Their strings become their own
// (strs.intern; a table of the file's own when strs is nil), so that the text they were parsed
// from (a statement's argument is a substring of it) is freed after the parse, not kept whole
// by the names and values the compiled schema takes from it: most of a YANG text is
// indentation and keywords (SR OS 26.3: 31 MB of text, 3.7 MB of arguments other than
// documentation, 0.4 MB of them distinct), and without this 12 MB of nokia-conf's text stayed
// live after the load. With omitDocs the documentation arguments are dropped (see
// docAllowed).
func convert(path string, in []*yang.Statement, omitDocs bool, strs *strTable) []stmt {
	if strs == nil {
		strs = newStrTable()
	}
	intern := strs.intern
	drop := func(parent, s *yang.Statement) bool {
		return omitDocs && parent != nil && docKeywords[s.Keyword] && docAllowed[parent.Keyword] &&
			len(s.SubStatements()) == 0
	}
	// Count first: the statements are one exact array.
	n := len(in)
	var count func(s *yang.Statement)
	count = func(s *yang.Statement) {
		for _, c := range s.SubStatements() {
			if !drop(s, c) {
				n++
				count(c)
			}
		}
	}
	for _, s := range in {
		count(s)
	}
	file, prefix := files.ID(path), path+":"
	kws := map[string]uint32{}
	all := make([]stmt, n)
	top := all[:len(in):len(in)]
	all = all[len(in):]
	// conv fills out from s, taking from all the room of its sub-statements before it fills
	// them: they are side by side.
	var conv func(s *yang.Statement, out *stmt)
	conv = func(s *yang.Statement, out *stmt) {
		kw, ok := kws[s.Keyword]
		if !ok {
			kw = keywords.ID(s.Keyword)
			kws[s.Keyword] = kw
		}
		out.kw = kw
		if !omitDocs || !docKeywords[s.Keyword] {
			out.setArg(intern(s.Argument))
		}
		out.file = file
		out.line = lineOf(s, prefix)
		if s.HasArgument {
			out.line |= hasArgBit
		}
		subs := s.SubStatements()
		k := 0
		for _, c := range subs {
			if !drop(s, c) {
				k++
			}
		}
		if k == 0 {
			return
		}
		list := all[:k:k]
		all = all[k:]
		out.setSubs(list)
		i := 0
		for _, c := range subs {
			if !drop(s, c) {
				conv(c, &list[i])
				i++
			}
		}
	}
	for i, s := range in {
		conv(s, &top[i])
	}
	return top
}

// stmtLine is the index of yang.Statement's unexported line field (an int), -1 if it has none:
// goyang gives the line only in the text of Location(), "path:line:col", whose formatting took
// a tenth of SR OS nokia-conf's load. Reading the field through reflect is a tenth of that;
// should goyang change it, lineOf falls back to Location.
var stmtLine = func() int {
	f, ok := reflect.TypeFor[yang.Statement]().FieldByName("line")
	if !ok || f.Type.Kind() != reflect.Int || len(f.Index) != 1 {
		return -1
	}
	return f.Index[0]
}()

// lineOf returns the line of a statement of the file whose path is prefix less its final ':'.
func lineOf(s *yang.Statement, prefix string) uint32 {
	if stmtLine >= 0 {
		return uint32(min(max(reflect.ValueOf(s).Elem().Field(stmtLine).Int(), 0), hasArgBit-1))
	}
	loc := s.Location()
	rest, ok := strings.CutPrefix(loc, prefix)
	if !ok {
		_, n := parseLoc(loc)
		return uint32(min(max(n, 0), hasArgBit-1))
	}
	n := 0
	for i := 0; i < len(rest) && rest[i] >= '0' && rest[i] <= '9' && n < hasArgBit-1; i++ {
		n = n*10 + int(rest[i]-'0')
	}
	return uint32(min(n, hasArgBit-1))
}
