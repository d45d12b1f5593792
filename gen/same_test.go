package gen

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestSameTypes pins the rule of sameTypes on the golden case same: an inline enumeration with
// the names and values of one before it, and an inline union whose members have the Go types
// of one before it, are aliases of the first (keeping their own names and constants); other
// values, other member types and typedefs stay types of their own; --split module writes no
// alias (each package has its own types).
func TestSameTypes(t *testing.T) {
	files := generateCase(t, filepath.Join("testdata", "same"), "same")
	var all strings.Builder
	for _, b := range files {
		all.Write(b)
	}
	src := all.String()
	for _, decl := range []string{
		"type Same_Limits_Oper = Same_Limits_Admin\n",
		"type Same_Limits_Queue_Mode = Same_Limits_Admin\n",
		"type Same_Limits_BurstEnum = Same_Limits_RateEnum\n",
		"type Same_Limits_DepthEnum = Same_Limits_RateEnum\n",
		"type Same_Limits_Burst = Same_Limits_Rate\n",
		"type Same_Limits_Burst_Uint32 = Same_Limits_Rate_Uint32\n",
		"type Same_Limits_Burst_Enum = Same_Limits_Rate_Enum\n",
		"type Same_Limits_Queue_Size = Same_Limits_Rate\n",
		"type Same_Limits_Admin int32\n",
		"type Same_Limits_Flipped int32\n",   // other values
		"type Same_Switch int32\n",           // a typedef
		"type Same_Limits_Depth interface {", // an int32 member, not uint32
		"\tSame_Limits_Oper_Off Same_Limits_Oper = 1 // off\n",
		"func ParseSame_Limits_Oper(s string) (v Same_Limits_Oper, ok bool) { return ParseSame_Limits_Admin(s) }\n",
	} {
		if !strings.Contains(src, decl) {
			t.Errorf("output lacks %q", decl)
		}
	}
	// One table and one String method per distinct enumeration; one convUnions entry per union type.
	if n := strings.Count(src, "func (e Same_Limits_Admin) String() string"); n != 1 {
		t.Errorf("%d String methods of Same_Limits_Admin, want 1", n)
	}
	for _, absent := range []string{"func (e Same_Limits_Oper)", "var enumSame_Limits_Oper ", "(*Same_Limits_Burst)(nil)"} {
		if strings.Contains(src, absent) {
			t.Errorf("output has %q, want the alias only", absent)
		}
	}

	s, opts := loadCase(t, filepath.Join("testdata", "same"), "same", "example.com/golden/same")
	opts.Split, opts.ImportPath = "module", "example.com/golden/same"
	split, err := Generate(s, opts)
	if err != nil {
		t.Fatal(err)
	}
	var own bool
	for name, b := range split {
		if strings.Contains(string(b), "type Same_Limits_Oper = ") {
			t.Errorf("%s: an alias under --split module", name)
		}
		own = own || strings.Contains(string(b), "type Same_Limits_Oper int32\n")
	}
	if !own {
		t.Error("--split module output does not declare Same_Limits_Oper as a type of its own")
	}
}
