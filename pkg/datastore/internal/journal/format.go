package journal

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
)

// On-disk format, version 1. All integers are little-endian.
//
//	segment header (36 bytes): magic "NCWSWAL\x00" | version u32 | flags u32 (0) |
//	                           first id u64 | previous segment's first id u64 | CRC-32C of the 32 bytes before
//	record frame:              body length u32 | CRC-32C of (length bytes + body) u32 | body
//	record body:               uvarint id | varint unix seconds | uvarint nanoseconds | uvarint len(user) |
//	                           user | uvarint session | payload (the rest)
//	snapshot file (40+n):      magic "NCWSSNP\x00" | version u32 | flags u32 | id u64 | length u64 |
//	                           CRC-32C of data u32 | CRC-32C of the 36 bytes before u32 | data
//	blob file (32+n):          magic "NCWSBLB\x00" | version u32 | flags u32 | length u64 |
//	                           CRC-32C of data u32 | CRC-32C of the 28 bytes before u32 | data
//
// A segment's name carries its first id: a lower bound for the ids it holds (the segment is created
// by Compact before the next id is known). Every id in a segment is below the next segment's first id.
const (
	formatVersion = 1

	segMagic       = "NCWSWAL\x00"
	segHeaderSize  = 36
	snapMagic      = "NCWSSNP\x00"
	snapHeaderSize = 40
	blobMagic      = "NCWSBLB\x00"
	blobHeaderSize = 32

	frameHeaderSize = 8
	minBodySize     = 5 // one byte each for id, seconds, nanoseconds, user length, session

	// MaxRecordSize is the largest encoded record body (id, time, user, session and payload)
	// Append accepts.
	MaxRecordSize = 256 << 20
)

// maxRecordSize is MaxRecordSize; tests lower it.
var maxRecordSize = MaxRecordSize

// castagnoli returns the CRC-32C table of the records' checksums, made on first use rather than
// when the program starts: every ncws command links the journal, only a datastore reads one (a
// sync.Once and a function: a package-level table or sync.OnceValue would be built by the
// package's initialisation).
func castagnoli() *crc32.Table {
	castagnoliOnce.Do(func() { castagnoliTable = crc32.MakeTable(crc32.Castagnoli) })
	return castagnoliTable
}

var (
	castagnoliOnce  sync.Once
	castagnoliTable *crc32.Table
)

func crc(b []byte) uint32 { return crc32.Checksum(b, castagnoli()) }

func segName(first uint64) string { return fmt.Sprintf("wal-%016x.log", first) }
func snapName(id uint64) string   { return fmt.Sprintf("snap-%016x.snap", id) }
func blobName(name string) string { return "blob-" + name }
func isTemp(name string) bool     { return strings.HasSuffix(name, ".tmp") }
func tempName(name string) string { return name + ".tmp" }

// parseName returns the id in prefix<16 lowercase hex digits>suffix.
func parseName(name, prefix, suffix string) (uint64, bool) {
	s, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return 0, false
	}
	s, ok = strings.CutSuffix(s, suffix)
	if !ok || len(s) != 16 || strings.ToLower(s) != s {
		return 0, false
	}
	id, err := strconv.ParseUint(s, 16, 64)
	return id, err == nil
}

func encodeSegHeader(first, prev uint64) []byte {
	b := make([]byte, segHeaderSize)
	copy(b, segMagic)
	binary.LittleEndian.PutUint32(b[8:], formatVersion)
	binary.LittleEndian.PutUint64(b[16:], first)
	binary.LittleEndian.PutUint64(b[24:], prev)
	binary.LittleEndian.PutUint32(b[32:], crc(b[:32]))
	return b
}

// decodeSegHeader returns the first and previous ids, or a reason the header is invalid.
func decodeSegHeader(b []byte) (first, prev uint64, reason string) {
	if len(b) < segHeaderSize {
		return 0, 0, "short segment header"
	}
	if string(b[:8]) != segMagic {
		return 0, 0, "bad segment magic"
	}
	if binary.LittleEndian.Uint32(b[32:]) != crc(b[:32]) {
		return 0, 0, "segment header checksum mismatch"
	}
	if v := binary.LittleEndian.Uint32(b[8:]); v != formatVersion {
		return 0, 0, fmt.Sprintf("unsupported segment format version %d", v)
	}
	return binary.LittleEndian.Uint64(b[16:]), binary.LittleEndian.Uint64(b[24:]), ""
}

// splitPayload is the payload size from which Append writes a record's payload apart from its
// frame's head.
const splitPayload = 64 << 10

// appendFrame appends the frame of r to buf.
func appendFrame(buf []byte, r *Record) ([]byte, error) {
	buf, err := appendFrameHead(buf, r)
	if err != nil {
		return buf, err
	}
	return append(buf, r.Payload...), nil
}

// appendFrameHead appends the frame of r without r.Payload, which follows it in the file: the
// frame's length and checksum cover the payload. A large record (a bulk load's: 60 MB) is then
// written from the payload itself instead of from a copy of it.
func appendFrameHead(buf []byte, r *Record) ([]byte, error) {
	if uint64(len(r.User))+uint64(len(r.Payload)) > uint64(maxRecordSize) {
		return buf, fmt.Errorf("%w: record %d has %d bytes of payload and user", ErrTooLarge, r.ID, len(r.User)+len(r.Payload))
	}
	start := len(buf)
	buf = append(buf, make([]byte, frameHeaderSize)...)
	buf = binary.AppendUvarint(buf, r.ID)
	buf = binary.AppendVarint(buf, r.Time.Unix())
	buf = binary.AppendUvarint(buf, uint64(r.Time.Nanosecond()))
	buf = binary.AppendUvarint(buf, uint64(len(r.User)))
	buf = append(buf, r.User...)
	buf = binary.AppendUvarint(buf, uint64(r.Session))
	n := len(buf) - start - frameHeaderSize + len(r.Payload)
	if n > maxRecordSize {
		return buf[:start], fmt.Errorf("%w: record %d encodes to %d bytes, more than %d", ErrTooLarge, r.ID, n, maxRecordSize)
	}
	binary.LittleEndian.PutUint32(buf[start:], uint32(n))
	c := crc32.Update(crc(buf[start:start+4]), castagnoli(), buf[start+frameHeaderSize:])
	c = crc32.Update(c, castagnoli(), r.Payload)
	binary.LittleEndian.PutUint32(buf[start+4:], c)
	return buf, nil
}

// frameError says why the bytes at an offset are no valid frame. Torn is true when the damage
// could come from a write that a crash interrupted (rather than from a valid checksum over
// undecodable content, which only a bug or a forgery explains).
type frameError struct {
	reason string
	torn   bool
}

// parseFrame reads the frame at the start of b and returns its body and total size.
func parseFrame(b []byte) (body []byte, n int, ferr *frameError) {
	if len(b) < frameHeaderSize {
		return nil, 0, &frameError{"short record header", true}
	}
	size := binary.LittleEndian.Uint32(b)
	if size < minBodySize || size > uint32(maxRecordSize) {
		return nil, 0, &frameError{fmt.Sprintf("bad record length %d", size), true}
	}
	n = frameHeaderSize + int(size)
	if n > len(b) {
		return nil, 0, &frameError{fmt.Sprintf("short record: %d of %d bytes", len(b), n), true}
	}
	if binary.LittleEndian.Uint32(b[4:]) != crc32.Update(crc(b[:4]), castagnoli(), b[frameHeaderSize:n]) {
		return nil, 0, &frameError{"record checksum mismatch", true}
	}
	return b[frameHeaderSize:n], n, nil
}

// decodeBody decodes a record body. The payload is copied unless it is empty (then nil); withPayload
// false leaves it nil.
func decodeBody(b []byte, withPayload bool) (Record, error) {
	var r Record
	id, n := binary.Uvarint(b)
	if n <= 0 {
		return r, fmt.Errorf("bad record id")
	}
	b = b[n:]
	sec, n := binary.Varint(b)
	if n <= 0 {
		return r, fmt.Errorf("bad record time")
	}
	b = b[n:]
	nsec, n := binary.Uvarint(b)
	if n <= 0 || nsec >= uint64(time.Second) {
		return r, fmt.Errorf("bad record time")
	}
	b = b[n:]
	ulen, n := binary.Uvarint(b)
	if n <= 0 || ulen > uint64(len(b)-n) {
		return r, fmt.Errorf("bad record user")
	}
	b = b[n:]
	user := string(b[:ulen])
	b = b[ulen:]
	sess, n := binary.Uvarint(b)
	if n <= 0 || sess > math.MaxUint32 {
		return r, fmt.Errorf("bad record session")
	}
	b = b[n:]
	if id == 0 {
		return r, fmt.Errorf("record id 0")
	}
	r = Record{ID: id, Time: time.Unix(sec, int64(nsec)).UTC(), User: user, Session: uint32(sess)}
	if withPayload && len(b) > 0 {
		r.Payload = append([]byte(nil), b...)
	}
	return r, nil
}

func encodeSnapHeader(id uint64, data []byte) []byte {
	b := make([]byte, snapHeaderSize)
	copy(b, snapMagic)
	binary.LittleEndian.PutUint32(b[8:], formatVersion)
	binary.LittleEndian.PutUint64(b[16:], id)
	binary.LittleEndian.PutUint64(b[24:], uint64(len(data)))
	binary.LittleEndian.PutUint32(b[32:], crc(data))
	binary.LittleEndian.PutUint32(b[36:], crc(b[:36]))
	return b
}

// decodeSnapshot checks a snapshot file's content and returns its id and data (aliasing b).
func decodeSnapshot(b []byte) (id uint64, data []byte, reason string) {
	if len(b) < snapHeaderSize {
		return 0, nil, "short snapshot header"
	}
	if string(b[:8]) != snapMagic {
		return 0, nil, "bad snapshot magic"
	}
	if binary.LittleEndian.Uint32(b[36:]) != crc(b[:36]) {
		return 0, nil, "snapshot header checksum mismatch"
	}
	if v := binary.LittleEndian.Uint32(b[8:]); v != formatVersion {
		return 0, nil, fmt.Sprintf("unsupported snapshot format version %d", v)
	}
	if n := binary.LittleEndian.Uint64(b[24:]); n != uint64(len(b)-snapHeaderSize) {
		return 0, nil, fmt.Sprintf("snapshot length %d, file holds %d", n, len(b)-snapHeaderSize)
	}
	data = b[snapHeaderSize:]
	if binary.LittleEndian.Uint32(b[32:]) != crc(data) {
		return 0, nil, "snapshot checksum mismatch"
	}
	return binary.LittleEndian.Uint64(b[16:]), data, ""
}

func encodeBlobHeader(data []byte) []byte {
	b := make([]byte, blobHeaderSize)
	copy(b, blobMagic)
	binary.LittleEndian.PutUint32(b[8:], formatVersion)
	binary.LittleEndian.PutUint64(b[16:], uint64(len(data)))
	binary.LittleEndian.PutUint32(b[24:], crc(data))
	binary.LittleEndian.PutUint32(b[28:], crc(b[:28]))
	return b
}

func decodeBlob(b []byte) (data []byte, reason string) {
	if len(b) < blobHeaderSize {
		return nil, "short blob header"
	}
	if string(b[:8]) != blobMagic {
		return nil, "bad blob magic"
	}
	if binary.LittleEndian.Uint32(b[28:]) != crc(b[:28]) {
		return nil, "blob header checksum mismatch"
	}
	if v := binary.LittleEndian.Uint32(b[8:]); v != formatVersion {
		return nil, fmt.Sprintf("unsupported blob format version %d", v)
	}
	if n := binary.LittleEndian.Uint64(b[16:]); n != uint64(len(b)-blobHeaderSize) {
		return nil, fmt.Sprintf("blob length %d, file holds %d", n, len(b)-blobHeaderSize)
	}
	data = b[blobHeaderSize:]
	if binary.LittleEndian.Uint32(b[24:]) != crc(data) {
		return nil, "blob checksum mismatch"
	}
	return data, ""
}
