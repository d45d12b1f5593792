package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/netconftest"
	"github.com/ncws/ncws/pkg/server"
)

// urlSession serves srv (with URL set by the caller) and returns a function that sends one
// operation and returns the reply's error tags ("ok" for <ok/>, the reply for data).
func urlSession(t *testing.T, srv *server.Server) func(op string) string {
	c := dial(t, srv)
	return func(op string) string {
		t.Helper()
		r := roundTrip(t, c, `<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">`+op+`</rpc>`)
		rep, err := netconf.DecodeReply([]byte(r))
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Errors) > 0 {
			var tags []string
			for _, e := range rep.Errors {
				tags = append(tags, string(e.Tag)+" "+e.Path+" "+e.Message)
			}
			return strings.Join(tags, "; ")
		}
		if strings.Contains(r, "<ok/>") {
			return "ok"
		}
		return r
	}
}

const (
	tns      = `xmlns="urn:ncws:test:nctest"`
	getName  = `<get-config><source><running/></source><filter><top ` + tns + `><name/></top></filter></get-config>`
	setNameX = `<edit-config><target><running/></target><config><top ` + tns + `><name>x</name></top></config></edit-config>`
)

func copyTo(url, from string) string {
	return `<copy-config><target><url>` + url + `</url></target><source><` + from + `/></source></copy-config>`
}

func copyFrom(url, to string) string {
	return `<copy-config><target><` + to + `/></target><source><url>` + url + `</url></source></copy-config>`
}

// TestURLOff: without URLOptions, :url is not announced, nor ietf-netconf's url feature (in the
// hello and the yang library), and a <url> parameter is operation-not-supported.
func TestURLOff(t *testing.T) {
	srv := netconftest.NewServer(t)
	caps := strings.Join(srv.Capabilities(), "\n")
	if strings.Contains(caps, "capability:url") {
		t.Errorf(":url announced while off")
	}
	for _, c := range srv.Capabilities() {
		if strings.Contains(c, "module=ietf-netconf&") && strings.Contains(c, "url") {
			t.Errorf("ietf-netconf's url feature announced while :url is off: %s", c)
		}
	}
	rpc := urlSession(t, srv)
	if got := rpc(copyTo("file:///tmp/x.xml", "running")); !strings.HasPrefix(got, "operation-not-supported") {
		t.Errorf("copy-config to a URL while off: %s", got)
	}
	lib := rpc(`<get><filter><yang-library xmlns="urn:ietf:params:xml:ns:yang:ietf-yang-library"><module-set><module><name>ietf-netconf</name><feature/></module></module-set></yang-library></filter></get>`)
	if !strings.Contains(lib, "<feature>candidate</feature>") || strings.Contains(lib, "<feature>url</feature>") {
		t.Errorf("yang library's ietf-netconf features while :url is off: %s", lib)
	}
}

// TestURLFile: file:// URLs below the configured directory: copy-config both ways, edit-config,
// validate, delete-config; writes are atomic (no temporary file left) and what leaves the
// directory or exceeds the size limit is refused.
func TestURLFile(t *testing.T) {
	dir := t.TempDir()
	srv := netconftest.NewServer(t)
	srv.URL = &server.URLOptions{Dir: dir, MaxSize: 4096}
	caps := strings.Join(srv.Capabilities(), "\n")
	if !strings.Contains(caps, "urn:ietf:params:netconf:capability:url:1.0?scheme=file\n") {
		t.Errorf("hello lacks :url with scheme=file:\n%s", caps)
	}
	if !strings.Contains(caps, ",url") && !strings.Contains(caps, "=url") {
		t.Errorf("ietf-netconf's url feature not announced while :url is on")
	}
	rpc := urlSession(t, srv)
	u := "file://" + filepath.ToSlash(dir)
	want := func(what, got, prefix string) {
		t.Helper()
		if !strings.HasPrefix(got, prefix) {
			t.Errorf("%s: %s; want %s...", what, got, prefix)
		}
	}
	want("edit", rpc(setNameX), "ok")
	want("copy running to a file", rpc(copyTo(u+"/saved.xml", "running")), "ok")
	b, err := os.ReadFile(filepath.Join(dir, "saved.xml"))
	if err != nil || !strings.HasPrefix(string(b), `<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><top xmlns="urn:ncws:test:nctest"><name>x</name>`) {
		t.Errorf("saved.xml = %q, %v", b, err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("the directory holds %d entries; want saved.xml only", len(ents))
	}
	want("edit", rpc(`<edit-config><target><running/></target><config><top `+tns+`><name>y</name></top></config></edit-config>`), "ok")
	want("copy the file back into running", rpc(copyFrom(u+"/saved.xml", "running")), "ok")
	if got := rpc(getName); !strings.Contains(got, "<name>x</name>") {
		t.Errorf("running after the copy from the file: %s", got)
	}
	want("validate the file", rpc(`<validate><source><url>`+u+`/saved.xml</url></source></validate>`), "ok")

	// An edit from a file: the <config> element's declarations reach its content; operations.
	edit := `<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:t="urn:ncws:test:nctest" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"><t:top><t:name nc:operation="replace">z</t:name><t:item nc:operation="create"><t:id>4</t:id></t:item></t:top></config>`
	os.WriteFile(filepath.Join(dir, "edit.xml"), []byte(edit), 0o600)
	want("edit-config from a file", rpc(`<edit-config><target><running/></target><url>`+u+`/edit.xml</url></edit-config>`), "ok")
	if got := rpc(getName); !strings.Contains(got, "<name>z</name>") {
		t.Errorf("running after the edit from a file: %s", got)
	}
	want("the same create again", rpc(`<edit-config><target><running/></target><url>`+u+`/edit.xml</url></edit-config>`), "data-exists")

	// Invalid content is reported as for inline configuration.
	os.WriteFile(filepath.Join(dir, "bad.xml"), []byte(`<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><top `+tns+`><mtu>5</mtu></top></config>`), 0o600)
	want("validate an invalid file", rpc(`<validate><source><url>`+u+`/bad.xml</url></source></validate>`), "invalid-value")
	os.WriteFile(filepath.Join(dir, "dtd.xml"), []byte(`<?xml version="1.0"?><!DOCTYPE config [<!ENTITY e "x">]><config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>`), 0o600)
	want("an edit with a DOCTYPE", rpc(`<edit-config><target><running/></target><url>`+u+`/dtd.xml</url></edit-config>`), "invalid-value")

	// Outside the directory, through .. or a symbolic link; another host; too big; missing.
	urlPath := "/nc:rpc/nc:copy-config/nc:source/nc:url"
	want("..", rpc(copyFrom(u+"/../secret.xml", "candidate")), "invalid-value "+urlPath)
	want("an absolute path elsewhere", rpc(copyFrom("file:///etc/passwd", "candidate")), "invalid-value "+urlPath)
	want("another host", rpc(copyFrom("file://example.net"+filepath.ToSlash(dir)+"/saved.xml", "candidate")), "invalid-value")
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "o.xml"), []byte(`<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>`), 0o600)
	if err := os.Symlink(outside, filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	want("a symbolic link out of the directory", rpc(copyFrom(u+"/link/o.xml", "candidate")), "operation-failed")
	want("writing through the link", rpc(copyTo(u+"/link/w.xml", "running")), "operation-failed")
	if _, err := os.Stat(filepath.Join(outside, "w.xml")); err == nil {
		t.Errorf("a file was written outside the directory")
	}
	os.WriteFile(filepath.Join(dir, "big.xml"), []byte(`<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><top `+tns+`><name>`+strings.Repeat("n", 5000)+`</name></top></config>`), 0o600)
	want("a file over the size limit", rpc(copyFrom(u+"/big.xml", "candidate")), "too-big")
	want("a missing file", rpc(copyFrom(u+"/missing.xml", "candidate")), "operation-failed")
	want("ftp", rpc(copyFrom("ftp://example.net/a.xml", "candidate")), "operation-not-supported")

	want("delete-config of the file", rpc(`<delete-config><target><url>`+u+`/saved.xml</url></target></delete-config>`), "ok")
	if _, err := os.Stat(filepath.Join(dir, "saved.xml")); !os.IsNotExist(err) {
		t.Errorf("saved.xml still there after delete-config: %v", err)
	}
}

// TestURLHTTP: http:// URLs under the allow-list, against a real HTTP server on a loopback
// port: PUT, GET, DELETE; a URL outside the list, a redirect out of it and an error status are
// refused.
func TestURLHTTP(t *testing.T) {
	var mu sync.Mutex
	files := map[string][]byte{}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case r.URL.Path == "/cfg/away.xml":
			http.Redirect(w, r, "/other/x.xml", http.StatusFound)
		case r.Method == http.MethodPut:
			b, _ := io.ReadAll(r.Body)
			files[r.URL.Path] = b
			w.WriteHeader(http.StatusCreated)
		case r.Method == http.MethodGet && files[r.URL.Path] != nil:
			w.Write(files[r.URL.Path])
		case r.Method == http.MethodDelete && files[r.URL.Path] != nil:
			delete(files, r.URL.Path)
			w.WriteHeader(http.StatusNoContent)
		default:
			http.NotFound(w, r)
		}
	}))
	defer ts.Close()
	srv := netconftest.NewServer(t)
	srv.URL = &server.URLOptions{Allow: []string{ts.URL + "/cfg/"}}
	if caps := strings.Join(srv.Capabilities(), "\n"); !strings.Contains(caps, "capability:url:1.0?scheme=http\n") {
		t.Errorf("hello lacks :url with scheme=http:\n%s", caps)
	}
	rpc := urlSession(t, srv)
	want := func(what, got, prefix string) {
		t.Helper()
		if !strings.HasPrefix(got, prefix) {
			t.Errorf("%s: %s; want %s...", what, got, prefix)
		}
	}
	want("edit", rpc(setNameX), "ok")
	want("PUT", rpc(copyTo(ts.URL+"/cfg/a.xml", "running")), "ok")
	mu.Lock()
	put := string(files["/cfg/a.xml"])
	mu.Unlock()
	if !strings.Contains(put, "<name>x</name>") {
		t.Errorf("the server got %q", put)
	}
	want("GET into the candidate", rpc(copyFrom(ts.URL+"/cfg/a.xml", "candidate")), "ok")
	want("validate", rpc(`<validate><source><url>`+ts.URL+`/cfg/a.xml</url></source></validate>`), "ok")
	want("outside the allow-list", rpc(copyTo(ts.URL+"/other/a.xml", "running")), "invalid-value")
	want("climbing out with ..", rpc(copyFrom(ts.URL+"/cfg/../other/a.xml", "candidate")), "invalid-value")
	want("https not allowed", rpc(copyFrom(strings.Replace(ts.URL, "http:", "https:", 1)+"/cfg/a.xml", "candidate")), "invalid-value")
	want("a redirect out of the list", rpc(copyFrom(ts.URL+"/cfg/away.xml", "candidate")), "operation-failed")
	want("404", rpc(copyFrom(ts.URL+"/cfg/none.xml", "candidate")), "operation-failed")
	want("DELETE", rpc(`<delete-config><target><url>`+ts.URL+`/cfg/a.xml</url></target></delete-config>`), "ok")
	mu.Lock()
	_, left := files["/cfg/a.xml"]
	mu.Unlock()
	if left {
		t.Errorf("the resource is still there after delete-config")
	}
}
