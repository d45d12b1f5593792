// Command ncws is the ncws command-line tool: validate, gen, serve, client.
package main

import (
	"context"
	"os"

	"github.com/ncws/ncws/internal/cli"
)

func main() { os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
