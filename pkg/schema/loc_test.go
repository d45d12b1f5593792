package schema

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"unsafe"
)

// TestLoc pins Loc's text and that a descriptor's location text reads back to the same text,
// whatever its form (a descriptor keeps the text; a loader keeps the file and the line).
func TestLoc(t *testing.T) {
	for _, tc := range []struct {
		text string
		want Loc
	}{
		{"", Loc{}},
		{"m.yang:12", NewLoc("m.yang", 12)},
		{"dir/m@2024-01-01.yang:1", NewLoc("dir/m@2024-01-01.yang", 1)},
		{`c:\yang\m.yang:7`, NewLoc(`c:\yang\m.yang`, 7)},
		{"m.yang:0", NewLoc("m.yang", 0)},
		{":3", NewLoc("", 3)},
		{":0", NewLoc(":0", -1)},
		{"m.yang", NewLoc("m.yang", -1)},
		{"m.yang:", NewLoc("m.yang:", -1)},
		{"m.yang:007", NewLoc("m.yang:007", -1)},
		{"m.yang:-2", NewLoc("m.yang:-2", -1)},
	} {
		got := parseLoc(tc.text)
		if got != tc.want {
			t.Errorf("parseLoc(%q) = %#v, want %#v", tc.text, got, tc.want)
		}
		if s := got.String(); s != tc.text {
			t.Errorf("parseLoc(%q).String() = %q", tc.text, s)
		}
		if got.IsZero() != (tc.text == "") {
			t.Errorf("parseLoc(%q).IsZero() = %v", tc.text, got.IsZero())
		}
	}
}

// TestNewLoc pins what NewLoc keeps: the file and the line as given, the whole text when the
// line is negative or past what a Loc holds, and equality by file and line (Locs made from
// different copies of a file name, in different goroutines, are ==).
func TestNewLoc(t *testing.T) {
	for _, tc := range []struct {
		file       string
		line       int
		wantFile   string
		wantLine   int
		wantString string
	}{
		{"m.yang", 12, "m.yang", 12, "m.yang:12"},
		{"", 0, "", 0, ""},
		{"m.yang", -1, "m.yang", -1, "m.yang"},
		{"m.yang", 1 << 31, "m.yang:2147483648", -1, "m.yang:2147483648"},
		{"m.yang", 1<<31 - 1, "m.yang", 1<<31 - 1, "m.yang:2147483647"},
	} {
		l := NewLoc(tc.file, tc.line)
		if l.File() != tc.wantFile || l.Line() != tc.wantLine || l.String() != tc.wantString {
			t.Errorf("NewLoc(%q, %d): File %q, Line %d, String %q; want %q, %d, %q", tc.file, tc.line,
				l.File(), l.Line(), l.String(), tc.wantFile, tc.wantLine, tc.wantString)
		}
	}
	if unsafe.Sizeof(Loc{}) != 8 {
		t.Errorf("a Loc takes %d bytes, want 8", unsafe.Sizeof(Loc{}))
	}
	want := NewLoc("dir/x.yang", 3)
	var wg sync.WaitGroup
	got := make([]Loc, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = NewLoc(strings.Clone("dir/x.yang"), 3)
			NewLoc(fmt.Sprintf("other-%d.yang", i), i)
		}()
	}
	wg.Wait()
	for i, l := range got {
		if l != want || !l.Equal(want) || l == NewLoc("dir/x.yang", 4) {
			t.Errorf("goroutine %d: %v, want == %v", i, l, want)
		}
	}
}
