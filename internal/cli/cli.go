// Package cli is the ncws command tree (cobra). Commands are built by functions, not package-level
// variables, so tests run them in parallel through Main.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/spf13/cobra"
)

// Version is the ncws version, printed by `ncws version` and `ncws --version` and stamped into
// generated code.
const Version = "v0.1.0"

// Exit codes shared by the commands.
const (
	ExitOK      = 0 // success (for validate: the data is valid)
	ExitInvalid = 1 // validate: the data is invalid
	ExitUsage   = 2 // bad arguments, unreadable files, or a broken module set
)

// exitError carries an exit code out of a command; its message (if any) has already been printed.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// Main runs the ncws command line with args (without the program name) and the given stdio, and
// returns the process exit code. The first call turns the runtime's heap profiling off for the
// process (see memProfileOff).
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	memProfileOff.Do(func() { runtime.MemProfileRate = 0 })
	root := newRoot(stdin, stdout, stderr)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var ee exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	fmt.Fprintln(stderr, "ncws:", err)
	return ExitUsage
}

// memProfileOff turns off the runtime's sampling of allocations for heap profiles. No command
// reads a heap profile but `ncws gen --memprofile`, which turns sampling back on for its run
// (defaultMemProfileRate); that flag is also why the linker keeps heap profiling in the binary
// at all (it drops it from programs that cannot write a profile). At Go's default, one
// allocation in 512 KiB is sampled with its stack: on SR OS nokia-conf, `ncws validate`
// allocates ~170 MB, so ~330 stacks, whose buckets and the profiler's 1.4 MB hash table kept
// ~0.9 MB resident (docs/PERFORMANCE.md, rssfloor), and whose unwinding read the function
// tables of every sampled stack.
var memProfileOff sync.Once

// defaultMemProfileRate is the runtime's default runtime.MemProfileRate (one sample per 512 KiB
// allocated on average).
const defaultMemProfileRate = 512 * 1024

func newRoot(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "ncws",
		Short: "ncws: YANG-driven NETCONF server framework (NETCONF over WebSocket)",
		Long: `ncws turns YANG modules into NETCONF servers and tools.

  ncws validate   check configuration or state data against YANG modules (yanglint's arguments)
  ncws gen        generate a Go package (typed structs, embedded schema) from YANG modules
  ncws serve      serve NETCONF over WebSocket (the example device, or the given modules)
  ncws passwd     add a user to an htpasswd (bcrypt) users file or change a password
  ncws client     run NETCONF operations over WebSocket: one-shot, scripted or in a shell
  ncws version    print the version (also ncws --version)
  ncws completion print a shell completion script (bash, zsh, fish, powershell)`,
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
		// Cobra's completion command stays: `ncws completion bash|zsh|fish|powershell`.
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: false},
	}
	// --version prints what `ncws version` prints.
	root.SetVersionTemplate("ncws {{.Version}}\n")
	root.AddCommand(newValidate(stdout, stderr), newVersion(stdout), newPasswd(stdin, stdout, stderr),
		newServe(stdout, stderr), newClient(stdin, stdout, stderr), newGen(stdout, stderr))
	return root
}

func newVersion(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the ncws version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintln(stdout, "ncws", Version)
			return nil
		},
	}
}
