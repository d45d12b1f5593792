package data_test

import (
	"fmt"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
)

func ExampleParseValue() {
	// uint8 { range "1..10 | 20..30"; }
	t := &schema.Type{Name: "uint8", Base: schema.Uint8, Range: []schema.Interval{
		{Min: schema.NumberOf(1), Max: schema.NumberOf(10)},
		{Min: schema.NumberOf(20), Max: schema.NumberOf(30)},
	}}
	for _, s := range []string{"+007", "15", "0x5"} {
		v, err := data.ParseValue(t, s, nil)
		if err != nil {
			fmt.Printf("%q: %s (%s)\n", s, err.Message, err.Tag)
			continue
		}
		fmt.Printf("%q: canonical %q\n", s, v.Str)
	}
	// Output:
	// "+007": canonical "7"
	// "15": value "15" is out of the allowed range (invalid-value)
	// "0x5": invalid uint8 value "0x5" (invalid-value)
}
