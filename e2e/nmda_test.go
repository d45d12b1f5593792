package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/yang"
)

// TestNcclientNMDA: Debian's ncclient over SSH sends RFC 8526's get-data and edit-data through
// its dispatch (it has no NMDA operations of its own) to ncws serve: the hello's yang-library
// 1.1 and 1.0 and with-operational-defaults capabilities; edit-data of running; get-data of
// running and of the operational datastore with origins (the example device's port state
// learned, its clock the system's), config-filter, an XPath filter, max-depth (running holds the
// interfaces and the /nacm the first start wrote); the errors for
// with-origin on candidate and edit-data of operational. yanglint then accepts the
// /yang-library and /modules-state the client read, origins included, against
// ietf-yang-library and ietf-origin.
func TestNcclientNMDA(t *testing.T) {
	t.Parallel()
	needNcclient(t)
	s := startServer(t, "--ssh-listen", "127.0.0.1:0")
	host, port := s.sshAddr(t)
	lib := filepath.Join(t.TempDir(), "library.xml")

	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "testdata/ncclient_nmda.py", host, port, lib)
	cmd.Env = append(os.Environ(), "NCWS_USER="+testUser, "NCWS_PASSWORD="+testPassword)
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("ncclient_nmda.py: %v\n%s", err, out)
	}
	want := []string{
		"capability urn:ietf:params:netconf:capability:yang-library:1.1 True",
		"capability urn:ietf:params:netconf:capability:yang-library:1.0 True",
		"capability urn:ietf:params:netconf:capability:with-operational-defaults:1.0 True",
		"edit-data running ok True",
		"running interfaces eth9",
		"operational interfaces origin or:intended",
		"operational eth9 description nmda",
		"operational eth9 oper-status origin or:learned statistics origin or:learned",
		"operational system state only True uptime origin or:system",
		"running max-depth 1 interfaces/,nacm/",
		"with-origin on candidate error-tag=invalid-value",
		"edit-data operational error-tag=invalid-value",
		"content-id announced True",
		"closed",
	}
	got := strings.Split(strings.TrimSpace(string(out)), "\n")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ncclient NMDA session mismatch (-want +got):\n%s", diff)
	}

	b, err := os.ReadFile(lib)
	if err != nil {
		t.Fatal(err)
	}
	for _, top := range []string{"<yang-library ", "<modules-state ", "<content-id>", "<module-set-id>", `or:origin="or:system"`} {
		if !strings.Contains(string(b), top) {
			t.Fatalf("the yang-library data ncclient read lacks %s:\n%s", top, b)
		}
	}
	yanglint, err := exec.LookPath("yanglint")
	need(t, "yanglint", err)
	dir := t.TempDir()
	if err := yang.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	lint := exec.Command(yanglint, "-p", dir, filepath.Join(dir, "ietf-yang-library@2019-01-04.yang"),
		filepath.Join(dir, "ietf-datastores@2018-02-14.yang"), filepath.Join(dir, "ietf-origin@2018-02-14.yang"), lib)
	if out, err := lint.CombinedOutput(); err != nil {
		t.Errorf("yanglint refuses the yang-library data ncclient read: %v\n%s\n%s", err, out, b)
	}
}
