package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/ncws/ncws/pkg/auth"
)

func newPasswd(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	cost := auth.HashCost
	cmd := &cobra.Command{
		Use:   "passwd FILE USER",
		Short: "Add a user to an htpasswd file or change a user's password",
		Long: `Add USER to the users file FILE (an htpasswd file with bcrypt hashes, as written by
Apache's "htpasswd -B") or change USER's password. FILE is created (mode 0600) if missing and is
replaced atomically; other lines are kept. A running "ncws serve" picks the change up without a
restart.

The password is asked twice when stdin is a terminal; otherwise it is the first line of stdin:
  printf '%s\n' "$PASSWORD" | ncws passwd users.htpasswd alice

--cost sets the bcrypt cost as "htpasswd -C" does: each step doubles the time every login of the
user takes (on the server, and for an attacker holding the file).`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			file, user := args[0], args[1]
			fail := func(format string, a ...any) error {
				fmt.Fprintf(stderr, "ncws passwd: "+format+"\n", a...)
				return exitError{ExitUsage}
			}
			if err := auth.ValidUsername(user); err != nil {
				return fail("%v", err)
			}
			pass, err := readPassword(stdin, stderr)
			if err != nil {
				return fail("%v", err)
			}
			if err := auth.SetPasswordCost(file, user, pass, cost); err != nil {
				return fail("%v", err)
			}
			fmt.Fprintf(stdout, "password of %s set in %s\n", user, file)
			return nil
		},
	}
	cmd.Flags().IntVar(&cost, "cost", cost, "bcrypt cost, 4 to 31")
	return cmd
}

// readPassword asks for the password twice on a terminal, or reads the first line of stdin.
func readPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		ask := func(prompt string) (string, error) {
			fmt.Fprint(stderr, prompt)
			b, err := term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(stderr)
			return string(b), err
		}
		p1, err := ask("New password: ")
		if err != nil {
			return "", fmt.Errorf("reading password: %w", err)
		}
		if p1 == "" {
			return "", errors.New("empty password refused")
		}
		p2, err := ask("Repeat password: ")
		if err != nil {
			return "", fmt.Errorf("reading password: %w", err)
		}
		if p1 != p2 {
			return "", errors.New("passwords do not match")
		}
		return p1, nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading password: %w", err)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return "", errors.New("empty password refused (give it as the first line of stdin)")
	}
	return line, nil
}
