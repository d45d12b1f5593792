package netconftest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/ncws/ncws/pkg/netconf"
)

// A step is one line (or block) of a script.
type step struct {
	line    int
	session string
	kind    string // "open", "send", "expect", "closed", "sleep", "hello"
	arg     string // user for open; duration for sleep
	raw     bool   // open without the hello exchange
	body    string
}

var (
	sendRe   = regexp.MustCompile(`^([A-Z][A-Za-z0-9]*)([<>]) ?(.*)$`)
	openRe   = regexp.MustCompile(`^open ([A-Z][A-Za-z0-9]*)(?: (\S+))?(?: (raw))?$`)
	closedRe = regexp.MustCompile(`^([A-Z][A-Za-z0-9]*) closed$`)
	sleepRe  = regexp.MustCompile(`^sleep (\S+)$`)
	nacmRe   = regexp.MustCompile(`^nacm(?: recovery-user=(\S+))?$`)
	groupRe  = regexp.MustCompile(`^external-group (\S+):((?: \S+)*)$`)
)

// parseScript reads a script:
//
//	# comment
//	open A [user] [raw]     dial as user (default "alice"); unless raw, exchange hellos
//	A> <rpc ...>            send a message (continued on the following lines)
//	A< <rpc-reply ...>      expect a message (continued on the following lines)
//	A< hello                expect a server <hello>
//	A closed                expect the server to close A's connection
//	sleep 1.5s              wait
//
// and, before the first open, what the server is (Options):
//
//	nacm [recovery-user=U]  enforce NACM (Options.NACM); U's sessions are recovery sessions
//	external-group G: U V   users U and V are in group G outside /nacm (a groups file)
//
// A message ends at a blank line or the next command. In messages, {{sid A}} stands for A's
// session-id; in expected messages, {{*}} matches any text or attribute value (in a text, any
// part of it: {"eventTime":"{{*}}"} matches a JSON text with any time), an element
// whose text is {{*}} matches any content (or, with children given, those children followed
// by any others: a netconf-session-start's source-host over a socket), and an <rpc-error>
// without <error-message> matches any message.
func parseScript(src string) ([]step, Options, error) {
	var steps []step
	var opts Options
	var cur *step
	sc := bufio.NewScanner(strings.NewReader(src))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	flush := func() {
		if cur != nil {
			cur.body = strings.TrimSpace(cur.body)
			steps = append(steps, *cur)
			cur = nil
		}
	}
	for sc.Scan() {
		n++
		line := sc.Text()
		t := strings.TrimSpace(line)
		switch {
		case t == "":
			flush()
		case strings.HasPrefix(t, "#"):
		case openRe.MatchString(t):
			flush()
			m := openRe.FindStringSubmatch(t)
			user := m[2]
			if user == "" {
				user = "alice"
			}
			steps = append(steps, step{line: n, session: m[1], kind: "open", arg: user, raw: m[3] != ""})
		case closedRe.MatchString(t):
			flush()
			steps = append(steps, step{line: n, session: closedRe.FindStringSubmatch(t)[1], kind: "closed"})
		case nacmRe.MatchString(t) || groupRe.MatchString(t):
			if len(steps) > 0 || cur != nil {
				return nil, opts, fmt.Errorf("line %d: %q must come before the first session", n, t)
			}
			if m := nacmRe.FindStringSubmatch(t); m != nil {
				opts.NACM, opts.RecoveryUser = true, m[1]
				continue
			}
			m := groupRe.FindStringSubmatch(t)
			if opts.ExternalGroups == nil {
				opts.ExternalGroups = map[string][]string{}
			}
			for _, u := range strings.Fields(m[2]) {
				opts.ExternalGroups[u] = append(opts.ExternalGroups[u], m[1])
			}
		case sleepRe.MatchString(t):
			flush()
			steps = append(steps, step{line: n, kind: "sleep", arg: sleepRe.FindStringSubmatch(t)[1]})
		case sendRe.MatchString(t):
			flush()
			m := sendRe.FindStringSubmatch(t)
			kind := "send"
			if m[2] == "<" {
				kind = "expect"
				if strings.TrimSpace(m[3]) == "hello" {
					steps = append(steps, step{line: n, session: m[1], kind: "hello"})
					continue
				}
			}
			cur = &step{line: n, session: m[1], kind: kind, body: m[3] + "\n"}
		default:
			if cur == nil {
				return nil, opts, fmt.Errorf("line %d: %q is not a command", n, t)
			}
			cur.body += line + "\n"
		}
	}
	flush()
	return steps, opts, sc.Err()
}

// xnode is a message parsed for comparison: namespaced names, attributes without namespace
// declarations, trimmed text, whitespace-only text dropped.
//
// The text of an error-path (and of a YANG-namespace non-unique) is an XPath whose prefixes
// mean the namespaces declared where it stands (RFC 6241 section 4.3): it is compared with each
// prefix replaced by {namespace}, so that a script checks that every prefix is declared, and to
// what, whatever the prefixes are.
type xnode struct {
	name  xml.Name
	attrs []xml.Attr
	text  string
	kids  []*xnode
	scope map[string]string // the prefixes in scope
}

func parseXML(b []byte) (*xnode, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	var stack []*xnode
	var root *xnode
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &xnode{name: t.Name}
			if len(stack) > 0 {
				n.scope = stack[len(stack)-1].scope
			}
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" {
					m := map[string]string{}
					for k, v := range n.scope {
						m[k] = v
					}
					m[a.Name.Local] = a.Value
					n.scope = m
				}
				if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
					continue
				}
				n.attrs = append(n.attrs, a)
			}
			sort.Slice(n.attrs, func(i, j int) bool {
				if n.attrs[i].Name.Space != n.attrs[j].Name.Space {
					return n.attrs[i].Name.Space < n.attrs[j].Name.Space
				}
				return n.attrs[i].Name.Local < n.attrs[j].Name.Local
			})
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(t)
			}
		}
	}
	if root == nil {
		return nil, fmt.Errorf("no element")
	}
	var trim func(*xnode)
	trim = func(n *xnode) {
		n.text = strings.TrimSpace(n.text)
		if (n.name.Space == netconf.BaseNamespace && n.name.Local == "error-path") ||
			(n.name.Space == netconf.YANGNamespace && n.name.Local == "non-unique") {
			n.text = resolvePrefixes(n.text, n.scope)
		}
		for _, k := range n.kids {
			trim(k)
		}
	}
	trim(root)
	return root, nil
}

// resolvePrefixes replaces each prefix of an XPath (a name followed by one ':', outside string
// literals) by {namespace}, or by {?prefix} when scope does not declare it.
func resolvePrefixes(path string, scope map[string]string) string {
	if path == wildcard {
		return path
	}
	var b strings.Builder
	for i := 0; i < len(path); {
		c := path[i]
		switch {
		case c == '\'' || c == '"':
			j := strings.IndexByte(path[i+1:], c)
			if j < 0 {
				b.WriteString(path[i:])
				return b.String()
			}
			b.WriteString(path[i : i+j+2])
			i += j + 2
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i + 1
			for j < len(path) && (path[j] == '_' || path[j] == '-' || path[j] == '.' || path[j] >= 'a' && path[j] <= 'z' ||
				path[j] >= 'A' && path[j] <= 'Z' || path[j] >= '0' && path[j] <= '9') {
				j++
			}
			if j < len(path) && path[j] == ':' && (j+1 == len(path) || path[j+1] != ':') {
				if ns, ok := scope[path[i:j]]; ok {
					b.WriteString("{" + ns + "}")
				} else {
					b.WriteString("{?" + path[i:j] + "}")
				}
				i = j + 1
				continue
			}
			b.WriteString(path[i:j])
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

const wildcard = "{{*}}"

// globMatch reports whether text matches pattern, a text with {{*}} in it standing for any
// text (a JSON document with a timestamp, say).
func globMatch(pattern, text string) bool {
	parts := strings.Split(pattern, wildcard)
	if len(parts) == 1 || !strings.HasPrefix(text, parts[0]) {
		return false
	}
	text = text[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(text, p)
		if i < 0 {
			return false
		}
		text = text[i+len(p):]
	}
	return len(text) >= len(last) && strings.HasSuffix(text, last)
}

// match compares an expected message with the actual one and describes the first difference.
func match(want, got *xnode, path string) string {
	path += "/" + got.name.Local
	if want.name != got.name {
		return fmt.Sprintf("%s: element %s {%s}, want %s {%s}", path, got.name.Local, got.name.Space, want.name.Local, want.name.Space)
	}
	if len(want.attrs) != len(got.attrs) {
		return fmt.Sprintf("%s: attributes %v, want %v", path, got.attrs, want.attrs)
	}
	for i := range want.attrs {
		if want.attrs[i].Name != got.attrs[i].Name || (want.attrs[i].Value != wildcard && want.attrs[i].Value != got.attrs[i].Value) {
			return fmt.Sprintf("%s: attributes %v, want %v", path, got.attrs, want.attrs)
		}
	}
	if want.text != wildcard && want.text != got.text && !globMatch(want.text, got.text) {
		return fmt.Sprintf("%s: text %q, want %q", path, got.text, want.text)
	}
	kids := got.kids
	if want.name.Local == "rpc-error" && !hasKid(want, "error-message") {
		kids = nil
		for _, k := range got.kids {
			if k.name.Local != "error-message" {
				kids = append(kids, k)
			}
		}
	}
	if want.text == wildcard && len(want.kids) == 0 {
		return ""
	}
	if want.text == wildcard && len(kids) > len(want.kids) {
		kids = kids[:len(want.kids)] // the children given, then any others
	}
	if len(want.kids) != len(kids) {
		var names []string
		for _, k := range kids {
			names = append(names, k.name.Local)
		}
		return fmt.Sprintf("%s: %d children %v, want %d", path, len(kids), names, len(want.kids))
	}
	for i := range want.kids {
		if d := match(want.kids[i], kids[i], path); d != "" {
			return d
		}
	}
	return ""
}

func hasKid(n *xnode, local string) bool {
	for _, k := range n.kids {
		if k.name.Local == local {
			return true
		}
	}
	return false
}

// runner runs one script.
type runner struct {
	dial     Dialer
	sessions map[string]ClientConn
	sids     map[string]string
	timeout  time.Duration
}

var sidRe = regexp.MustCompile(`\{\{sid ([A-Z][A-Za-z0-9]*)\}\}`)

func (r *runner) subst(s string) string {
	return sidRe.ReplaceAllStringFunc(s, func(m string) string {
		if id, ok := r.sids[sidRe.FindStringSubmatch(m)[1]]; ok {
			return id
		}
		return m
	})
}

var clientHello = []byte(`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities>` +
	`<capability>urn:ietf:params:netconf:base:1.0</capability>` +
	`<capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>`)

func (r *runner) run(steps []step) error {
	for _, st := range steps {
		if err := r.step(st); err != nil {
			return fmt.Errorf("line %d: %w", st.line, err)
		}
	}
	return nil
}

func (r *runner) conn(name string) (ClientConn, error) {
	c, ok := r.sessions[name]
	if !ok {
		return nil, fmt.Errorf("session %s is not open", name)
	}
	return c, nil
}

func (r *runner) recv(c ClientConn) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), r.timeout)
	defer cancel()
	return c.Recv(ctx)
}

func (r *runner) step(st step) error {
	ctx, cancel := context.WithTimeout(context.Background(), r.timeout)
	defer cancel()
	switch st.kind {
	case "sleep":
		d, err := time.ParseDuration(st.arg)
		if err != nil {
			return err
		}
		time.Sleep(d)
		return nil
	case "open":
		c, err := r.dial(ctx, st.arg)
		if err != nil {
			return fmt.Errorf("dial: %w", err)
		}
		r.sessions[st.session] = c
		if st.raw {
			return nil
		}
		if err := r.serverHello(st.session, c); err != nil {
			return err
		}
		return c.Send(ctx, clientHello)
	case "hello":
		c, err := r.conn(st.session)
		if err != nil {
			return err
		}
		return r.serverHello(st.session, c)
	case "send":
		c, err := r.conn(st.session)
		if err != nil {
			return err
		}
		return c.Send(ctx, []byte(r.subst(st.body)))
	case "expect":
		c, err := r.conn(st.session)
		if err != nil {
			return err
		}
		msg, err := r.recv(c)
		if err != nil {
			return fmt.Errorf("%s: no reply: %w", st.session, err)
		}
		want, err := parseXML([]byte(r.subst(st.body)))
		if err != nil {
			return fmt.Errorf("expected message: %w", err)
		}
		got, err := parseXML(msg)
		if err != nil {
			return fmt.Errorf("reply is not XML: %w\n%s", err, msg)
		}
		if d := match(want, got, ""); d != "" {
			return fmt.Errorf("%s: reply differs: %s\n got: %s\nwant: %s", st.session, d, msg, strings.TrimSpace(r.subst(st.body)))
		}
		return nil
	case "closed":
		c, err := r.conn(st.session)
		if err != nil {
			return err
		}
		msg, err := r.recv(c)
		if err == nil {
			return fmt.Errorf("%s: expected the connection to close, got %s", st.session, msg)
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%s: still open after %v", st.session, r.timeout)
		}
		delete(r.sessions, st.session)
		return nil
	}
	return fmt.Errorf("unknown step %q", st.kind)
}

// serverHello reads the server's hello on c and records its session-id for session.
func (r *runner) serverHello(session string, c ClientConn) error {
	msg, err := r.recv(c)
	if err != nil {
		return fmt.Errorf("server hello: %w", err)
	}
	id, err := helloSessionID(msg)
	if err != nil {
		return err
	}
	r.sids[session] = id
	return nil
}

var sidElemRe = regexp.MustCompile(`<(?:[A-Za-z_][\w.-]*:)?session-id>\s*(\d+)\s*<`)

func helloSessionID(msg []byte) (string, error) {
	if !bytes.Contains(msg, []byte("hello")) {
		return "", fmt.Errorf("expected a hello, got %s", msg)
	}
	m := sidElemRe.FindSubmatch(msg)
	if m == nil {
		return "", fmt.Errorf("server hello without session-id: %s", msg)
	}
	return string(m[1]), nil
}

func (r *runner) close() {
	for _, c := range r.sessions {
		c.Close()
	}
}
