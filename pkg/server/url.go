package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

// URLOptions turn on the :url capability (RFC 6241 section 8.8): copy-config, edit-config,
// validate and delete-config take a <url> in place of a datastore or inline configuration. A
// URL is honoured only when it lies in what the options allow; everything else is refused with
// an rpc-error before anything is read or written.
type URLOptions struct {
	// Dir enables file:// URLs naming files below it (file:///DIR/name): a path that leaves
	// the directory, by .. or through a symbolic link, is refused. Files are written to a
	// temporary file, synced and renamed into place (a reader never sees half a file). Empty:
	// no file URLs.
	Dir string
	// Allow lists the http:// and https:// URL prefixes that may be read (GET), written (PUT)
	// and deleted (DELETE), as scheme://host[:port]/path: a URL matches when it has the same
	// scheme and host and its path is the prefix's path or lies below it. Redirects are followed
	// only within the list. Empty: no HTTP URLs.
	Allow []string
	// MaxSize bounds what is read from a URL, in bytes; 0 means 16 MiB, the default message
	// limit of the transports.
	MaxSize int64
	// Client makes the HTTP requests; nil means a client with a 30 s timeout. Its
	// CheckRedirect, when nil, is set to keep redirects within Allow.
	Client *http.Client
}

// DefaultURLMaxSize is URLOptions.MaxSize's default.
const DefaultURLMaxSize = 16 << 20

// urlEnabled reports whether :url is on: options given, and the ietf-netconf url feature
// enabled in the schema (without it no <url> parameter can be decoded).
func (srv *Server) urlEnabled() bool {
	o := srv.URL
	if o == nil || (o.Dir == "" && len(o.Allow) == 0) {
		return false
	}
	m := srv.Store.Schema().ModuleByNamespace(nsNetconf)
	if m == nil {
		return false
	}
	for _, f := range m.Features {
		if f.Name == "url" {
			return f.Enabled
		}
	}
	return false
}

// urlCapability is the :url capability with the schemes the options enable (RFC 6241 section
// 8.8.3: the scheme parameter is mandatory).
func (srv *Server) urlCapability() string {
	var schemes []string
	if srv.URL.Dir != "" {
		schemes = append(schemes, "file")
	}
	for _, a := range srv.URL.Allow {
		if u, err := url.Parse(a); err == nil && (u.Scheme == "http" || u.Scheme == "https") && !slices.Contains(schemes, u.Scheme) {
			schemes = append(schemes, u.Scheme)
		}
	}
	return netconf.CapURL + "?scheme=" + strings.Join(schemes, ",")
}

// advertised returns m as the hello and the yang library describe it: ietf-netconf's url
// feature is left out while :url is off, whatever the schema says, so that no client expects
// <url> to work (the operations refuse it then).
func (srv *Server) advertised(m *schema.Module) *schema.Module {
	if m.Namespace != nsNetconf || srv.urlEnabled() {
		return m
	}
	i := slices.IndexFunc(m.Features, func(f *schema.Feature) bool { return f.Name == "url" && f.Enabled })
	if i < 0 {
		return m
	}
	c := *m
	c.Features = slices.Delete(slices.Clone(m.Features), i, i+1)
	return &c
}

// urlParam returns the <url> child of the container parameter name (source or target), nil
// when it holds something else.
func urlParam(in *data.Node, name string) *data.Node {
	c := param(in, name)
	if c == nil {
		return nil
	}
	return param(c, "url")
}

// urlNotEnabled is the error of a <url> parameter while :url is off.
func urlNotEnabled() *rpcerror.Error {
	e := rpcerror.OperationNotSupported("the :url capability is not enabled on this server")
	e.Type = rpcerror.Protocol
	return e
}

// A urlTarget is a URL checked against the options: a file below Dir (rel, its path relative
// to Dir) or an allowed HTTP URL (u).
type urlTarget struct {
	raw string
	rel string
	u   *url.URL
}

// resolveURL checks the URL in p (a url parameter) against the options; errors are at p.
func (srv *Server) resolveURL(p *data.Node) (*urlTarget, *rpcerror.Error) {
	raw := strings.TrimSpace(p.Value.Str)
	bad := func(format string, args ...any) *rpcerror.Error {
		return rpcerror.InvalidValue(p.Path(), format, args...)
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() {
		return nil, bad("%q is not an absolute URL", raw)
	}
	o := srv.URL
	switch u.Scheme {
	case "file":
		if o.Dir == "" {
			e := rpcerror.OperationNotSupported("file URLs are not enabled on this server")
			e.Type, e.Path = rpcerror.Protocol, p.Path()
			return nil, e
		}
		if u.Host != "" && u.Host != "localhost" {
			return nil, bad("file URL %q names host %q: only local files are served", raw, u.Host)
		}
		if u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
			return nil, bad("file URL %q has no absolute path (file:///path)", raw)
		}
		dir, err := filepath.Abs(o.Dir)
		if err != nil {
			return nil, rpcerror.OperationFailed("the URL directory cannot be resolved")
		}
		rel, err := filepath.Rel(dir, filepath.Clean(filepath.FromSlash(u.Path)))
		if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
			return nil, bad("file URL %q lies outside the directory this server serves (%s)", raw, dir)
		}
		return &urlTarget{raw: raw, rel: rel}, nil
	case "http", "https":
		if !urlAllowed(o.Allow, u) {
			return nil, bad("URL %q is not in this server's allow-list", raw)
		}
		if u.User != nil {
			return nil, bad("URL %q carries credentials: they are not sent", raw)
		}
		return &urlTarget{raw: raw, u: u}, nil
	}
	e := rpcerror.OperationNotSupported("URL scheme %q is not supported (%s)", u.Scheme, strings.TrimPrefix(srv.urlCapability(), netconf.CapURL+"?"))
	e.Type, e.Path = rpcerror.Protocol, p.Path()
	return nil, e
}

// urlAllowed reports whether u lies under one of the prefixes.
func urlAllowed(allow []string, u *url.URL) bool {
	for _, a := range allow {
		pu, err := url.Parse(a)
		if err != nil || pu.Scheme != u.Scheme || !strings.EqualFold(pu.Host, u.Host) {
			continue
		}
		pp := pu.Path
		up := u.EscapedPath()
		if pp == "" || pp == "/" || up == pp || strings.HasPrefix(up, strings.TrimSuffix(pp, "/")+"/") {
			// A path with .. segments could climb out of the prefix on the far side.
			if !slices.Contains(strings.Split(u.Path, "/"), "..") {
				return true
			}
		}
	}
	return false
}

func (srv *Server) maxURLSize() int64 {
	if srv.URL.MaxSize > 0 {
		return srv.URL.MaxSize
	}
	return DefaultURLMaxSize
}

func (srv *Server) httpClient() *http.Client {
	c := http.Client{Timeout: 30 * time.Second}
	if srv.URL.Client != nil {
		c = *srv.URL.Client
	}
	if c.CheckRedirect == nil {
		allow := srv.URL.Allow
		c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return errors.New("too many redirects")
			}
			if !urlAllowed(allow, req.URL) {
				return fmt.Errorf("redirect to %s, outside the allow-list", req.URL.Redacted())
			}
			return nil
		}
	}
	return &c
}

// failed is the operation-failed error of a URL that could not be read or written; the cause is
// logged, the client sees what happened in general terms.
func (srv *Server) urlFailed(t *urlTarget, what string, err error) *rpcerror.Error {
	srv.Logger.Info("server: url "+what+" failed", "url", t.raw, "err", err)
	msg := fmt.Sprintf("%s %s failed", what, t.raw)
	var se interface{ HTTPStatus() string }
	switch {
	case errors.As(err, &se):
		msg += ": " + se.HTTPStatus()
	case errors.Is(err, fs.ErrNotExist):
		msg += ": no such file"
	case errors.Is(err, fs.ErrPermission):
		msg += ": permission denied"
	}
	return rpcerror.OperationFailed("%s", msg)
}

type httpStatus struct{ status string }

func (e httpStatus) Error() string      { return "HTTP " + e.status }
func (e httpStatus) HTTPStatus() string { return "HTTP " + e.status }

// tooBig is the error of a URL whose content exceeds the limit.
func tooBig(t *urlTarget, limit int64) *rpcerror.Error {
	return rpcerror.New(rpcerror.Application, rpcerror.TagTooBig, "%s holds more than %d bytes", t.raw, limit)
}

// readURL reads the document at t.
func (srv *Server) readURL(ctx context.Context, t *urlTarget) ([]byte, *rpcerror.Error) {
	limit := srv.maxURLSize()
	var r io.Reader
	if t.u == nil {
		root, err := os.OpenRoot(srv.URL.Dir)
		if err != nil {
			return nil, srv.urlFailed(t, "reading", err)
		}
		defer root.Close()
		f, err := root.Open(t.rel)
		if err != nil {
			return nil, srv.urlFailed(t, "reading", err)
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && !st.Mode().IsRegular() {
			return nil, srv.urlFailed(t, "reading", errors.New("not a regular file"))
		}
		r = f
	} else {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.u.String(), nil)
		if err != nil {
			return nil, srv.urlFailed(t, "GET", err)
		}
		resp, err := srv.httpClient().Do(req)
		if err != nil {
			return nil, srv.urlFailed(t, "GET", err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, srv.urlFailed(t, "GET", httpStatus{resp.Status})
		}
		if resp.ContentLength > limit {
			return nil, tooBig(t, limit)
		}
		r = resp.Body
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, srv.urlFailed(t, "reading", err)
	}
	if int64(len(b)) > limit {
		return nil, tooBig(t, limit)
	}
	return b, nil
}

// urlRequest sends a PUT of doc (an XML document) or a DELETE (doc nil) to t's HTTP URL; a
// status other than 2xx is an error.
func (srv *Server) urlRequest(ctx context.Context, method string, t *urlTarget, doc []byte) *rpcerror.Error {
	var body io.Reader
	if doc != nil {
		body = bytes.NewReader(doc)
	}
	req, err := http.NewRequestWithContext(ctx, method, t.u.String(), body)
	if err != nil {
		return srv.urlFailed(t, method, err)
	}
	if doc != nil {
		req.Header.Set("Content-Type", "application/xml")
	}
	resp, err := srv.httpClient().Do(req)
	if err != nil {
		return srv.urlFailed(t, method, err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return srv.urlFailed(t, method, httpStatus{resp.Status})
	}
	return nil
}

// writeURL stores doc at t: a file is written beside its final name, synced, renamed into place
// and its directory synced; an HTTP URL gets a PUT.
func (srv *Server) writeURL(ctx context.Context, t *urlTarget, doc []byte) *rpcerror.Error {
	if t.u != nil {
		return srv.urlRequest(ctx, http.MethodPut, t, doc)
	}
	root, err := os.OpenRoot(srv.URL.Dir)
	if err != nil {
		return srv.urlFailed(t, "writing", err)
	}
	defer root.Close()
	var rnd [6]byte
	rand.Read(rnd[:])
	dir := filepath.Dir(t.rel)
	tmp := filepath.Join(dir, "."+filepath.Base(t.rel)+".tmp-"+hex.EncodeToString(rnd[:]))
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return srv.urlFailed(t, "writing", err)
	}
	_, err = f.Write(doc)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = root.Rename(tmp, t.rel)
	}
	if err != nil {
		root.Remove(tmp)
		return srv.urlFailed(t, "writing", err)
	}
	if err := syncDir(root, dir); err != nil {
		return srv.urlFailed(t, "writing", err)
	}
	return nil
}

// deleteURL deletes the file or HTTP resource at t (delete-config).
func (srv *Server) deleteURL(ctx context.Context, t *urlTarget) *rpcerror.Error {
	if t.u != nil {
		return srv.urlRequest(ctx, http.MethodDelete, t, nil)
	}
	root, err := os.OpenRoot(srv.URL.Dir)
	if err != nil {
		return srv.urlFailed(t, "deleting", err)
	}
	defer root.Close()
	if st, err := root.Lstat(t.rel); err == nil && st.IsDir() {
		return srv.urlFailed(t, "deleting", errors.New("a directory"))
	}
	if err := root.Remove(t.rel); err != nil {
		return srv.urlFailed(t, "deleting", err)
	}
	if err := syncDir(root, filepath.Dir(t.rel)); err != nil {
		return srv.urlFailed(t, "deleting", err)
	}
	return nil
}

func syncDir(root *os.Root, dir string) error {
	d, err := root.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// urlConfig reads the configuration document at the url parameter p: a <config> element (or
// <data>) of the NETCONF base namespace holding configuration, or the bare top-level elements.
// It returns the configuration as the content of a <config> element (each top-level element
// declaring its namespace), as datastore.Source.Config takes it.
func (srv *Server) urlConfig(ctx context.Context, p *data.Node) ([]byte, rpcerror.List) {
	t, e := srv.resolveURL(p)
	if e != nil {
		return nil, rpcerror.List{e}
	}
	doc, e := srv.readURL(ctx, t)
	if e != nil {
		return nil, rpcerror.List{e}
	}
	tree, errs := yangxml.Unmarshal(doc, srv.Store.Schema(), yangxml.DecodeOptions{AllowEmpty: true, RejectState: true, MaxDepth: srv.MaxDepth})
	if len(errs) > 0 {
		return nil, errs
	}
	b, err := yangxml.Marshal(tree, yangxml.EncodeOptions{Schema: srv.Store.Schema()})
	if err != nil {
		return nil, rpcerror.List{rpcerror.OperationFailed("the configuration at %s cannot be encoded", t.raw)}
	}
	return b, nil
}

// urlEdit reads the <config> document at the url parameter p of an edit-config and returns its
// content, operation attributes included, with the namespace declarations of the <config>
// element carried onto each top-level element.
func (srv *Server) urlEdit(ctx context.Context, p *data.Node) ([]byte, rpcerror.List) {
	t, e := srv.resolveURL(p)
	if e != nil {
		return nil, rpcerror.List{e}
	}
	doc, e := srv.readURL(ctx, t)
	if e != nil {
		return nil, rpcerror.List{e}
	}
	content, err := configContent(doc)
	if err != nil {
		return nil, rpcerror.List{rpcerror.InvalidValue(p.Path(), "the document at %s: %v", t.raw, err)}
	}
	return content, nil
}

// configContent returns the children of the root <config> element of doc, each with the root's
// namespace declarations that it does not redeclare added to its start tag.
func configContent(doc []byte) ([]byte, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	var (
		depth     int
		rootDecls []xml.Attr
		out       []byte
	)
	cursor, end := int64(-1), int64(-1)
	for {
		off := d.InputOffset()
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.Directive:
			return nil, errors.New("a DOCTYPE or other directive is not accepted")
		case xml.StartElement:
			depth++
			switch depth {
			case 1:
				if t.Name.Local != "config" || cursor >= 0 {
					return nil, fmt.Errorf("the root element is <%s>, not <config>", t.Name.Local)
				}
				for _, a := range t.Attr {
					if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns" && a.Value != netconf.BaseNamespace) {
						rootDecls = append(rootDecls, a)
					}
				}
				cursor = d.InputOffset()
			case 2:
				// The child's start tag ends just before the decoder's offset: the root's
				// declarations that it does not make itself go at its end.
				tagEnd := d.InputOffset() - 1
				if tagEnd > off && doc[tagEnd-1] == '/' {
					tagEnd--
				}
				out = append(out, doc[cursor:tagEnd]...)
				for _, a := range rootDecls {
					if slices.ContainsFunc(t.Attr, func(b xml.Attr) bool { return b.Name == a.Name }) {
						continue
					}
					name := "xmlns"
					if a.Name.Space == "xmlns" {
						name += ":" + a.Name.Local
					}
					var v bytes.Buffer
					xml.EscapeText(&v, []byte(a.Value))
					out = append(out, ' ')
					out = append(out, name...)
					out = append(out, `="`...)
					out = append(out, v.Bytes()...)
					out = append(out, '"')
				}
				cursor = tagEnd
			}
		case xml.EndElement:
			if depth == 1 {
				end = off
			}
			depth--
		}
	}
	if cursor < 0 || end < 0 {
		return nil, errors.New("no <config> element")
	}
	return append(out, doc[cursor:end]...), nil
}
