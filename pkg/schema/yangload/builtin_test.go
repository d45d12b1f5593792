package yangload

import (
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// TestBuiltin: Options.Builtin serves an import no search path holds; a module on a search path
// wins over the built-in copy, even with an older revision; errors in a built-in file name it
// "(built-in)/FILE".
func TestBuiltin(t *testing.T) {
	types := func(rev, typedef string) string {
		return "module bt-types {\n  namespace \"urn:example:bt-types\";\n  prefix t;\n  revision " + rev +
			";\n  typedef " + typedef + " { type string; }\n}\n"
	}
	builtin := fstest.MapFS{
		"bt-types@2020-01-01.yang": {Data: []byte(types("2020-01-01", "newer"))},
		"bt-broken.yang":           {Data: []byte("module bt-broken {\n  namespace \"urn:b\";\n  prefix b;\n  leaf x { type string; \n")},
	}
	user := func(typedef string) string {
		return "module bt-user {\n  namespace \"urn:example:bt-user\";\n  prefix u;\n  import bt-types { prefix t; }\n" +
			"  leaf a { type t:" + typedef + "; }\n}\n"
	}
	dir := writeModules(t, map[string]string{"user-newer.yang": user("newer"), "user-older.yang": user("older"),
		"paths/bt-types@2010-01-01.yang": types("2010-01-01", "older")})

	s, err := Load(Options{Files: []string{filepath.Join(dir, "user-newer.yang")}, Builtin: builtin})
	if err != nil {
		t.Fatalf("built-in import: %v", err)
	}
	if m := s.Module("bt-types"); m == nil || m.Revision != "2020-01-01" || m.File != "(built-in)/bt-types@2020-01-01.yang" {
		t.Errorf("bt-types = %+v, want the built-in 2020-01-01", m)
	}
	s, err = Load(Options{Files: []string{filepath.Join(dir, "user-older.yang")},
		SearchPaths: []string{filepath.Join(dir, "paths")}, Builtin: builtin})
	if err != nil {
		t.Fatalf("search path over built-in: %v", err)
	}
	if m := s.Module("bt-types"); m == nil || m.Revision != "2010-01-01" {
		t.Errorf("bt-types = %+v, want the search path's 2010-01-01", m)
	}
	if _, err := Load(Options{Files: []string{filepath.Join(dir, "user-newer.yang")}}); err == nil {
		t.Error("without Builtin the import was found")
	}
	broken := writeModules(t, map[string]string{"b.yang": "module b {\n  namespace \"urn:bb\";\n  prefix bb;\n  import bt-broken { prefix x; }\n}\n"})
	_, err = Load(Options{Files: []string{filepath.Join(broken, "b.yang")}, Builtin: builtin})
	if err == nil || !strings.Contains(err.Error(), "(built-in)/bt-broken.yang:5: syntax error") {
		t.Errorf("error %v, want one located in (built-in)/bt-broken.yang", err)
	}
}

// TestGivenSubmodules: a submodule among Options.Files is skipped when the module it belongs to
// is loaded and includes it (the given file is used for the include, so no search path is
// needed); otherwise it is an error naming the module that is missing.
func TestGivenSubmodules(t *testing.T) {
	dir := writeModules(t, map[string]string{
		"a/gm.yang": "module gm {\n  yang-version 1.1;\n  namespace \"urn:gm\";\n  prefix gm;\n  include gs;\n  container top { uses g; }\n}\n",
		"b/gs.yang": "submodule gs {\n  yang-version 1.1;\n  belongs-to gm { prefix gm; }\n  grouping g { leaf x { type string; } }\n}\n",
	})
	gm, gs := filepath.Join(dir, "a/gm.yang"), filepath.Join(dir, "b/gs.yang")
	for _, files := range [][]string{{gm, gs}, {gs, gm}, {gs, gm, gs}} {
		s, err := Load(Options{Files: files})
		if err != nil {
			t.Errorf("%v: %v", files, err)
			continue
		}
		if m := s.Module("gm"); m == nil || !m.Implemented || len(m.Submodules) != 1 || s.FindNode("/gm:top/x") == nil {
			t.Errorf("%v: module gm = %+v, want it implemented with gs's leaf x", files, m)
		}
	}
	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{Files: []string{gs}}, "gs is a submodule of gm, which is not found"},
		{Options{Files: []string{gs}, SearchPaths: []string{filepath.Join(dir, "a")}}, "gs is a submodule of gm, which is not loaded: give " + gm + " too"},
	} {
		_, err := Load(tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "no module given") {
			t.Errorf("%v: error %v, want only %q", tc.opts.Files, err, tc.want)
		}
	}
}
