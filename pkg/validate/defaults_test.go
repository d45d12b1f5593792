package validate_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/schema/yangload"
	"github.com/ncws/ncws/pkg/validate"
)

const defaultsModule = `module d {
  yang-version 1.1;
  namespace "urn:d";
  prefix d;
  rpc run {
    input {
      leaf delay { type uint32; default " 0 "; }
      leaf-list tag { type string; default "a"; default "b"; }
      container opts {
        leaf retries { type uint8; default "3\t"; }
        container deep { leaf x { type string; default "x"; } }
      }
      container p { presence "explicit"; leaf y { type string; default "y"; } }
      list item { key "k"; leaf k { type string; } leaf w { type int8; default "-1"; } }
      choice how {
        default fast;
        case fast { leaf speed { type string; default "max"; } }
        case slow { leaf pause { type uint8; } }
      }
    }
  }
}`

// TestAddDefaults: the defaults of an rpc input (RFC 7950 section 7.14.2) are filled in: leaves,
// leaf-lists, non-presence containers holding defaults, list entries' leaves, the default case
// of a choice without a present case; not inside an absent presence container, not over a value
// given, not the default case when another case is present. A number's default may have
// whitespace around it (" 0 ", as yanglint accepts): the leaf gets the number.
func TestAddDefaults(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "d.yang")
	if err := os.WriteFile(f, []byte(defaultsModule), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := yangload.Load(yangload.Options{Files: []string{f}})
	if err != nil {
		t.Fatal(err)
	}
	rpc := s.Module("d").RPCs[0]
	for _, tc := range []struct{ name, in, want string }{
		{"empty", `<run xmlns="urn:d"/>`,
			`<run xmlns="urn:d"><delay>0</delay><tag>a</tag><tag>b</tag><opts><retries>3</retries><deep><x>x</x></deep></opts><speed>max</speed></run>`},
		{"given values stay", `<run xmlns="urn:d"><delay>7</delay><tag>c</tag><opts><retries>1</retries></opts><p/><item><k>i</k></item><pause>2</pause></run>`,
			`<run xmlns="urn:d"><delay>7</delay><tag>c</tag><opts><retries>1</retries><deep><x>x</x></deep></opts><p><y>y</y></p><item><k>i</k><w>-1</w></item><pause>2</pause></run>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, errs := yangxml.Unmarshal([]byte(tc.in), s, yangxml.DecodeOptions{Operation: rpc})
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			validate.AddDefaults(in)
			got, err := yangxml.Marshal(in, yangxml.EncodeOptions{WithDefaults: yangxml.ReportAll})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, string(got)); diff != "" {
				t.Errorf("input mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
