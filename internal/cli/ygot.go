package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// ygotHelperName is the program `ncws gen --ygot` runs for ygot's generator (cmd/ncws-ygot,
// ygotgen.Main). ygot, gNMI, gRPC and protobuf's descriptors are linked into it and not into ncws,
// whose every command would otherwise load and initialise them.
const ygotHelperName = "ncws-ygot"

// ygotHelper finds ncws-ygot: $NCWS_YGOT if set, else next to the running ncws, else on PATH,
// else as a tool of the current Go module (`go get -tool github.com/ncws/ncws/cmd/ncws-ygot`,
// for `go tool ncws gen --ygot`, whose ncws runs from Go's cache).
func ygotHelper() (string, error) {
	if p := os.Getenv("NCWS_YGOT"); p != "" {
		return p, nil
	}
	if exe, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(exe), ygotHelperName)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		}
	}
	if p, err := exec.LookPath(ygotHelperName); err == nil {
		return p, nil
	}
	if out, err := exec.Command("go", "tool", "-n", ygotHelperName).Output(); err == nil {
		if p := strings.TrimSpace(string(out)); p != "" && !strings.Contains(p, "\n") {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s (ygot's generator, a program of its own so that ncws does not load it) is not "+
		"next to ncws, on PATH nor a tool of this Go module: install it with `go install "+
		"github.com/ncws/ncws/cmd/%s@%s` (or `go get -tool` it, or `make build`: bin/%s), or name it in NCWS_YGOT",
		ygotHelperName, ygotHelperName, Version, ygotHelperName)
}

// ygotGenerate runs ncws-ygot for the modules files and returns the files of the ygot package.
func ygotGenerate(files, paths []string, pkg string, compress bool) (map[string][]byte, error) {
	helper, err := ygotHelper()
	if err != nil {
		return nil, err
	}
	args := []string{"-package", pkg, "-version", Version}
	for _, p := range paths {
		args = append(args, "-p", p)
	}
	if compress {
		args = append(args, "-compress-paths")
	}
	args = append(args, "--")
	args = append(args, files...)
	cmd := exec.Command(helper, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		var ee *exec.ExitError
		if msg == "" || !errors.As(err, &ee) {
			msg = strings.TrimSpace(err.Error() + "\n" + msg)
		}
		return nil, errors.New(msg)
	}
	var out map[string][]byte
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		return nil, fmt.Errorf("%s: reading its output: %w", helper, err)
	}
	return out, nil
}
