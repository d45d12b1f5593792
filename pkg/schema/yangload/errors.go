package yangload

import (
	"fmt"
	"strings"
)

// Error is one problem found in the YANG input, located at a file and line.
type Error struct {
	File string
	Line int
	Msg  string
}

// Error returns "file:line: message".
func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	if e.File != "" {
		return e.File + ": " + e.Msg
	}
	return e.Msg
}

// Errors is every problem found by one Load, in the order found.
type Errors []*Error

// Error returns the errors, one per line.
func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the individual errors (for errors.As and errors.Is).
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// parseLoc splits goyang's "file:line:col" (or "file:line") location into file and line.
func parseLoc(loc string) (string, int) {
	// The file name may itself contain ':'; the line and column are the trailing numbers.
	i := strings.LastIndexByte(loc, ':')
	if i < 0 {
		return loc, 0
	}
	rest, last := loc[:i], loc[i+1:]
	j := strings.LastIndexByte(rest, ':')
	if j >= 0 && isNum(rest[j+1:]) && isNum(last) {
		n := atoi(rest[j+1:])
		return rest[:j], n
	}
	if isNum(last) {
		return rest, atoi(last)
	}
	return loc, 0
}

func isNum(s string) bool {
	if s == "" || len(s) > 9 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

func strconvQuote(s string) string { return fmt.Sprintf("%q", s) }
