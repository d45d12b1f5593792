package cli

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// byteSize is a size flag: plain bytes ("16777216") or a number with a unit, binary (KiB,
// MiB, GiB, TiB: powers of 1024) or decimal (kB/KB, MB, GB, TB: powers of 1000), with or
// without a space ("64MiB", "1.5 GiB"); "B" alone is bytes. A negative size keeps its sign
// (flags where negative means "none").
type byteSize int64

var sizeUnits = []struct {
	suffix string
	mult   float64
}{
	{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40},
	{"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12},
	{"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"t", 1 << 40},
	{"b", 1},
}

// parseSize parses a size as byteSize describes it.
func parseSize(s string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if n, err := strconv.ParseInt(t, 10, 64); err == nil {
		return n, nil
	}
	for _, u := range sizeUnits {
		if num, ok := strings.CutSuffix(t, u.suffix); ok {
			num = strings.TrimSpace(num)
			v, err := strconv.ParseFloat(num, 64)
			if err != nil || num == "" || math.IsNaN(v) || math.IsInf(v, 0) {
				break
			}
			b := math.Round(v * u.mult)
			if math.Abs(b) > math.MaxInt64 {
				return 0, fmt.Errorf("size %q is too large", s)
			}
			return int64(b), nil
		}
	}
	return 0, fmt.Errorf("invalid size %q (bytes, or a number with KiB, MiB, GiB, kB, MB, GB)", s)
}

// formatSize writes n in the largest binary unit that divides it.
func formatSize(n int64) string {
	for _, u := range []struct {
		name string
		mult int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n != 0 && n%u.mult == 0 {
			return strconv.FormatInt(n/u.mult, 10) + u.name
		}
	}
	return strconv.FormatInt(n, 10)
}

func (b *byteSize) String() string { return formatSize(int64(*b)) }
func (b *byteSize) Type() string   { return "size" }

func (b *byteSize) Set(s string) error {
	n, err := parseSize(s)
	if err != nil {
		return err
	}
	*b = byteSize(n)
	return nil
}
