// Command ncws-ygot runs ygot's generator for `ncws gen --ygot` (see ygotgen.Main); install it
// next to ncws.
package main

import (
	"os"

	"github.com/ncws/ncws/gen/ygotgen"
)

func main() { os.Exit(ygotgen.Main(os.Args[1:], os.Stdout, os.Stderr)) }
