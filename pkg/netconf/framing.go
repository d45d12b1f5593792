package netconf

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
)

// Framing is a message framing of RFC 6242 section 4.
type Framing uint8

// The framings.
const (
	// EndOfMessage ends each message with "]]>]]>" (RFC 6242 section 4.3): base:1.0 and every
	// hello.
	EndOfMessage Framing = iota
	// Chunked sends each message as chunks "\n#<size>\n<data>" ended by "\n##\n" (RFC 6242
	// section 4.2): after both peers announced base:1.1.
	Chunked
)

// DefaultMaxMessageSize is the largest message a Reader returns when its maximum is 0.
const DefaultMaxMessageSize = 16 << 20

// maxChunkSize is the largest chunk-size RFC 6242 section 4.2 allows.
const maxChunkSize = 4294967295

var (
	// ErrFraming is wrapped by the errors a Reader returns for input that breaks the framing;
	// the session must then end (RFC 6242 section 4.2).
	ErrFraming = errors.New("netconf: framing error")
	// ErrMessageTooBig is wrapped when a message is larger than the Reader's maximum.
	ErrMessageTooBig = errors.New("netconf: message too big")
	// ErrEmptyMessage is returned by a chunked Writer for an empty message, which chunked
	// framing cannot express.
	ErrEmptyMessage = errors.New("netconf: empty message")
	// ErrDelimiterInMessage is returned by an end-of-message Writer for a message that holds
	// "]]>]]>".
	ErrDelimiterInMessage = errors.New("netconf: message holds the ]]>]]> delimiter")
)

var eom = []byte("]]>]]>")

// Reader reads whole NETCONF messages from a byte stream (RFC 6242 section 4). It starts with
// EndOfMessage framing; SetFraming switches after the hellos. It is not safe for concurrent use.
type Reader struct {
	br      *bufio.Reader
	framing Framing
	max     int
	buf     []byte
	read    bool // a message was returned
}

// NewReader returns a Reader on r returning messages of at most maxSize bytes
// (DefaultMaxMessageSize when maxSize <= 0).
func NewReader(r io.Reader, maxSize int) *Reader {
	if maxSize <= 0 {
		maxSize = DefaultMaxMessageSize
	}
	return &Reader{br: bufio.NewReader(r), max: maxSize}
}

// SetFraming sets the framing of the next messages.
func (r *Reader) SetFraming(f Framing) { r.framing = f }

// Buffered returns the number of bytes read from the stream and not yet returned: more than 0
// after ReadMessage means the peer has already sent (part of) the next message.
func (r *Reader) Buffered() int { return r.br.Buffered() }

// ReadMessage returns the next message, a new slice the caller owns. It returns io.EOF when
// the stream ends between messages (in EndOfMessage framing, after nothing but whitespace),
// io.ErrUnexpectedEOF when it ends inside one, an error wrapping ErrFraming for bad chunk
// framing and one wrapping ErrMessageTooBig for a message over the maximum. After an error the
// stream is not usable. In EndOfMessage framing, whitespace before a message (such as a newline
// after the previous delimiter) is dropped.
//
// The first message may also come in chunked framing although the Reader is in EndOfMessage
// framing: ncclient (issue 524 of ncclient/ncclient, open) queues its hello, reads the server's,
// switches to chunked framing when both announced base:1.1 and only then sends its hello, now
// chunked. A message that starts with "\n#" cannot be an end-of-message one (it would not be
// XML), so reading it as chunks costs standard peers nothing; a server that did not accept it
// would wait for "]]>]]>" until its hello timeout ended the session.
func (r *Reader) ReadMessage() ([]byte, error) {
	if r.framing == Chunked {
		return r.readChunked()
	}
	if !r.read {
		r.read = true
		if p, _ := r.br.Peek(2); string(p) == "\n#" {
			return r.readChunked()
		}
	}
	return r.readEOM()
}

func (r *Reader) readEOM() ([]byte, error) {
	buf := r.buf[:0]
	for {
		part, err := r.br.ReadSlice('>')
		if len(buf) == 0 {
			part = bytes.TrimLeft(part, " \t\r\n")
		}
		buf = append(buf, part...)
		if len(buf) > r.max+len(eom) {
			return nil, fmt.Errorf("%w: more than %d bytes without ]]>]]>", ErrMessageTooBig, r.max)
		}
		if bytes.HasSuffix(buf, eom) {
			msg := bytes.Clone(buf[:len(buf)-len(eom)])
			r.buf = buf[:0]
			return msg, nil
		}
		switch {
		case err == nil, errors.Is(err, bufio.ErrBufferFull):
		case errors.Is(err, io.EOF):
			if len(buf) == 0 {
				return nil, io.EOF
			}
			return nil, io.ErrUnexpectedEOF
		default:
			return nil, err
		}
	}
}

func (r *Reader) readChunked() ([]byte, error) {
	var msg []byte
	for first := true; ; first = false {
		size, err := r.chunkHeader(first)
		if err != nil {
			return nil, err
		}
		if size == 0 { // end-of-chunks
			if msg == nil {
				return nil, fmt.Errorf("%w: end of chunks before any chunk", ErrFraming)
			}
			return msg, nil
		}
		if uint64(len(msg))+size > uint64(r.max) {
			return nil, fmt.Errorf("%w: chunks of more than %d bytes", ErrMessageTooBig, r.max)
		}
		n := len(msg)
		msg = slices.Grow(msg, int(size))[:n+int(size)]
		if _, err := io.ReadFull(r.br, msg[n:]); err != nil {
			return nil, unexpected(err)
		}
	}
}

// unexpected turns io.EOF inside a message into io.ErrUnexpectedEOF.
func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// chunkHeader reads "\n#<size>\n" and returns size, or "\n##\n" and returns 0.
func (r *Reader) chunkHeader(first bool) (uint64, error) {
	c, err := r.br.ReadByte()
	if err != nil {
		if first && errors.Is(err, io.EOF) {
			return 0, io.EOF
		}
		return 0, unexpected(err)
	}
	if c != '\n' {
		return 0, fmt.Errorf("%w: chunk header starts with %q, not \"\\n#\"", ErrFraming, c)
	}
	if c, err = r.br.ReadByte(); err != nil {
		return 0, unexpected(err)
	}
	if c != '#' {
		return 0, fmt.Errorf("%w: chunk header starts with \"\\n%c\", not \"\\n#\"", ErrFraming, c)
	}
	var digits []byte
	for {
		if c, err = r.br.ReadByte(); err != nil {
			return 0, unexpected(err)
		}
		switch {
		case c == '#' && len(digits) == 0 && !first:
			if c, err = r.br.ReadByte(); err != nil {
				return 0, unexpected(err)
			}
			if c != '\n' {
				return 0, fmt.Errorf("%w: end of chunks \"\\n##\" followed by %q, not \"\\n\"", ErrFraming, c)
			}
			return 0, nil
		case c == '#' && len(digits) == 0:
			return 0, fmt.Errorf("%w: end of chunks before any chunk", ErrFraming)
		case c >= '0' && c <= '9':
			if len(digits) == 0 && c == '0' {
				return 0, fmt.Errorf("%w: chunk size starting with 0 (zero-length chunk or leading zero)", ErrFraming)
			}
			if len(digits) == 10 {
				return 0, fmt.Errorf("%w: chunk size %s... exceeds %d", ErrFraming, digits, uint64(maxChunkSize))
			}
			digits = append(digits, c)
		case c == '\n' && len(digits) > 0:
			n, _ := strconv.ParseUint(string(digits), 10, 64)
			if n > maxChunkSize {
				return 0, fmt.Errorf("%w: chunk size %d exceeds %d", ErrFraming, n, uint64(maxChunkSize))
			}
			return n, nil
		default:
			return 0, fmt.Errorf("%w: invalid byte %q in a chunk size", ErrFraming, c)
		}
	}
}

// Writer writes whole NETCONF messages to a byte stream (RFC 6242 section 4). It starts with
// EndOfMessage framing; SetFraming switches after the hellos. It is not safe for concurrent use.
type Writer struct {
	w       io.Writer
	framing Framing
	// MaxChunk is the largest chunk a chunked message is cut into; 0 means one chunk per
	// message (up to 4294967295 bytes).
	MaxChunk int
	buf      []byte
}

// NewWriter returns a Writer on w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// SetFraming sets the framing of the next messages.
func (w *Writer) SetFraming(f Framing) { w.framing = f }

// WriteMessage writes msg as one framed message in a single Write to the underlying writer.
// It fails with ErrDelimiterInMessage in EndOfMessage framing when msg holds "]]>]]>" and with
// ErrEmptyMessage in Chunked framing when msg is empty, writing nothing.
func (w *Writer) WriteMessage(msg []byte) error {
	b := w.buf[:0]
	if w.framing == Chunked {
		if len(msg) == 0 {
			return ErrEmptyMessage
		}
		size := w.MaxChunk
		if size <= 0 || size > maxChunkSize {
			size = maxChunkSize
		}
		for rest := msg; len(rest) > 0; {
			n := min(len(rest), size)
			b = append(b, "\n#"...)
			b = strconv.AppendInt(b, int64(n), 10)
			b = append(b, '\n')
			b = append(b, rest[:n]...)
			rest = rest[n:]
		}
		b = append(b, "\n##\n"...)
	} else {
		if bytes.Contains(msg, eom) {
			return ErrDelimiterInMessage
		}
		b = append(b, msg...)
		b = append(b, eom...)
	}
	_, err := w.w.Write(b)
	if cap(b) <= 1<<20 {
		w.buf = b[:0]
	}
	return err
}
