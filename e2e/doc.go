// Package e2e holds end-to-end tests of the ncws binary: they build cmd/ncws once, start
// `ncws serve` as a subprocess on a loopback port with a temporary datastore and users file (made
// with `ncws passwd`), and talk NETCONF over WebSocket (draft-iijima-netconf-websocket-ps-01
// section 5) to it from clients that are not ours:
//
//   - Python's websockets library (testdata/nc_ws_client.py, run by /usr/bin/python3): subprotocol
//     negotiation, hellos, get-config and edit-config of the example device model, rpc-errors,
//     close-session (close code 1000), a wrong password (HTTP 401), and a session held open while
//     the server stops on SIGTERM (close code 1001, exit status 0);
//   - headless Chromium running a page (testdata/figure6.html) that uses the browser WebSocket API
//     as the draft's Figure 6 does, authenticated with a token from POST /login offered as the
//     second subprotocol, and the same page from an origin the server does not allow (refused
//     with 403 before the upgrade).
//
// Over the other transports (`ncws serve --ssh-listen`, `--call-home`), NETCONF clients that are
// not ours either: Debian's ncclient (ncclient_test.go: a whole session with a password and a
// public-key login; nmda_test.go: RFC 8526 get-data and edit-data through its dispatch, and the
// yang-library it reads checked by yanglint), yuma123's yangcli (yangcli_test.go: a scripted session that downloads a
// served module with get-schema), scrapligo's NETCONF driver held to base:1.0 (end-of-message
// framing checked byte by byte) and a libnetconf2 program taking RFC 8071 call home
// (thirdclient_test.go). nms_test.go drives the NMS page at / in headless Chromium (chromedp):
// login, data tree, edits and their errors, confirmed commit, notifications, reconnect after a
// restart, from a second allowed origin and refused from a third. nacm_test.go follows the
// README's three commands that add a read-only operator under NACM.
//
// TestQuickstart (quickstart_test.go) walks the README's five-minute path as a new user does, in
// a new module outside the repository: go mod init, the replace line standing in for the
// unpublished module path, go get -tool github.com/ncws/ncws/cmd/ncws, the YANG modules and
// //go:generate lines of testdata/quickstart, go generate, go mod tidy, its main.go (the
// generated interfaces implemented and served with pkg/agent, a typed state provider, a
// notification sent from an action, a second generated package augmenting the first), go build,
// then calls through `go tool ncws client` and pkg/client; README.md must show the same YANG module
// and its main.go must compile. It logs the wall time of each step.
//
// The package has no code of its own; run it with
//
//	go test -race -count=1 ./e2e
//
// Every test runs in parallel with the others (each has its own server, port, directories and
// browser), four at a time unless -parallel says otherwise: they mostly wait for subprocesses.
//
// When a client (chromium, the Python modules websockets and ncclient, yangcli, libnetconf2's
// headers) is missing, the tests that need it skip, unless CI=true or the user is root: then
// they fail, since `make deps` (scripts/deps.sh) installs them.
package e2e
