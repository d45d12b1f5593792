package datastore

import (
	"encoding/json"
	"testing"
)

// appendJSONString must give back, through encoding/json, what json.Marshal's encoding does:
// the journal's records are read by json.Unmarshal.
func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{
		"",
		`<a xmlns="urn:x">b &amp; "c" \ d</a>`,
		"tab\there, newline\n, cr\r, nul\x00, bell\x07, esc\x1b, del\x7f",
		"é ü 日本 \u2028 \u2029 🙂",
		"bad utf-8 \xff\xfe here",
	} {
		b := appendJSONString([]byte("x"), []byte(s))
		if b[0] != 'x' {
			t.Fatalf("%q: prefix lost", s)
		}
		var got, want string
		if err := json.Unmarshal(b[1:], &got); err != nil {
			t.Fatalf("%q: %s does not decode: %v", s, b[1:], err)
		}
		m, _ := json.Marshal(s)
		if err := json.Unmarshal(m, &want); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%q: decoded %q, json.Marshal's round trip gives %q", s, got, want)
		}
		if n := jsonStringLen([]byte(s)); n != len(b)-1 && s != "bad utf-8 \xff\xfe here" {
			t.Errorf("%q: jsonStringLen %d, literal is %d bytes", s, n, len(b)-1)
		}
	}
}
