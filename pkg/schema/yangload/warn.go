package yangload

import (
	"sort"
)

// Warnings: constructs yanglint refuses (for a reason the RFCs give) that ncws accepts, because
// their meaning is clear and vendor models ship them: Junos's patterns "\*" in double-quoted
// strings, leaf-lists of type empty in YANG 1.0 modules. Options.Warn receives them.

// warnf records a warning at statement st (once per location and message: a grouping used
// several times warns once).
func (l *loader) warnf(st *stmt, format string, args ...any) {
	file, line := st.pos()
	l.warnAt(file, line, sprintf(format, args...))
}

func (l *loader) warnAt(file string, line int, msg string) {
	if l.opts.Warn == nil {
		return
	}
	w := Error{File: file, Line: line, Msg: msg}
	if l.warned == nil {
		l.warned = map[Error]bool{}
	}
	if l.warned[w] {
		return
	}
	l.warned[w] = true
	l.warns = append(l.warns, &w)
}

// flushWarnings hands the warnings to Options.Warn in file and line order.
func (l *loader) flushWarnings() {
	if l.opts.Warn == nil {
		return
	}
	sort.SliceStable(l.warns, func(i, j int) bool {
		a, b := l.warns[i], l.warns[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	for _, w := range l.warns {
		l.opts.Warn(w)
	}
	l.warns = nil
}

// warnEscapes warns of the invalid escapes of a module or submodule text of yang-version v.
func (l *loader) warnEscapes(src *source, v string) {
	for _, e := range src.escapes {
		if v == "1.1" {
			l.warnAt(src.file, e.line, sprintf("backslash followed by %q in a double-quoted string: "+
				"RFC 7950 section 6.1.3 forbids it (yanglint refuses the module); kept as the two characters", e.c))
		} else {
			l.warnAt(src.file, e.line, sprintf("backslash followed by %q in a double-quoted string: "+
				"RFC 6020 section 6.1.3 defines no such escape (yanglint refuses the module); kept as the two characters", e.c))
		}
	}
}

// escapeAt is a backslash in a double-quoted string followed by character c, at a line.
type escapeAt struct {
	line int
	c    rune
}

// badEscapes lists the backslashes of double-quoted strings followed by anything but n, t, " or
// \ (RFC 7950 section 6.1.3), skipping comments and single-quoted strings.
func badEscapes(text string) []escapeAt {
	var out []escapeAt
	line := 1
	for i := 0; i < len(text); i++ {
		switch c := text[i]; c {
		case '\n':
			line++
		case '/':
			if i+1 >= len(text) {
				break
			}
			if text[i+1] == '/' {
				for i < len(text) && text[i] != '\n' {
					i++
				}
				line++
			} else if text[i+1] == '*' {
				i += 2
				for i+1 < len(text) && !(text[i] == '*' && text[i+1] == '/') {
					if text[i] == '\n' {
						line++
					}
					i++
				}
				i++
			}
		case '\'':
			for i++; i < len(text) && text[i] != '\''; i++ {
				if text[i] == '\n' {
					line++
				}
			}
		case '"':
			for i++; i < len(text) && text[i] != '"'; i++ {
				switch text[i] {
				case '\n':
					line++
				case '\\':
					if i+1 < len(text) {
						i++
						switch text[i] {
						case 'n', 't', '"', '\\':
						default:
							r := rune(text[i])
							if text[i] == '\n' {
								line++
							}
							out = append(out, escapeAt{line, r})
						}
					}
				}
			}
		}
	}
	return out
}
