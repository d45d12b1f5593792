package data

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
)

// TestKnownPatterns takes the patterns matched by hand from RFC 6991's modules as the schema
// compiler reads them, checks that each is recognized, and that the hand matcher agrees with
// the pattern's regexp on crafted and random strings.
func TestKnownPatterns(t *testing.T) {
	dir := "../../../shared/yang/ietf"
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared YANG models not available: %v", err)
	}
	s, err := yangload.Load(yangload.Options{SearchPaths: []string{dir},
		Files:              []string{filepath.Join(dir, "ietf-interfaces@2014-05-08.yang"), filepath.Join(dir, "ietf-ip@2014-06-16.yang")},
		ImportsImplemented: true})
	if err != nil {
		t.Fatal(err)
	}
	pats := map[string]*schema.Pattern{}
	var walk func(n *schema.Node)
	walk = func(n *schema.Node) {
		var types func(ty *schema.Type)
		types = func(ty *schema.Type) {
			if ty == nil {
				return
			}
			for _, p := range ty.Patterns {
				pats[p.Expr] = p
			}
			for _, m := range ty.Union {
				types(m)
			}
		}
		types(n.Type)
		for _, c := range n.Children {
			walk(c)
		}
	}
	for _, m := range s.Modules {
		for _, n := range m.Data {
			walk(n)
		}
	}
	for _, expr := range []string{patIPv4Zone, patIPv4, patDigitsDots} {
		if _, ok := pats[expr]; !ok {
			t.Errorf("pattern %q matched by hand is not one of ietf-ip's (as compiled)", expr)
		}
	}
	inputs := []string{"", "0.0.0.0", "255.255.255.255", "256.1.1.1", "1.2.3", "1.2.3.4.", "1.2.3.4.5", "01.2.3.4",
		"1.02.3.4", "1.2.3.00", "10.0.0.1%eth0", "10.0.0.1%", "10.0.0.1%é1", "10.0.0.1%a-b", "10.0.0.1%٣",
		"1..2.3", ".1.2.3.4", "1.2.3.4 ", " 1.2.3.4", "199.249.250.251", "1.2.3.260", "1.2.3.4%%", "a.b.c.d", "1.2.3.4%Ⅻ"}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"0", "1", "2", "5", "9", ".", "%", "a", "é", "٣", "-", "25", "255", "256", "00"}
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		inputs = append(inputs, b.String())
	}
	for _, expr := range []string{patIPv4Zone, patIPv4, patDigitsDots} {
		p, ok := pats[expr]
		if !ok {
			continue
		}
		for _, in := range inputs {
			if got, _ := matchPattern(p, in); got != p.Regexp().MatchString(in) {
				t.Errorf("pattern %q on %q: hand matcher %v, regexp %v", expr, in, got, !got)
			}
		}
	}
}
