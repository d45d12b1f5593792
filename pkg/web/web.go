package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"

	"github.com/ncws/ncws/pkg/schema"
)

//go:embed static
var static embed.FS

// Files returns the embedded files: index.html and nms/ (the page), netconf-ws/ (the client
// module, an npm package: package.json, index.js, index.d.ts, README.md).
func Files() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embedded tree has the directory
	}
	return sub
}

// Options configures Handler.
type Options struct {
	// Schema, when set, is described at /schema.json (MarshalSchema) for the page's schema tree
	// and forms. Nil: /schema.json is 404 and the page works without a schema tree.
	Schema *schema.Schema
	// ConnectOrigins are the origins ("https://device.example:8080") of NETCONF servers the
	// page may log in to and connect to besides its own (the Content-Security-Policy's
	// connect-src): a page served apart from the server. The server must list the page's origin
	// in its own allowed origins (ncws serve --allow-origin).
	ConnectOrigins []string
}

// ContentSecurityPolicy is the policy of every answer without ConnectOrigins: scripts, styles
// and connections from the page's own origin only (no inline script or style, no third-party
// request), no framing, forms posting to the own origin only.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// Handler serves the NMS page and the client module: / (index.html), /nms/..., /netconf-ws/...,
// and /schema.json, with GET and HEAD. Every answer carries the Content-Security-Policy (see
// ContentSecurityPolicy), X-Content-Type-Options: nosniff, Referrer-Policy: no-referrer and an
// ETag (Cache-Control: no-cache: the browser revalidates, a new binary is seen at once). Other
// paths are 404, other methods 405. Mount it at "/" beside /netconf and /login (pkg/agent does).
func Handler(opts Options) http.Handler {
	h := &handler{opts: opts, files: Files(), csp: ContentSecurityPolicy}
	if opts.Schema != nil {
		// Made in the background now rather than at the first request: all of OpenConfig takes a
		// few hundred milliseconds.
		go h.once.Do(h.prepare)
	}
	if len(opts.ConnectOrigins) > 0 {
		var extra []string
		for _, o := range opts.ConnectOrigins {
			o = strings.TrimSuffix(o, "/")
			extra = append(extra, o)
			if ws, ok := strings.CutPrefix(o, "http"); ok { // http -> ws, https -> wss
				extra = append(extra, "ws"+ws)
			}
		}
		h.csp = strings.Replace(h.csp, "connect-src 'self'", "connect-src 'self' "+strings.Join(extra, " "), 1)
	}
	return h
}

type handler struct {
	opts  Options
	files fs.FS
	csp   string

	once       sync.Once
	schemaJSON []byte
	schemaGz   []byte
	schemaTag  string
	schemaErr  error
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", h.csp)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("X-Frame-Options", "DENY")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hd.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	switch {
	case p == "/" || p == "/index.html":
		h.file(w, r, "index.html")
	case p == "/schema.json":
		h.schema(w, r)
	case strings.HasPrefix(p, "/nms/") || strings.HasPrefix(p, "/netconf-ws/"):
		h.file(w, r, strings.TrimPrefix(path.Clean(p), "/"))
	default:
		http.NotFound(w, r)
	}
}

// file serves one embedded file with its type and an ETag of its content.
func (h *handler) file(w http.ResponseWriter, r *http.Request, name string) {
	b, err := fs.ReadFile(h.files, name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	ct := mime.TypeByExtension(path.Ext(name))
	switch path.Ext(name) {
	case ".js":
		ct = "text/javascript; charset=utf-8"
	case ".ts":
		ct = "text/plain; charset=utf-8"
	case ".md":
		ct = "text/markdown; charset=utf-8"
	}
	if ct == "" {
		ct = "application/octet-stream"
	}
	sum := sha256.Sum256(b)
	h.send(w, r, ct, `"`+hex.EncodeToString(sum[:8])+`"`, b, nil)
}

// schema serves MarshalSchema's description, made once, gzipped for clients that accept it.
func (h *handler) schema(w http.ResponseWriter, r *http.Request) {
	if h.opts.Schema == nil {
		http.NotFound(w, r)
		return
	}
	h.once.Do(h.prepare)
	if h.schemaErr != nil {
		http.Error(w, "schema description failed", http.StatusInternalServerError)
		return
	}
	h.send(w, r, "application/json", h.schemaTag, h.schemaJSON, h.schemaGz)
}

// prepare makes the schema description and its gzipped form, once.
func (h *handler) prepare() {
	h.schemaJSON, h.schemaErr = MarshalSchema(h.opts.Schema)
	if h.schemaErr != nil {
		return
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.DefaultCompression)
	zw.Write(h.schemaJSON)
	zw.Close()
	h.schemaGz = gz.Bytes()
	sum := sha256.Sum256(h.schemaJSON)
	h.schemaTag = `"` + hex.EncodeToString(sum[:8]) + `"`
}

func (h *handler) send(w http.ResponseWriter, r *http.Request, ct, etag string, b, gz []byte) {
	hd := w.Header()
	hd.Set("Content-Type", ct)
	hd.Set("Cache-Control", "no-cache")
	hd.Set("ETag", etag)
	if gz != nil {
		hd.Add("Vary", "Accept-Encoding")
	}
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if gz != nil && acceptsGzip(r) {
		hd.Set("Content-Encoding", "gzip")
		b = gz
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(b)
	}
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") && !strings.Contains(strings.ReplaceAll(q, " ", ""), "q=0") {
			return true
		}
	}
	return false
}
