package schema

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestCompilePattern(t *testing.T) {
	tests := []struct {
		pattern string
		match   []string
		nomatch []string
	}{
		{`[a-z]+[0-9]{2}`, []string{"abc12", "z00"}, []string{"abc12x", "abc1", "ABC12", ""}},
		// '^' and '$' are ordinary characters in XSD.
		{`^a$`, []string{"^a$"}, []string{"a"}},
		{`a^b`, []string{"a^b"}, []string{"ab"}},
		{`[$^]*`, []string{"", "$^$"}, []string{"a"}},
		// Anchoring applies to every branch.
		{`a|b`, []string{"a", "b"}, []string{"ab", "ba"}},
		{`(ab)*c?`, []string{"", "abab", "abc", "c"}, []string{"abca", "a"}},
		// '.' excludes only CR and LF.
		{`.`, []string{"a", "\t", "é"}, []string{"\n", "\r", "ab"}},
		// \w excludes punctuation, separators and other; symbols are word characters.
		{`\w+`, []string{"abc", "é9", "$+<", "日本"}, []string{"a b", "a-b", "a_b", "a.b", "a\tb"}},
		{`\W`, []string{" ", "-", "_", ".", "\u00a0"}, []string{"a", "$"}},
		{`\d+`, []string{"0123", "٣"}, []string{"a", "1a"}},
		{`\D`, []string{"a"}, []string{"1"}},
		{`\s*`, []string{" \t\r\n"}, []string{"\u00a0", "\f", "\v"}},
		{`\S+`, []string{"ab\u00a0"}, []string{"a b"}},
		{`\i\c*`, []string{"a", "_x-1.y", ":a", "é"}, []string{"1a", "-a", "a b"}},
		{`\I`, []string{"1", "-"}, []string{"a", ":"}},
		{`\C`, []string{" ", "/"}, []string{"a", "-", "."}},
		// Single-character escapes.
		{`\.\\\?\*\+\(\)\{\}\-\[\]\^\|`, []string{`.\?*+(){}-[]^|`}, nil},
		{`a\nb\tc\rd`, []string{"a\nb\tc\rd"}, nil},
		// Character classes: ranges, leading and trailing '-', escapes inside.
		{`[-a-c]+`, []string{"-ab"}, []string{"d"}},
		{`[a-c-]+`, []string{"-ab"}, []string{"d"}},
		{`[\d\-.]+`, []string{"1-2.3"}, []string{"a"}},
		{`[^0-9]+`, []string{"abc"}, []string{"a1"}},
		{`[^\s]`, []string{"x"}, []string{" "}},
		{`[\^a]`, []string{"^", "a"}, []string{"b"}},
		{`[a^]`, []string{"^", "a"}, []string{"b"}},
		// Subtraction.
		{`[a-z-[aeiou]]+`, []string{"bcd", "xyz"}, []string{"a", "bad"}},
		{`[a-z-[^aeiou]]+`, []string{"aeiou"}, []string{"b"}},
		{`[\w-[\d]]+`, []string{"ab"}, []string{"a1"}},
		{`[a-z-[b-y-[c]]]+`, []string{"acz"}, []string{"b"}},
		{`[^a-z-[x]]`, []string{"A"}, []string{"x", "b"}},
		// Categories and blocks.
		{`\p{L}+`, []string{"aé日"}, []string{"1"}},
		{`\p{Lu}`, []string{"A"}, []string{"a"}},
		{`\P{L}`, []string{"1"}, []string{"a"}},
		{`\p{N}+`, []string{"1²"}, []string{"a"}},
		{`\p{IsBasicLatin}+`, []string{"abc~"}, []string{"é"}},
		{`\p{IsGreek}`, []string{"α"}, []string{"a"}},
		{`[\p{IsBasicLatin}-[a-z]]+`, []string{"ABC"}, []string{"abc"}},
		{`\P{IsBasicLatin}`, []string{"é"}, []string{"a"}},
		// Quantifiers.
		{`a{2}`, []string{"aa"}, []string{"a", "aaa"}},
		{`a{2,}`, []string{"aa", "aaaa"}, []string{"a"}},
		{`a{0,2}`, []string{"", "aa"}, []string{"aaa"}},
		// Real-world YANG patterns.
		{`(([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])\.){3}([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])(%[\p{N}\p{L}]+)?`,
			[]string{"10.0.0.1", "192.168.1.1%eth0"}, []string{"256.1.1.1", "1.2.3"}},
		{`[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}`, []string{"00:11:22:aa:BB:cc"}, []string{"00:11:22:aa:BB"}},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			re, err := CompilePattern(tt.pattern)
			if err != nil {
				t.Fatalf("CompilePattern: %v", err)
			}
			for _, s := range tt.match {
				if !re.MatchString(s) {
					t.Errorf("%q does not match (regexp %s)", s, re)
				}
			}
			for _, s := range tt.nomatch {
				if re.MatchString(s) {
					t.Errorf("%q matches (regexp %s)", s, re)
				}
			}
		})
	}
}

func TestCompilePatternErrors(t *testing.T) {
	tests := []struct{ pattern, want string }{
		{`[a-z`, "missing ']'"},
		{`(ab`, "missing ')'"},
		{`ab)`, "unexpected"},
		{`*a`, "follows nothing"},
		{`a**`, "follows a quantifier"},
		{`a{3,2}`, "maximum below minimum"},
		{`a{x}`, "bad quantifier"},
		{`\q`, "unknown escape"},
		{`a\`, "trailing backslash"},
		{`\p{IsNoSuchBlock}`, "unknown Unicode block"},
		{`\p{Xx}`, "unknown character property"},
		{`[z-a]`, "out of order"},
		{`[a-c-x]`, "must be escaped"},
		{`[]`, "empty character class"},
		{`[a-z-[b]x]`, "subtraction must end the class"},
		{`a]`, "unescaped"},
		{`a{2000}`, "invalid repeat count"}, // valid XSD, refused by Go's parser
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			_, err := CompilePattern(tt.pattern)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("CompilePattern(%q) error = %v, want one containing %q", tt.pattern, err, tt.want)
			}
			// NewPattern (what the loaders call) gives the same error without compiling.
			if p, nerr := NewPattern(tt.pattern); nerr == nil || nerr.Error() != err.Error() || p != nil {
				t.Errorf("NewPattern(%q) = %v, %v; CompilePattern's error is %v", tt.pattern, p, nerr, err)
			}
		})
	}
}

// A pattern is compiled on its first use, once for all the patterns with its expression, also
// when many goroutines use it at once (a server's sessions share one schema; run with -race).
func TestPatternLazy(t *testing.T) {
	const expr = `[a-z]+-lazy-[0-9]{1,3}`
	p, err := NewPattern(expr)
	if err != nil {
		t.Fatal(err)
	}
	if p.compiled.re != nil {
		t.Fatal("NewPattern compiled the expression")
	}
	q, err := NewPattern(expr)
	if err != nil {
		t.Fatal(err)
	}
	lit := &Pattern{Expr: expr} // built without NewPattern
	res := make(chan *regexp.Regexp, 24)
	for i := range 24 {
		go func() {
			x := []*Pattern{p, q, lit}[i%3]
			res <- x.Regexp()
		}()
	}
	var first *regexp.Regexp
	for range 24 {
		re := <-res
		if first == nil {
			first = re
		}
		if re == nil || re != first {
			t.Fatalf("Regexp() = %p, want one compiled expression (%p)", re, first)
		}
	}
	if want, _ := CompilePattern(expr); !first.MatchString("abc-lazy-12") || first.MatchString("abc-lazy-1234") || first.String() != want.String() {
		t.Errorf("compiled %q", first)
	}
	if re := (&Pattern{Expr: `[a-`}).Regexp(); re != nil {
		t.Errorf("an invalid literal pattern compiled to %q", re)
	}
}

// patternArg matches the argument of a single-line pattern statement in single or double quotes.
var patternArg = regexp.MustCompile(`(?m)^\s*pattern\s+(?:'([^']*)'|"((?:[^"\\]|\\.)*)")\s*[;{]`)

// TestCompilePatternModels compiles the single-line patterns of the shared IETF and OpenConfig
// models (the loader's tests compile every pattern through the full YANG parser).
func TestCompilePatternModels(t *testing.T) {
	root := filepath.Join("..", "..", "..", "shared", "yang")
	if _, err := os.Stat(root); err != nil {
		t.Skip("shared models not available:", err)
	}
	n := 0
	err := filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(path, ".yang") {
			return err
		}
		text, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range patternArg.FindAllStringSubmatch(string(text), -1) {
			p := m[1]
			if m[1] == "" && m[2] != "" {
				p = strings.NewReplacer(`\\`, `\`, `\"`, `"`, `\n`, "\n", `\t`, "\t").Replace(m[2])
			}
			n++
			if _, err := CompilePattern(p); err != nil {
				t.Errorf("%s: %v", path, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 30 {
		t.Errorf("found only %d patterns", n)
	}
}

func FuzzCompilePattern(f *testing.F) {
	for _, s := range []string{`[a-z]+`, `\p{IsBasicLatin}`, `[a-z-[aeiou]]`, `(a|b){2,3}`, `\i\c*`, `[^\w]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		re, err := CompilePattern(s)
		if err == nil && re == nil {
			t.Fatal("nil regexp without error")
		}
		if cerr := CheckPattern(s); (cerr == nil) != (err == nil) || cerr != nil && cerr.Error() != err.Error() {
			t.Fatalf("CheckPattern(%q) = %v, CompilePattern's error %v", s, cerr, err)
		}
	})
}
