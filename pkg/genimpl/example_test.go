package genimpl_test

import (
	"fmt"

	"github.com/ncws/ncws/pkg/genimpl"
)

func ExampleDecimal64() {
	d := genimpl.Decimal64{Scaled: -1250, Digits: 3}
	fmt.Println(d, d.Float64())
	// Output: -1.25 -1.25
}

func ExampleFormatBits() {
	fmt.Println(genimpl.FormatBits([]string{"up", "running"}), genimpl.FormatUint(uint16(1500)), genimpl.FormatBinary([]byte("hi")))
	// Output: up running 1500 aGk=
}
