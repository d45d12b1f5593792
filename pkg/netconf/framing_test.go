package netconf

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// readAll reads messages until an error and returns them with that error.
func readAll(r *Reader) ([]string, error) {
	var out []string
	for {
		m, err := r.ReadMessage()
		if err != nil {
			return out, err
		}
		out = append(out, string(m))
	}
}

func TestReader(t *testing.T) {
	tests := []struct {
		name    string
		framing Framing
		max     int
		in      string
		want    []string
		wantErr error  // errors.Is target
		wantMsg string // substring of the error
	}{
		{name: "eom", in: "<a/>]]>]]>\n<b>]]</b>]]>]]>", want: []string{"<a/>", "<b>]]</b>"}, wantErr: io.EOF},
		{name: "eom trailing whitespace", in: "<a/>]]>]]>\n \n", want: []string{"<a/>"}, wantErr: io.EOF},
		{name: "eom truncated", in: "<a/>]]>]]><b/>]]>", want: []string{"<a/>"}, wantErr: io.ErrUnexpectedEOF},
		{name: "eom too big", max: 4, in: "<abc/>]]>]]>", wantErr: ErrMessageTooBig},
		{name: "eom at max", max: 4, in: "<ab>]]>]]>", want: []string{"<ab>"}, wantErr: io.EOF},
		{name: "chunked", framing: Chunked, in: "\n#4\n<rpc\n#17\n message-id=\"1\"/>\n##\n\n#3\n<a/\n#1\n>\n##\n",
			want: []string{`<rpc message-id="1"/>`, "<a/>"}, wantErr: io.EOF},
		{name: "chunk with newlines and hashes", framing: Chunked, in: "\n#4\n\n##\n\n##\n", want: []string{"\n##\n"}, wantErr: io.EOF},
		{name: "zero-length chunk", framing: Chunked, in: "\n#0\n\n##\n", wantErr: ErrFraming, wantMsg: "chunk size starting with 0"},
		{name: "leading zero", framing: Chunked, in: "\n#01\na\n##\n", wantErr: ErrFraming, wantMsg: "chunk size starting with 0"},
		{name: "size over 4294967295", framing: Chunked, in: "\n#4294967296\n", wantErr: ErrFraming, wantMsg: "chunk size 4294967296 exceeds 4294967295"},
		{name: "size of 11 digits", framing: Chunked, in: "\n#12345678901\n", wantErr: ErrFraming, wantMsg: "chunk size 1234567890... exceeds"},
		{name: "max chunk size over max message", framing: Chunked, max: 100, in: "\n#4294967295\n", wantErr: ErrMessageTooBig},
		{name: "chunks over max message", framing: Chunked, max: 5, in: "\n#3\nabc\n#3\ndef\n##\n", wantErr: ErrMessageTooBig},
		{name: "end of chunks first", framing: Chunked, in: "\n##\n", wantErr: ErrFraming, wantMsg: "end of chunks before any chunk"},
		{name: "no LF", framing: Chunked, in: "#3\nabc\n##\n", wantErr: ErrFraming, wantMsg: `chunk header starts with '#'`},
		{name: "no hash", framing: Chunked, in: "\n3\nabc", wantErr: ErrFraming, wantMsg: `chunk header starts with "\n3"`},
		{name: "letter in size", framing: Chunked, in: "\n#3a\nabc", wantErr: ErrFraming, wantMsg: `invalid byte 'a' in a chunk size`},
		{name: "empty size", framing: Chunked, in: "\n#\nabc", wantErr: ErrFraming, wantMsg: `invalid byte '\n' in a chunk size`},
		{name: "bad end of chunks", framing: Chunked, in: "\n#1\na\n##x", wantErr: ErrFraming, wantMsg: `followed by 'x'`},
		{name: "short chunk", framing: Chunked, in: "\n#5\nabc", wantErr: io.ErrUnexpectedEOF},
		{name: "missing end of chunks", framing: Chunked, in: "\n#3\nabc", wantErr: io.ErrUnexpectedEOF},
		{name: "eom in chunked mode", framing: Chunked, in: "<a/>]]>]]>", wantErr: ErrFraming},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(strings.NewReader(tt.in), tt.max)
			r.SetFraming(tt.framing)
			got, err := readAll(r)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("messages mismatch (-want +got):\n%s", diff)
			}
			if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error = %v, want %v containing %q", err, tt.wantErr, tt.wantMsg)
			}
		})
	}
}

func TestWriterRoundTrip(t *testing.T) {
	msgs := []string{"<hello/>", "<rpc message-id=\"1\">\n##\n</rpc>", strings.Repeat("x", 10000)}
	for _, f := range []Framing{EndOfMessage, Chunked} {
		for _, maxChunk := range []int{0, 7} {
			var buf bytes.Buffer
			w := NewWriter(&buf)
			w.SetFraming(f)
			w.MaxChunk = maxChunk
			for _, m := range msgs {
				if err := w.WriteMessage([]byte(m)); err != nil {
					t.Fatal(err)
				}
			}
			r := NewReader(&buf, 0)
			r.SetFraming(f)
			got, err := readAll(r)
			if err != io.EOF {
				t.Errorf("framing %d: error %v after the messages, want io.EOF", f, err)
			}
			if diff := cmp.Diff(msgs, got); diff != "" {
				t.Errorf("framing %d max chunk %d: round trip mismatch (-want +got):\n%s", f, maxChunk, diff)
			}
		}
	}
}

func TestWriterBytes(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	if err := w.WriteMessage([]byte("<a/>")); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteMessage([]byte("x]]>]]>y")); !errors.Is(err, ErrDelimiterInMessage) {
		t.Errorf("WriteMessage with the delimiter: %v, want ErrDelimiterInMessage", err)
	}
	w.SetFraming(Chunked)
	w.MaxChunk = 3
	if err := w.WriteMessage([]byte("<rpc/>!")); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteMessage(nil); !errors.Is(err, ErrEmptyMessage) {
		t.Errorf("WriteMessage(nil) chunked: %v, want ErrEmptyMessage", err)
	}
	want := "<a/>]]>]]>\n#3\n<rp\n#3\nc/>\n#1\n!\n##\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("written bytes mismatch (-want +got):\n%s", diff)
	}
}

func TestReaderSwitchesFraming(t *testing.T) {
	// RFC 6242 section 4.1: hellos in end-of-message framing, then chunks on the same stream.
	r := NewReader(strings.NewReader("<hello/>]]>]]>\n#4\n<a/>\n##\n"), 0)
	if m, err := r.ReadMessage(); err != nil || string(m) != "<hello/>" {
		t.Fatalf("first message %q, %v; want <hello/>", m, err)
	}
	r.SetFraming(Chunked)
	if m, err := r.ReadMessage(); err != nil || string(m) != "<a/>" {
		t.Fatalf("second message %q, %v; want <a/>", m, err)
	}
}

func TestReaderChunkedHello(t *testing.T) {
	// ncclient's race (see ReadMessage): its hello comes chunked; only the first message may.
	r := NewReader(strings.NewReader("\n#8\n<hello/>\n##\n\n#4\n<a/>\n##\n"), 0)
	if m, err := r.ReadMessage(); err != nil || string(m) != "<hello/>" {
		t.Fatalf("chunked hello: %q, %v; want <hello/>", m, err)
	}
	r.SetFraming(Chunked)
	if m, err := r.ReadMessage(); err != nil || string(m) != "<a/>" {
		t.Fatalf("second message %q, %v; want <a/>", m, err)
	}

	// After the first message, end-of-message framing reads "\n#" as message text.
	r = NewReader(strings.NewReader("<hello/>]]>]]>\n#4\n<a/>]]>]]>"), 0)
	if m, err := r.ReadMessage(); err != nil || string(m) != "<hello/>" {
		t.Fatalf("first message %q, %v; want <hello/>", m, err)
	}
	if m, err := r.ReadMessage(); err != nil || string(m) != "#4\n<a/>" {
		t.Fatalf("second message %q, %v; want the text up to ]]>]]>", m, err)
	}

	// A broken chunked hello is a framing error, not a wait for "]]>]]>".
	r = NewReader(strings.NewReader("\n#x\n<hello/>]]>]]>"), 0)
	if _, err := r.ReadMessage(); !errors.Is(err, ErrFraming) {
		t.Fatalf("broken chunked hello: %v; want ErrFraming", err)
	}
}
