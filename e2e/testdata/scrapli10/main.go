// Command scrapli10 is a NETCONF over SSH session with scrapligo's NETCONF driver
// (github.com/scrapli/scrapligo/driver/netconf) against `ncws serve --ssh-listen`, held to
// base:1.0: the client's hello announces only urn:ietf:params:netconf:base:1.0, so both peers
// keep the end-of-message framing of RFC 6242 section 4.3 for the whole session. It prints one
// line per step for e2e/thirdclient_test.go to compare, and checks every byte that crossed the
// SSH channel (recorded by a wrapper around scrapligo's own transport): each message in either
// direction ends with "]]>]]>" and no chunk header ("\n#SIZE\n") appears. Usage:
//
//	scrapli10 HOST PORT WIRELOG   (NCWS_USER and NCWS_PASSWORD in the environment)
//
// WIRELOG receives the bytes written (">>> ") and read ("<<< ").
package main

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/scrapli/scrapligo/driver/netconf"
	"github.com/scrapli/scrapligo/driver/opoptions"
	"github.com/scrapli/scrapligo/driver/options"
	"github.com/scrapli/scrapligo/transport"
)

const ns = "urn:ncws:yang:ncws-example"

// recorder is scrapligo's standard (x/crypto/ssh) transport, recording what crosses the channel.
// It holds the end of the stream back for a moment: scrapligo's channel stops handing out the
// data it has queued once its transport has ended, and the server closes the channel right
// after its reply to close-session.
type recorder struct {
	*transport.Standard
	mu            sync.Mutex
	wrote, readIn bytes.Buffer
	log           *os.File
	ended         chan struct{} // closed at the first read error (the server closed the channel)
	endOnce       sync.Once
}

func (r *recorder) Read(n int) ([]byte, error) {
	b, err := r.Standard.Read(n)
	r.mu.Lock()
	if len(b) > 0 {
		r.readIn.Write(b)
		fmt.Fprintf(r.log, "<<< %q\n", b)
	}
	if err != nil {
		fmt.Fprintf(r.log, "<<< end: %v\n", err)
	}
	r.mu.Unlock()
	if err != nil {
		r.endOnce.Do(func() { close(r.ended) })
		time.Sleep(500 * time.Millisecond)
	}
	return b, err
}

func (r *recorder) Write(b []byte) error {
	r.mu.Lock()
	r.wrote.Write(b)
	fmt.Fprintf(r.log, ">>> %q\n", b)
	r.mu.Unlock()
	return r.Standard.Write(b)
}

// eomMessages splits a stream in end-of-message framing and reports whether it is nothing but
// such messages: XML (starting with "<" after whitespace) ended by "]]>]]>", and whitespace
// after the last one.
func eomMessages(b []byte) (n int, ok bool) {
	parts := bytes.Split(b, []byte("]]>]]>"))
	ok = len(bytes.TrimSpace(parts[len(parts)-1])) == 0
	for _, p := range parts[:len(parts)-1] {
		ok = ok && bytes.HasPrefix(bytes.TrimSpace(p), []byte("<"))
	}
	return len(parts) - 1, ok
}

var chunkHeader = regexp.MustCompile(`\n#([0-9]+|#)\n`)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: scrapli10 HOST PORT WIRELOG")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3]); err != nil {
		fmt.Fprintln(os.Stderr, "scrapli10:", err)
		os.Exit(1)
	}
}

func run(host, portArg, wirelog string) error {
	port, err := strconv.Atoi(portArg)
	if err != nil {
		return err
	}
	log, err := os.Create(wirelog)
	if err != nil {
		return err
	}
	defer log.Close()
	std, err := transport.NewStandardTransport(&transport.SSHArgs{NetconfConnection: true})
	if err != nil {
		return err
	}
	rec := &recorder{Standard: std, log: log, ended: make(chan struct{})}
	d, err := netconf.NewDriver(host,
		options.WithPort(port),
		options.WithAuthUsername(os.Getenv("NCWS_USER")),
		options.WithAuthPassword(os.Getenv("NCWS_PASSWORD")),
		options.WithAuthNoStrictKey(),
		options.WithCustomTransport(rec),
		options.WithNetconfPreferredVersion(netconf.V1Dot0),
		options.WithTimeoutOps(30*time.Second),
	)
	if err != nil {
		return err
	}
	if err := d.Open(); err != nil {
		return fmt.Errorf("open: %w", err)
	}
	// d.Close is not called: after close-session the server ends the session, and the
	// driver's reader then waits to hand the end of the stream to an rpc that never comes.
	fmt.Printf("connected session-id=%d version=%s\n", d.SessionID(), d.SelectedVersion)
	fmt.Printf("server announces base:1.1 %v base:1.0 %v\n",
		d.ServerHasCapability("urn:ietf:params:netconf:base:1.1"),
		d.ServerHasCapability("urn:ietf:params:netconf:base:1.0"))

	r, err := d.GetConfig("running")
	if err != nil {
		return fmt.Errorf("get-config: %w", err)
	}
	fmt.Printf("get-config failed=%v has eth9 %v\n", r.Failed != nil, strings.Contains(r.Result, "<name>eth9</name>"))

	cfg := `<config><interfaces xmlns="` + ns + `" xmlns:ex="` + ns + `">` +
		`<interface><name>eth9</name><type>ex:ethernet</type><mtu>9000</mtu></interface>` +
		`</interfaces></config>`
	r, err = d.EditConfig("running", cfg)
	if err != nil {
		return fmt.Errorf("edit-config: %w", err)
	}
	fmt.Printf("edit-config failed=%v ok %v\n", r.Failed != nil, strings.Contains(r.Result, "<ok/>"))

	r, err = d.GetConfig("running")
	if err != nil {
		return fmt.Errorf("get-config: %w", err)
	}
	fmt.Printf("get-config failed=%v has eth9 %v mtu 9000 %v\n", r.Failed != nil,
		strings.Contains(r.Result, "<name>eth9</name>"), strings.Contains(r.Result, "<mtu>9000</mtu>"))

	bad := `<config><interfaces xmlns="` + ns + `"><interface><name>eth9</name><mtu>20</mtu></interface></interfaces></config>`
	r, err = d.EditConfig("running", bad)
	if err != nil {
		return fmt.Errorf("invalid edit-config: %w", err)
	}
	tag := regexp.MustCompile(`<error-tag>([^<]*)</error-tag>`).FindStringSubmatch(r.Result)
	path := regexp.MustCompile(`(?s)<error-path[^>]*>\s*([^<]*?)\s*</error-path>`).FindStringSubmatch(r.Result)
	if r.Failed == nil || tag == nil || path == nil {
		return fmt.Errorf("invalid edit-config: want an rpc-error with error-tag and error-path, got %s", r.Result)
	}
	fmt.Printf("invalid edit failed=%v error-tag=%s error-path=%s\n", r.Failed != nil, tag[1], path[1])

	r, err = d.RPC(opoptions.WithFilter("<close-session/>"))
	if err != nil {
		return fmt.Errorf("close-session: %w", err)
	}
	fmt.Printf("close-session failed=%v ok %v\n", r.Failed != nil, strings.Contains(r.Result, "<ok/>"))
	select {
	case <-rec.ended:
	case <-time.After(10 * time.Second):
		return fmt.Errorf("the server did not close the channel after close-session")
	}
	fmt.Println("server closed the channel")

	rec.mu.Lock()
	defer rec.mu.Unlock()
	hello, _, _ := bytes.Cut(rec.wrote.Bytes(), []byte("]]>]]>"))
	fmt.Printf("wire client hello announces base:1.0 %v base:1.1 %v\n",
		bytes.Contains(hello, []byte("urn:ietf:params:netconf:base:1.0")),
		bytes.Contains(hello, []byte("urn:ietf:params:netconf:base:1.1")))
	for _, dir := range []struct {
		name string
		b    []byte
	}{{"wrote", rec.wrote.Bytes()}, {"read", rec.readIn.Bytes()}} {
		n, ok := eomMessages(dir.b)
		fmt.Printf("wire %s %d end-of-message framed messages, nothing else %v, chunk headers %d\n",
			dir.name, n, ok, len(chunkHeader.FindAll(dir.b, -1)))
	}
	return nil
}
