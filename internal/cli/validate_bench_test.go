package cli

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkValidate100k runs `ncws validate` in process (schema load, the data file mapped or
// read, decode, validation) on the 100k-interface document of ../shared/bench/gen-big-ietf-if.py,
// read from $NCWS_BIG_XML (skipped when unset): the allocations per document of what
// `make bench-validate` times against yanglint.
func BenchmarkValidate100k(b *testing.B) {
	doc := os.Getenv("NCWS_BIG_XML")
	if doc == "" {
		b.Skip("NCWS_BIG_XML not set (python3 ../shared/bench/gen-big-ietf-if.py 100000 FILE)")
	}
	y := "../../../shared/yang/ietf"
	args := []string{filepath.Join(y, "ietf-interfaces@2014-05-08.yang"), filepath.Join(y, "iana-if-type@2014-05-08.yang"),
		filepath.Join(y, "ietf-ip@2014-06-16.yang"), doc}
	b.ReportAllocs()
	for b.Loop() {
		if err := runValidate(validateFlags{paths: []string{y}, dataType: "config", output: "text"}, args, io.Discard, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
