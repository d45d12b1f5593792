package yangxml

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
)

const yangDir = "../../../../shared/yang"

// loadIETFIP loads ietf-interfaces, iana-if-type and ietf-ip from the shared models.
func loadIETFIP(tb testing.TB) *schema.Schema {
	tb.Helper()
	dir := filepath.Join(yangDir, "ietf")
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("shared YANG models not available: %v", err)
	}
	s, err := yangload.Load(yangload.Options{SearchPaths: []string{dir},
		Files: []string{filepath.Join(dir, "ietf-interfaces@2014-05-08.yang"),
			filepath.Join(dir, "iana-if-type@2014-05-08.yang"),
			filepath.Join(dir, "ietf-ip@2014-06-16.yang")}})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// BenchmarkUnmarshal100k decodes the 100k-interface document of
// ../shared/bench/gen-big-ietf-if.py, read from $NCWS_BIG_XML or /tmp/big100k.xml (skipped when
// absent; generate it with `python3 ../shared/bench/gen-big-ietf-if.py 100000 /tmp/big100k.xml`).
func BenchmarkUnmarshal100k(b *testing.B) {
	file := os.Getenv("NCWS_BIG_XML")
	if file == "" {
		file = "/tmp/big100k.xml"
	}
	doc, err := os.ReadFile(file)
	if err != nil {
		b.Skipf("benchmark document: %v", err)
	}
	s := loadIETFIP(b)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		_, errs := Unmarshal(doc, s, DecodeOptions{})
		if len(errs) > 0 {
			b.Fatal(errs[0])
		}
	}
}
