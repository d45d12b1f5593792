package schema

import "testing"

// TestLoc pins Loc's text and that a descriptor's location text reads back to the same text,
// whatever its form (a descriptor keeps the text; a loader keeps the file and the line).
func TestLoc(t *testing.T) {
	for _, tc := range []struct {
		text string
		want Loc
	}{
		{"", Loc{}},
		{"m.yang:12", Loc{File: "m.yang", Line: 12}},
		{"dir/m@2024-01-01.yang:1", Loc{File: "dir/m@2024-01-01.yang", Line: 1}},
		{`c:\yang\m.yang:7`, Loc{File: `c:\yang\m.yang`, Line: 7}},
		{"m.yang:0", Loc{File: "m.yang", Line: 0}},
		{":3", Loc{File: "", Line: 3}},
		{":0", Loc{File: ":0", Line: -1}},
		{"m.yang", Loc{File: "m.yang", Line: -1}},
		{"m.yang:", Loc{File: "m.yang:", Line: -1}},
		{"m.yang:007", Loc{File: "m.yang:007", Line: -1}},
		{"m.yang:-2", Loc{File: "m.yang:-2", Line: -1}},
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
