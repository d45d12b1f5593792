package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/encoding/yangjson"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
	"github.com/ncws/ncws/pkg/validate"
	"github.com/ncws/ncws/yang"
)

type validateFlags struct {
	paths       []string
	features    []string
	implemented bool
	dataType    string
	output      string
}

func newValidate(stdout, stderr io.Writer) *cobra.Command {
	var f validateFlags
	cmd := &cobra.Command{
		Use:   "validate [-p DIR]... [-F MODULE:FEATURES]... [-i] [-t config|data] SCHEMA.yang... DATA.xml...",
		Short: "Validate XML or JSON data against YANG modules, as yanglint does",
		Long: `Validate instance data against YANG modules, offline.

The .yang arguments are the implemented modules (a submodule among them is skipped: its module
includes it); -p adds directories searched (recursively) for imports and includes. Modules no
search path holds are taken from the built-in copies of the modules ncws serves (ietf-inet-types,
ietf-yang-types, ietf-datastores, ietf-yang-library, ietf-netconf ...), as yanglint has its own. Every feature of every implemented module is enabled unless -F restricts a
module's features ("-F mod:f1,f2", "-F mod:" for none). Data files are XML (a NETCONF <config> or
<data> wrapper, or bare top-level elements) or RFC 7951 JSON (.json); each is validated on its own.

Each error is printed on one line:
  FILE:LINE: ERROR-PATH: MESSAGE [error-tag/error-app-tag]

Exit status: 0 valid, 1 invalid, 2 usage or schema error.`,
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runValidate(f, args, stdout, stderr)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVarP(&f.paths, "path", "p", nil, "search `DIR` for imported modules (recursively); repeatable")
	fl.StringArrayVarP(&f.features, "features", "F", nil, "enable only these features of a module: `MODULE:F1,F2`; repeatable")
	fl.BoolVarP(&f.implemented, "make-implemented", "i", false, "make imported modules implemented")
	fl.StringVarP(&f.dataType, "type", "t", "config", "data type: config (state data rejected) or data (state allowed)")
	fl.StringVarP(&f.output, "output", "o", "text", "error output format: text or json")
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		fmt.Fprintf(stderr, "ncws validate: %v\n", err)
		return exitError{ExitUsage}
	})
	return cmd
}

// fileError is one error of a data file, as printed by `ncws validate -o json`.
type fileError struct {
	File     string `json:"file"`
	Line     int    `json:"line,omitempty"`
	Type     string `json:"error-type"`
	Tag      string `json:"error-tag"`
	AppTag   string `json:"error-app-tag,omitempty"`
	Path     string `json:"error-path,omitempty"`
	Message  string `json:"error-message"`
	Severity string `json:"error-severity"`
}

func runValidate(f validateFlags, args []string, stdout, stderr io.Writer) error {
	usage := func(format string, a ...any) error {
		fmt.Fprintf(stderr, "ncws validate: "+format+"\n", a...)
		return exitError{ExitUsage}
	}
	if f.dataType != "config" && f.dataType != "data" {
		return usage("-t must be config or data, not %q", f.dataType)
	}
	if f.output != "text" && f.output != "json" {
		return usage("-o must be text or json, not %q", f.output)
	}
	var yangFiles, dataFiles []string
	for _, a := range args {
		if strings.HasSuffix(a, ".yang") {
			yangFiles = append(yangFiles, a)
		} else {
			dataFiles = append(dataFiles, a)
		}
	}
	if len(yangFiles) == 0 {
		return usage("no schema given (SCHEMA.yang...)")
	}
	// The modules ncws serves (ietf-inet-types, ietf-yang-types, ietf-datastores,
	// ietf-yang-library ... the files of package yang, which ncws gen also finds) are built in:
	// used when no search path holds a module imported, as yanglint's own are. Validation reads
	// no grouping origin nor type location (equal types are shared instead), no description and
	// serves no module text (on SR OS nokia-conf descriptions and texts were a fifth of the
	// compiled schema).
	opts := yangload.Options{SearchPaths: f.paths, Files: yangFiles, ImportsImplemented: f.implemented,
		Builtin: yang.FS, Warn: warnTo(stderr), OmitOrigins: true, OmitDocs: true, OmitSources: true}
	if len(f.features) > 0 {
		opts.Features = map[string][]string{}
		for _, fs := range f.features {
			if err := yangload.ParseFeatureFlag(fs, opts.Features); err != nil {
				return usage("%v", err)
			}
		}
	}
	// GC policy: see gcPolicy.
	gc := startGCPolicy(&opts)
	defer gc.stop()
	s, err := yangload.Load(opts)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitError{ExitUsage}
	}
	v := validate.New(s)
	gc.data()
	var all []fileError
	invalid := false
	for _, file := range dataFiles {
		errs, err := validateFile(s, v, file, f.dataType == "data")
		if err != nil {
			return usage("%v", err)
		}
		if len(errs) > 0 {
			invalid = true
		}
		for _, e := range errs {
			fe := fileError{File: file, Line: e.Line, Type: string(e.Type), Tag: string(e.Tag), AppTag: e.AppTag,
				Path: e.Path, Message: e.Message, Severity: string(e.SeverityOrDefault())}
			all = append(all, fe)
			if f.output == "text" {
				fmt.Fprintln(stdout, formatError(fe))
			}
		}
	}
	if f.output == "json" {
		if all == nil {
			all = []fileError{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(all); err != nil {
			return err
		}
	}
	if invalid {
		return exitError{ExitInvalid}
	}
	return nil
}

// validateFile reads one data file and validates it. An XML file is mapped rather than read
// when large (see readData); a fault reading the mapping (the file truncated meanwhile) is an
// error, not a crash.
func validateFile(s *schema.Schema, v *validate.Validator, file string, state bool) (errs rpcerror.List, err error) {
	if strings.EqualFold(filepath.Ext(file), ".json") {
		doc, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		return validateDoc(s, v, file, doc, nil, state), nil
	}
	doc, release, done, err := readData(file)
	if err != nil {
		return nil, err
	}
	defer done()
	if release != nil {
		// A mapped (large) document: its tree takes about 2.7 times its size (the 100k-interface
		// document). The huge-page region is kept below that so that it is filled: a huge page
		// partly used still costs its 2 MB, and khugepaged may collapse a partly used range at any
		// moment (with 8x the document, peak RSS varied by up to 6 MB between runs).
		prepareHeap(min(len(doc)*5/2, 4<<30))
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(runtime.Error); !ok || !strings.Contains(fmt.Sprint(r), "fault") {
				panic(r)
			}
			errs, err = nil, fmt.Errorf("%s: %v (the file changed while it was read?)", file, r)
		}
	}()
	return validateDoc(s, v, file, doc, release, state), nil
}

// validateDoc decodes one data document and validates it; decode errors stop before validation.
// release, when set, is the decoder's DecodeOptions.Release.
func validateDoc(s *schema.Schema, v *validate.Validator, file string, doc []byte, release func(int), state bool) rpcerror.List {
	var root *data.Node
	var errs rpcerror.List
	if strings.EqualFold(filepath.Ext(file), ".json") {
		root, errs = yangjson.Unmarshal(doc, s, yangjson.DecodeOptions{})
	} else {
		// yanglint's reading of a data file: state nodes are errors in a configuration (-t config)
		// as soon as they are read, and attributes other than YANG's own annotations are errors.
		root, errs = yangxml.Unmarshal(doc, s, yangxml.DecodeOptions{AllowEmpty: true, RejectState: !state, StrictAttrs: true,
			Release: release})
		if release != nil {
			release(len(doc)) // the tree refers to none of it: its last pages go before validation
		}
	}
	if len(errs) > 0 {
		return errs
	}
	// The tree is dropped after the verdict: the defaults no check reads are not made (200k
	// leaves of the 100k-interface document).
	return v.Validate(root, validate.Options{Data: state, SkipUnreadDefaults: true})
}

func formatError(e fileError) string {
	var b strings.Builder
	b.WriteString(e.File)
	b.WriteByte(':')
	fmt.Fprint(&b, e.Line)
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	b.WriteString(" [")
	b.WriteString(e.Tag)
	if e.AppTag != "" {
		b.WriteByte('/')
		b.WriteString(e.AppTag)
	}
	b.WriteByte(']')
	return b.String()
}
