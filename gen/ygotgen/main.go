package ygotgen

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Main is the command ncws-ygot (cmd/ncws-ygot), which `ncws gen --ygot` runs: ygot's generator
// and the gNMI, gRPC and protobuf packages it imports are linked into that program only, so that
// ncws validate, serve and the rest neither load them nor run their initialisation (3.5 MB of
// resident memory in every ncws process).
//
// Arguments: [-p DIR]... -package NAME [-compress-paths] [-version V] FILE.yang..., the Options
// of Generate. On success Main writes the generated files to stdout as one JSON object (file name
// to contents, base64 as encoding/json writes a []byte) and returns 0; on failure it writes the
// error to stderr and returns 1, or 2 for bad arguments.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ncws-ygot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opts Options
	fs.Func("p", "search `DIR` for imported modules (recursively); repeatable", func(s string) error {
		opts.SearchPaths = append(opts.SearchPaths, s)
		return nil
	})
	fs.StringVar(&opts.Package, "package", "", "Go package `NAME` of the output")
	fs.BoolVar(&opts.CompressPaths, "compress-paths", false, "compress OpenConfig paths as ygot does")
	fs.StringVar(&opts.Version, "version", "", "ncws `VERSION` named in the generated files' first line")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: ncws-ygot [-p DIR]... -package NAME [-compress-paths] [-version V] FILE.yang...")
		fmt.Fprintln(stderr, "Runs ygot's generator for `ncws gen --ygot` and writes the files as a JSON object to stdout.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	opts.Files = fs.Args()
	files, err := Generate(opts)
	if err != nil {
		fmt.Fprintln(stderr, strings.TrimSpace(err.Error()))
		return 1
	}
	if err := json.NewEncoder(stdout).Encode(files); err != nil {
		fmt.Fprintln(stderr, "ncws-ygot:", err)
		return 1
	}
	return 0
}
