package generated

import (
	"os"
	"path"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/yang"
)

// TestGenerateLines: each package's go:generate line names the modules it stands for, so that a
// module added to yang.Protocol cannot be left out of generated/netconf.
func TestGenerateLines(t *testing.T) {
	src, err := os.ReadFile("generate.go")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	const prefix = "//go:generate go run github.com/ncws/ncws/cmd/ncws gen "
	for _, line := range strings.Split(string(src), "\n") {
		args, ok := strings.CutPrefix(line, prefix)
		if !ok {
			continue
		}
		var out string
		var files []string
		words := strings.Fields(args)
		for i := 0; i < len(words); i++ {
			switch {
			case words[i] == "-o":
				i++
				out = words[i]
			case words[i] == "--package":
				i++
			case strings.HasSuffix(words[i], ".yang"):
				files = append(files, path.Base(words[i]))
			}
		}
		got[out] = files
	}
	var protocol []string
	for _, f := range yang.Protocol {
		if !strings.HasPrefix(f, "ncws-server@") {
			protocol = append(protocol, f)
		}
	}
	var server []string
	for _, f := range yang.Protocol {
		if strings.HasPrefix(f, "ncws-server@") {
			server = append(server, f)
		}
	}
	want := map[string][]string{
		"netconf":    protocol,
		"ncwsserver": server,
		"example":    {yang.Example},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("go:generate lines mismatch (-want +got):\n%s", diff)
	}
}
