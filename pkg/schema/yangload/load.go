package yangload

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"weak"

	"github.com/ncws/ncws/pkg/schema"
	"github.com/openconfig/goyang/pkg/yang"
)

// Options says which modules to load and how.
type Options struct {
	// SearchPaths are directories searched recursively for imported modules and included
	// submodules (like yanglint -p).
	SearchPaths []string
	// Files are the .yang files given explicitly: the implemented modules.
	Files []string
	// Features maps a module name to its enabled features. A module given in Files and absent
	// from the map has all its features enabled; a module loaded only because it is imported has
	// none enabled unless it is in the map (both as yanglint does). Present with an empty list
	// means none.
	Features map[string][]string
	// ImportsImplemented makes imported modules implemented too (yanglint -i).
	ImportsImplemented bool
	// Builtin holds module files (named module.yang or module@revision.yang, at its root) used
	// for an imported module or included submodule that no search path holds, as yanglint has
	// ietf-inet-types and ietf-yang-types built in. A module on a search path always wins, even
	// an older revision. Errors in these files name them "(built-in)/FILE".
	Builtin fs.FS
	// Warn, if not nil, receives each warning of the load, in file and line order, before Load
	// returns: what yanglint refuses for a reason an RFC gives but ncws accepts because its
	// meaning is clear (a backslash before another character than n, t, " or \ in a
	// double-quoted string, kept as both characters; a leaf-list of type empty in a YANG 1.0
	// module).
	Warn func(*Error)
	// OmitOrigins leaves out what only a code generator reads: Decl.Grouping is "" and a Type
	// has no Loc, so that the equal types of different type statements are one Type (Junos QFX
	// conf: 82k types, 31 MB, from a few thousand distinct ones). Types with a leafref are one
	// Type when their paths reach the same targets (SR OS 26.3 nokia-conf: 7,683 leafref types,
	// 1,672 distinct). The load's errors still name a leafref's type statement.
	OmitOrigins bool
	// OmitDocs leaves out what only documents the modules: description and reference texts are
	// "" in the schema (nodes, modules, features, identities). A validator reads none of them,
	// and on a vendor set they are most of the arguments (SR OS 26.3: 6 MB of 10).
	OmitDocs bool
	// OmitSources leaves Module.Source empty: the modules' texts are not kept (get-schema
	// cannot serve them). Submodule texts are never kept.
	OmitSources bool
	// Stage, if not nil, is called as the load enters each of its later stages, with the
	// stage's name: StageBuild once every file is read and parsed, before the schema trees are
	// built (the statements then live are a fraction of what the build makes of them; it is
	// reported once, even if the trees are built again), StageFinalize once the trees are
	// complete and the load's working state is dropped, before the schema's indexes are made
	// (not on a failed load). A caller may tune the garbage collector to each (ncws validate
	// does).
	Stage func(stage string)
}

// The stages Options.Stage is given.
const (
	StageBuild    = "build"
	StageFinalize = "finalize"
)

// builtinDir prefixes the paths of Options.Builtin's files in the loader's index and in errors.
const builtinDir = "(built-in)/"

// ParseFeatureFlag parses one yanglint-style -F argument, "module:feature1,feature2" ("module:"
// enables none, "module:*" all), and adds it to into.
func ParseFeatureFlag(s string, into map[string][]string) error {
	i := strings.IndexByte(s, ':')
	if i <= 0 {
		return fmt.Errorf("yangload: feature flag %q: want MODULE:FEATURE[,FEATURE...]", s)
	}
	mod, list := s[:i], s[i+1:]
	if into[mod] == nil {
		into[mod] = []string{}
	}
	if list == "" {
		return nil
	}
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			return fmt.Errorf("yangload: feature flag %q: empty feature name", s)
		}
		into[mod] = append(into[mod], f)
	}
	return nil
}

// Load reads, resolves and compiles the modules named in opts into a finalized schema. Every
// problem found is reported, each as "file:line: message", in an Errors value.
func Load(opts Options) (*schema.Schema, error) {
	return load(opts, func(l *loader) {
		for _, f := range opts.Files {
			l.loadFile(f)
		}
	})
}

// loadText compiles one module given as text (plus the search paths of opts): the fuzz entry point.
func loadText(opts Options, name, text string) (*schema.Schema, error) {
	return load(opts, func(l *loader) { l.addText(name, text, true) })
}

// load runs a loader that reads its files with read: first one that lets the statements of
// a file go as soon as nothing needs them (release.go), then, should that loader need them
// again, one that keeps them all.
func load(opts Options, read func(*loader)) (*schema.Schema, error) {
	l := newLoader(opts)
	l.release = true
	s, err := l.run(read)
	if l.restart {
		if restartHook != nil {
			restartHook()
		}
		l = newLoader(opts)
		l.built = true
		l.shareLeafrefs = false
		s, err = l.run(read)
	}
	l.flushWarnings()
	return s, err
}

// run reads the files and compiles them.
func (l *loader) run(read func(*loader)) (s *schema.Schema, err error) {
	defer func() {
		if r := recover(); r != nil {
			s = nil
			err = Errors{{Msg: fmt.Sprintf("yangload: internal error: %v", r)}}
			l.restart = false
		}
	}()
	read(l)
	return l.finish()
}

// parsed is one parsed file.
type parsed struct {
	// text is the file's text, kept for a module (its Module.Source) unless the parse mode
	// omits sources; "" for a submodule: the statements do not refer to it (compact).
	text    string
	stmts   []stmt
	escapes []escapeAt // the text's invalid escapes, for warnEscapes
	readErr bool       // err is the file's, not the parser's
	err     error
}

// parseMode is what a parse keeps beyond what compiling needs.
type parseMode struct {
	omitDocs    bool // description, reference, contact and organization arguments are ""
	omitSources bool // a module's text is not kept
}

func (l *loader) parseMode() parseMode {
	return parseMode{omitDocs: l.opts.OmitDocs, omitSources: l.opts.OmitSources}
}

type cacheKey struct {
	path string
	size int64
	mod  int64
	parseMode
}

// parseCache keeps parsed files across loads (statements are never modified after parsing) for
// as long as something holds them: it keeps weak pointers, so the statements of a finished Load
// (the schema does not reference them) are freed at the next collection instead of living as long
// as the process (60 MB for Junos QFX conf, half of it goyang's statement tree, during all of
// `ncws validate`), while loads that overlap or follow closely share them.
var parseCache sync.Map // cacheKey -> weak.Pointer[parsed]

func parseFile(path string, mode parseMode, strs *strTable) *parsed {
	fi, err := os.Stat(path)
	if err != nil {
		return &parsed{err: err, readErr: true}
	}
	key := cacheKey{path, fi.Size(), fi.ModTime().UnixNano(), mode}
	if wp, ok := parseCache.Load(key); ok {
		if p := wp.(weak.Pointer[parsed]).Value(); p != nil {
			return p
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return &parsed{err: err, readErr: true}
	}
	p := parseText(path, string(b), mode, strs)
	parseCache.Store(key, weak.Make(p))
	return p
}

func parseText(path, text string, mode parseMode, strs *strTable) (p *parsed) {
	p = &parsed{}
	defer func() {
		if r := recover(); r != nil {
			p.stmts, p.err = nil, fmt.Errorf("%s:1:1: parser failure: %v", path, r)
		}
	}()
	stmts, err := yang.Parse(text, path)
	if err != nil {
		p.err = err
		return p
	}
	p.escapes = badEscapes(text)
	p.stmts = convert(path, stmts, mode.omitDocs, strs)
	if !mode.omitSources && len(p.stmts) == 1 && p.stmts[0].Keyword() == "module" {
		p.text = text
	}
	return p
}

var parseErrLine = regexp.MustCompile(`^(.*?):(\d+):(\d+):\s*(.*)$`)

func (l *loader) parseErrors(path string, err error) {
	for _, line := range strings.Split(err.Error(), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if m := parseErrLine.FindStringSubmatch(line); m != nil {
			l.errs = append(l.errs, &Error{File: m[1], Line: atoi(m[2]), Msg: "syntax error: " + m[4]})
			continue
		}
		l.errs = append(l.errs, &Error{File: path, Msg: "syntax error: " + line})
	}
}

// index lists the .yang files of the search paths by module name.
func (l *loader) indexPaths() {
	l.index = map[string][]string{}
	for _, dir := range l.opts.SearchPaths {
		_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				if path == dir {
					l.errs = append(l.errs, &Error{File: dir, Msg: "search path: " + err.Error()})
				}
				return nil
			}
			if d.IsDir() || !strings.HasSuffix(d.Name(), ".yang") {
				return nil
			}
			name := strings.TrimSuffix(d.Name(), ".yang")
			if i := strings.IndexByte(name, '@'); i >= 0 {
				name = name[:i]
			}
			l.index[name] = append(l.index[name], path)
			return nil
		})
	}
	if l.opts.Builtin == nil {
		return
	}
	builtin := map[string][]string{}
	ents, _ := fs.ReadDir(l.opts.Builtin, ".")
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yang") {
			continue
		}
		name := strings.TrimSuffix(e.Name(), ".yang")
		if i := strings.IndexByte(name, '@'); i >= 0 {
			name = name[:i]
		}
		builtin[name] = append(builtin[name], builtinDir+e.Name())
	}
	for name, paths := range builtin {
		if len(l.index[name]) == 0 {
			l.index[name] = paths
		}
	}
}

// source is one parsed module or submodule file.
type source struct {
	name, file, text string // text: "" unless kept for Module.Source (parsed.text)
	escapes          []escapeAt
	stmt             *stmt
	sub              bool
	revision         string // newest revision statement
	explicit         bool   // given in Options.Files
}

func revisionOf(st *stmt) string {
	rev := ""
	for s := range st.subStmts() {
		if s.Keyword() == "revision" && s.Arg() > rev {
			rev = s.Arg()
		}
	}
	return rev
}

// readSource parses a file into a source; nil (with errors recorded) if it is not a module or
// submodule.
func (l *loader) readSource(path string) *source {
	if src, ok := l.byPath[path]; ok {
		return src
	}
	var p *parsed
	if name, ok := strings.CutPrefix(path, builtinDir); ok && l.opts.Builtin != nil {
		// Not cached: the files are few and small, and another Builtin may hold other texts.
		b, err := fs.ReadFile(l.opts.Builtin, name)
		if err != nil {
			p = &parsed{err: err, readErr: true}
		} else {
			p = parseText(path, string(b), l.parseMode(), l.strs)
		}
	} else {
		p = parseFile(path, l.parseMode(), l.strs)
	}
	if p.readErr {
		l.errs = append(l.errs, &Error{File: path, Msg: p.err.Error()})
		l.byPath[path] = nil
		return nil
	}
	src := l.sourceOf(path, p)
	l.byPath[path] = src
	return src
}

func (l *loader) sourceOf(path string, p *parsed) *source {
	if p.err != nil {
		l.parseErrors(path, p.err)
		return nil
	}
	if len(p.stmts) != 1 || (p.stmts[0].Keyword() != "module" && p.stmts[0].Keyword() != "submodule") {
		line := 1
		if len(p.stmts) > 0 {
			_, line = p.stmts[0].pos()
			if len(p.stmts) > 1 && (p.stmts[0].Keyword() == "module" || p.stmts[0].Keyword() == "submodule") {
				_, line = p.stmts[1].pos()
			}
		}
		l.errs = append(l.errs, &Error{File: path, Line: line, Msg: "expected exactly one module or submodule statement"})
		return nil
	}
	st := &p.stmts[0]
	if parsedHook != nil {
		parsedHook(path, st)
	}
	if !identRe.MatchString(st.Arg()) {
		l.errf(st, "invalid %s name %q", st.Keyword(), st.Arg())
		return nil
	}
	return &source{name: st.Arg(), file: path, text: p.text, escapes: p.escapes, stmt: st,
		sub: st.Keyword() == "submodule", revision: revisionOf(st)}
}

var identRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)

// loadFile loads a file given explicitly: a module is implemented; a submodule is skipped, its
// module (given too, or found through imports) including it.
func (l *loader) loadFile(path string) {
	src := l.readSource(path)
	if src == nil {
		return
	}
	l.addSource(src, true)
}

func (l *loader) addText(path, text string, explicit bool) {
	src := l.sourceOf(path, parseText(path, text, l.parseMode(), l.strs))
	if src == nil {
		return
	}
	l.addSource(src, explicit)
}

func (l *loader) addSource(src *source, explicit bool) {
	if src.sub {
		// A submodule among the files (`ncws gen $(find models -name '*.yang')`) adds nothing
		// of its own: its module includes it, and finish checks that this module is loaded.
		for _, g := range l.givenSubs {
			if g.name == src.name && g.revision == src.revision {
				return
			}
		}
		l.givenSubs = append(l.givenSubs, src)
		return
	}
	src.explicit = src.explicit || explicit
	for _, m := range l.explicit {
		if m.name == src.name && m != src {
			if m.revision == src.revision {
				return
			}
			l.errf(src.stmt, "module %s given twice (revisions %s and %s)", src.name, m.revision, src.revision)
			return
		}
	}
	l.explicit = append(l.explicit, src)
}

// findSource locates module or submodule name (at revision rev if not empty) on the search path,
// preferring an explicitly given file, then an already loaded one, then the newest on the path.
func (l *loader) findSource(name, rev string) *source {
	for _, m := range l.explicit {
		if m.name == name && (rev == "" || m.revision == rev) {
			return m
		}
	}
	for _, m := range l.givenSubs {
		if m.name == name && (rev == "" || m.revision == rev) {
			return m
		}
	}
	var best *source
	for _, m := range l.sources {
		if m.name == name && (rev == "" || m.revision == rev) && (best == nil || m.revision > best.revision) {
			best = m
		}
	}
	if best != nil && rev != "" {
		return best
	}
	paths := l.index[name]
	if rev != "" {
		// File names carrying the revision first.
		for _, p := range paths {
			if filepath.Base(p) == name+"@"+rev+".yang" {
				if s := l.readSource(p); s != nil && s.name == name && s.revision == rev {
					return s
				}
			}
		}
	}
	sorted := append([]string(nil), paths...)
	sort.Strings(sorted)
	for _, p := range sorted {
		s := l.readSource(p)
		if s == nil || s.name != name {
			continue
		}
		if rev != "" && s.revision != rev {
			continue
		}
		if best == nil || s.revision > best.revision {
			best = s
		}
	}
	return best
}

// IsSubmodule reports whether the YANG file at path holds a submodule (false when it cannot be
// read or parsed): a caller mapping its file arguments to modules skips such files, as Load does.
func IsSubmodule(path string) bool {
	p := parseFile(path, parseMode{}, nil)
	return p.err == nil && len(p.stmts) == 1 && p.stmts[0].Keyword() == "submodule"
}
