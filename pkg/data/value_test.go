package data_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
)

// typeFixture builds the types the value tests use, in one finalized schema.
type typeFixture struct {
	mod, other                              *schema.Module
	proto, tcp, udp, quic, colour, red, sec *schema.Identity
	resolve                                 data.Resolver
}

func newTypeFixture() *typeFixture {
	f := &typeFixture{}
	f.mod = &schema.Module{Name: "ex", Prefix: "ex", Namespace: "urn:ex", Implemented: true}
	f.other = &schema.Module{Name: "other", Prefix: "o", Namespace: "urn:other", Implemented: true}
	id := func(m *schema.Module, name string, bases ...*schema.Identity) *schema.Identity {
		i := &schema.Identity{Name: name, Module: m, Bases: bases}
		m.Identities = append(m.Identities, i)
		return i
	}
	f.proto = id(f.mod, "proto")
	f.tcp = id(f.mod, "tcp", f.proto)
	f.udp = id(f.mod, "udp", f.proto)
	f.quic = id(f.other, "quic", f.udp)
	f.colour = id(f.mod, "colour")
	f.red = id(f.mod, "red", f.colour)
	f.sec = id(f.mod, "secure")
	s := &schema.Schema{Modules: []*schema.Module{f.mod, f.other}}
	s.Finalize()
	f.resolve = func(p string) *schema.Module {
		switch p {
		case "ex", "":
			return f.mod
		case "o":
			return f.other
		}
		return nil
	}
	return f
}

func num(i int64) schema.Number { return schema.NumberOf(i) }

func iv(lo, hi int64) schema.Interval { return schema.Interval{Min: num(lo), Max: num(hi)} }

func TestParseValue(t *testing.T) {
	f := newTypeFixture()
	u8r := &schema.Type{Base: schema.Uint8, Range: []schema.Interval{iv(1, 10), iv(20, 30)}}
	i16 := &schema.Type{Base: schema.Int16}
	i64 := &schema.Type{Base: schema.Int64}
	u64 := &schema.Type{Base: schema.Uint64}
	dec := &schema.Type{Base: schema.Decimal64, FractionDigits: 2, Range: []schema.Interval{iv(-1000, 1000)}}
	dec18 := &schema.Type{Base: schema.Decimal64, FractionDigits: 18}
	strlen := &schema.Type{Base: schema.String, Length: []schema.Interval{iv(2, 5)},
		LengthError: schema.Restriction{ErrorAppTag: "too-long", ErrorMessage: "2 to 5 characters"}}
	strpat := &schema.Type{Base: schema.String, Patterns: []*schema.Pattern{
		{Expr: "[a-z]+[0-9]{2}"}, {Expr: "x.*", Invert: true}}}
	en := &schema.Type{Base: schema.Enumeration, Enums: []schema.Enum{{Name: "red"}, {Name: "green", Value: 5}, {Name: "blue", Value: 6}}}
	bits := &schema.Type{Base: schema.Bits, Bits: []schema.Bit{{Name: "read"}, {Name: "write", Position: 1}, {Name: "exec", Position: 7}}}
	boolean := &schema.Type{Base: schema.Boolean}
	empty := &schema.Type{Base: schema.Empty}
	bin := &schema.Type{Base: schema.Binary, Length: []schema.Interval{iv(1, 4)}}
	idr := &schema.Type{Base: schema.Identityref, Bases: []*schema.Identity{f.proto}}
	idr2 := &schema.Type{Base: schema.Identityref, Bases: []*schema.Identity{f.proto, f.udp}}
	u8 := &schema.Type{Base: schema.Uint8, Range: []schema.Interval{iv(0, 9)}}
	un := &schema.Type{Base: schema.Union, Union: []*schema.Type{u8,
		{Base: schema.Enumeration, Enums: []schema.Enum{{Name: "auto"}}}, idr}}
	iid := &schema.Type{Base: schema.InstanceIdentifier, RequireInstance: true}
	target := &schema.Node{Decl: &schema.Decl{Name: "t"}, Kind: schema.KindLeaf, Type: i16}
	lref := &schema.Type{Base: schema.Leafref, Target: target}
	lrefNil := &schema.Type{Base: schema.Leafref}
	lrefID := &schema.Type{Base: schema.Leafref, Target: &schema.Node{Decl: &schema.Decl{Name: "p"}, Kind: schema.KindLeaf, Type: idr}}
	// Through a leafref, the value's Type is the leafref: Identity finds the union member that
	// matched (the string member before the identityref one takes "ex:tcp" as a string).
	str := &schema.Type{Base: schema.String}
	lrefStrFirst := &schema.Type{Base: schema.Leafref, Target: &schema.Node{Decl: &schema.Decl{Name: "u1"}, Kind: schema.KindLeaf,
		Type: &schema.Type{Base: schema.Union, Union: []*schema.Type{str, idr}}}}
	lrefIDFirst := &schema.Type{Base: schema.Leafref, Target: &schema.Node{Decl: &schema.Decl{Name: "u2"}, Kind: schema.KindLeaf,
		Type: &schema.Type{Base: schema.Union, Union: []*schema.Type{u8, idr, str}}}}

	type want struct {
		Str   string
		Num   schema.Number
		Ident string
		Type  *schema.Type
	}
	tests := []struct {
		name   string
		t      *schema.Type
		in     string
		want   want
		errMsg string
		appTag string
	}{
		{"uint8 ok", u8r, "5", want{Str: "5", Num: num(5)}, "", ""},
		{"uint8 plus and zeros", u8r, "+007", want{Str: "7", Num: num(7)}, "", ""},
		{"uint8 whitespace trimmed", u8r, " 22\n", want{Str: "22", Num: num(22)}, "", ""},
		{"uint8 bounds", u8r, "256", want{}, `value "256" is out of uint8 bounds`, ""},
		{"uint8 negative", u8r, "-1", want{}, `value "-1" is out of uint8 bounds`, ""},
		{"uint8 minus zero", &schema.Type{Base: schema.Uint8}, "-0", want{Str: "0"}, "", ""},
		{"uint8 range", u8r, "15", want{}, `value "15" is out of the allowed range`, ""},
		{"int16 hex", i16, "0x5", want{}, `invalid int16 value "0x5"`, ""},
		{"int16 empty", i16, "", want{}, `invalid int16 value ""`, ""},
		{"int16 inner space", i16, "1 2", want{}, `invalid int16 value "1 2"`, ""},
		{"int16 min", i16, "-32768", want{Str: "-32768", Num: num(-32768)}, "", ""},
		{"int64 overflow", i64, "9223372036854775808", want{}, `value "9223372036854775808" is out of int64 bounds`, ""},
		{"int64 min", i64, "-9223372036854775808", want{Str: "-9223372036854775808", Num: schema.Number{Neg: true, Abs: 1 << 63}}, "", ""},
		{"uint64 max", u64, "18446744073709551615", want{Str: "18446744073709551615", Num: schema.Number{Abs: 1<<64 - 1}}, "", ""},
		{"uint64 overflow", u64, "18446744073709551616", want{}, `value "18446744073709551616" is out of uint64 bounds`, ""},
		{"decimal ok", dec, "1.5", want{Str: "1.5", Num: num(150)}, "", ""},
		{"decimal integer", dec, "-10", want{Str: "-10.0", Num: num(-1000)}, "", ""},
		{"decimal trailing zeros", dec, "1.500", want{Str: "1.5", Num: num(150)}, "", ""},
		{"decimal too many digits", dec, "1.555", want{}, `value "1.555" has more than 2 fraction digits`, ""},
		{"decimal range", dec, "10.01", want{}, `value "10.01" is out of the allowed range`, ""},
		{"decimal no int part", dec, ".5", want{}, `invalid decimal64 value ".5"`, ""},
		{"decimal no fraction", dec, "1.", want{}, `invalid decimal64 value "1."`, ""},
		{"decimal18 max", dec18, "9.223372036854775807", want{Str: "9.223372036854775807", Num: schema.Number{Abs: 1<<63 - 1}}, "", ""},
		{"decimal18 over", dec18, "9.223372036854775808", want{}, `value "9.223372036854775808" is out of decimal64 bounds`, ""},
		{"decimal18 min", dec18, "-9.223372036854775808", want{Str: "-9.223372036854775808", Num: schema.Number{Neg: true, Abs: 1 << 63}}, "", ""},
		{"string length runes", strlen, "ééé", want{Str: "ééé"}, "", ""},
		{"string too short", strlen, "a", want{}, "2 to 5 characters", "too-long"},
		{"pattern ok", strpat, "ab12", want{Str: "ab12"}, "", ""},
		{"pattern no match", strpat, " ab12", want{}, `value " ab12" does not match the pattern "[a-z]+[0-9]{2}"`, ""},
		{"pattern inverted", strpat, "xa12", want{}, `value "xa12" matches the inverted pattern "x.*"`, ""},
		{"enum", en, "green", want{Str: "green", Num: num(5)}, "", ""},
		{"enum space", en, " red", want{}, `invalid enumeration value " red"`, ""},
		{"bits canonical order", bits, " exec  read ", want{Str: "read exec"}, "", ""},
		{"bits empty", bits, "", want{Str: ""}, "", ""},
		{"bits duplicate", bits, "read read", want{}, `invalid bits value "read read" - duplicate bit "read"`, ""},
		{"bits unknown", bits, "fly", want{}, `invalid bits value "fly" - unknown bit "fly"`, ""},
		{"boolean", boolean, "true", want{Str: "true", Num: num(1)}, "", ""},
		{"boolean 1", boolean, "1", want{}, `invalid boolean value "1"`, ""},
		{"empty", empty, "", want{}, "", ""},
		{"empty not empty", empty, " ", want{}, `invalid empty value " ": must have no content`, ""},
		{"binary", bin, "AQID", want{Str: "AQID"}, "", ""},
		{"binary length", bin, "AQIDBAU=", want{}, `length 5 octets of binary value "AQIDBAU=" is out of the allowed length`, ""},
		{"binary bad length", bin, "AQI", want{}, `invalid binary value "AQI" - base64 length must be a multiple of 4`, ""},
		{"binary space", bin, "AQ I", want{}, `invalid binary value "AQ I" - invalid base64 character ' '`, ""},
		{"identityref", idr, "ex:tcp", want{Str: "ex:tcp", Ident: "ex:tcp"}, "", ""},
		{"identityref default prefix", idr, "tcp", want{Str: "ex:tcp", Ident: "ex:tcp"}, "", ""},
		{"identityref other module", idr, "o:quic", want{Str: "other:quic", Ident: "other:quic"}, "", ""},
		{"identityref base itself", idr, "ex:proto", want{}, `invalid identityref "ex:proto" value - identity "ex:proto" is not derived from the base "ex:proto"`, ""},
		{"identityref two bases", idr2, "ex:tcp", want{}, `invalid identityref "ex:tcp" value - identity "ex:tcp" is not derived from the base "ex:udp"`, ""},
		{"identityref two bases ok", idr2, "o:quic", want{Str: "other:quic", Ident: "other:quic"}, "", ""},
		{"identityref unknown prefix", idr, "x:tcp", want{}, `invalid identityref "x:tcp" value - unknown prefix "x"`, ""},
		{"identityref unknown identity", idr, "ex:foo", want{}, `invalid identityref "ex:foo" value - identity "foo" not found in module "ex"`, ""},
		{"union first member", un, "5", want{Str: "5", Num: num(5), Type: u8}, "", ""},
		{"union enum", un, "auto", want{Str: "auto"}, "", ""},
		{"union identityref", un, "o:quic", want{Str: "other:quic", Ident: "other:quic", Type: idr}, "", ""},
		{"union none", un, "15", want{}, `invalid union value "15" - no matching member type`, ""},
		{"instance-identifier", iid, "/ex:a/ex:b[ex:k='x'][o:k2=\"it's\"]/o:c[.='v']/ex:d[3]",
			want{Str: `/ex:a/b[k='x'][other:k2="it's"]/other:c[.='v']/ex:d[3]`}, "", ""},
		{"instance-identifier unknown prefix", iid, "/zz:a", want{}, `invalid instance-identifier "/zz:a" value - unknown prefix "zz"`, ""},
		{"instance-identifier syntax", iid, "/ex:a[", want{}, `invalid instance-identifier "/ex:a[" value - unterminated predicate at offset 6`, ""},
		{"leafref follows target", lref, "+12", want{Str: "12", Num: num(12), Type: lref}, "", ""},
		{"leafref target type error", lref, "x", want{}, `invalid int16 value "x"`, ""},
		{"leafref to identityref", lrefID, "o:quic", want{Str: "other:quic", Ident: "other:quic", Type: lrefID}, "", ""},
		{"leafref to union, string first", lrefStrFirst, "ex:tcp", want{Str: "ex:tcp", Type: lrefStrFirst}, "", ""},
		{"leafref to union, identityref first", lrefIDFirst, "ex:tcp", want{Str: "ex:tcp", Ident: "ex:tcp", Type: lrefIDFirst}, "", ""},
		{"leafref to union, other member", lrefIDFirst, "7", want{Str: "7", Num: num(7), Type: lrefIDFirst}, "", ""},
		{"leafref without target", lrefNil, " x ", want{Str: " x ", Type: lrefNil}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := data.ParseValue(tt.t, tt.in, f.resolve)
			if tt.errMsg != "" {
				if err == nil {
					t.Fatalf("ParseValue(%q) = %+v, want error %q", tt.in, v, tt.errMsg)
				}
				got := [3]string{string(err.Tag), err.Message, err.AppTag}
				if diff := cmp.Diff([3]string{"invalid-value", tt.errMsg, tt.appTag}, got); diff != "" {
					t.Errorf("error mismatch (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseValue(%q): %v", tt.in, err)
			}
			wt := tt.want.Type
			if wt == nil && tt.t.Base != schema.Union {
				wt = tt.t
			}
			got := want{Str: v.Str, Num: v.Num(), Type: v.Type}
			if id := v.Identity(); id != nil {
				got.Ident = id.QName()
			}
			w := tt.want
			w.Type = wt
			if wt == nil {
				got.Type = nil
			}
			if diff := cmp.Diff(w, got, cmp.Comparer(func(a, b *schema.Type) bool { return a == b })); diff != "" {
				t.Errorf("value mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseValueCanonicalNoCopy(t *testing.T) {
	in := "1500"
	v, err := data.ParseValue(&schema.Type{Base: schema.Uint16}, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := testing.AllocsPerRun(100, func() { _, _ = data.ParseValue(&schema.Type{Base: schema.Uint16}, in, nil) }); got != 0 {
		t.Errorf("ParseValue of a canonical uint16 allocates %v times, want 0", got)
	}
	if v.Str != "1500" {
		t.Errorf("Str = %q, want 1500", v.Str)
	}
}

func TestFormatDecimal(t *testing.T) {
	tests := []struct {
		n    schema.Number
		fd   int
		want string
	}{
		{num(150), 2, "1.5"},
		{num(-1000), 2, "-10.0"},
		{num(5), 3, "0.005"},
		{num(0), 1, "0.0"},
	}
	for _, tt := range tests {
		if got := data.FormatDecimal(tt.n, tt.fd); got != tt.want {
			t.Errorf("FormatDecimal(%v, %d) = %q, want %q", tt.n, tt.fd, got, tt.want)
		}
	}
}

func FuzzParseValue(f *testing.F) {
	fx := newTypeFixture()
	types := []*schema.Type{
		{Base: schema.Int8}, {Base: schema.Uint64}, {Base: schema.Decimal64, FractionDigits: 3},
		{Base: schema.Decimal64, FractionDigits: 18}, {Base: schema.Bits, Bits: []schema.Bit{{Name: "a", Position: 3}, {Name: "b", Position: 1}}},
		{Base: schema.Binary}, {Base: schema.Identityref, Bases: []*schema.Identity{fx.proto}},
		{Base: schema.InstanceIdentifier}, {Base: schema.String, Length: []schema.Interval{iv(1, 3)}},
		inetType("ipv4-address"), inetType("ipv6-address"), inetType("ipv4-prefix"), inetType("ipv6-prefix"),
	}
	for _, s := range []string{"1", "-128", "+0.5", "a b", "AQID", "ex:tcp", "/ex:a[ex:k='1'][2]", "é"} {
		f.Add(uint8(0), s)
	}
	for k, s := range []string{"1.2.3.4%eth0", "2001:DB8:0::1", "10.1.2.3/8", "::FFFF:1.2.3.4/100",
		"1:2:3:4:5:6:1.2.3.4", "::01.2.3.4", "1::2::3"} {
		f.Add(uint8(9+k%4), s)
	}
	f.Fuzz(func(t *testing.T, k uint8, s string) {
		typ := types[int(k)%len(types)]
		v, err := data.ParseValue(typ, s, fx.resolve)
		if err != nil {
			return
		}
		// The canonical form parses to itself.
		v2, err := data.ParseValue(typ, v.Str, fx.resolve)
		if typ.Base == schema.Identityref || typ.Base == schema.InstanceIdentifier {
			return // canonical form uses module names, which this resolver does not know
		}
		if err != nil {
			t.Fatalf("canonical %q of %q does not parse: %v", v.Str, s, err)
		}
		if v2.Str != v.Str || v2.Num() != v.Num() {
			t.Fatalf("canonical form of %q not stable: %q -> %q", s, v.Str, v2.Str)
		}
	})
}
