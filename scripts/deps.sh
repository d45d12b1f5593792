#!/bin/bash
# Installs the Debian packages the tests need when they are missing (as root, e.g. in CI);
# elsewhere prints what is missing and fails.
#   libyang2-tools      yanglint, for the yanglint comparison tests
#   python3-websockets  the Python NETCONF over WebSocket client of the e2e tests (/usr/bin/python3)
#   chromium            the headless browser of the e2e tests (/usr/bin/chromium)
#   python3-ncclient    the NETCONF over SSH client of the interop tests (/usr/bin/python3)
#   yangcli             yuma123's NETCONF over SSH client, the second interop client
#   gcc, pkg-config     build e2e/testdata/nc2callhome.c, the libnetconf2 call-home client
#   libnetconf2-dev     libnetconf2's client API (nc_client.h), the third interop client (call home)
#   libyang2-dev        libyang, which libnetconf2's API takes and returns
#   libssh-dev          libssh/libssh.h, included by nc_client.h (libnetconf2-dev does not depend on it)
#   libssl-dev          openssl/ssl.h, included by nc_client.h (libnetconf2-dev does not depend on it)
# (The scrapligo client of the e2e tests, and chromedp, which drives chromium for the NMS page and
# JavaScript client tests, are Go modules fetched through the module proxy.)
set -euo pipefail
need=()
why=()
command -v yanglint >/dev/null 2>&1 || { need+=(libyang2-tools); why+=("yanglint (yanglint comparison tests)"); }
/usr/bin/python3 -c 'import websockets' >/dev/null 2>&1 ||
	{ need+=(python3-websockets); why+=("the Python module websockets for /usr/bin/python3 (e2e tests)"); }
[ -x /usr/bin/chromium ] || { need+=(chromium); why+=("/usr/bin/chromium (e2e browser tests)"); }
/usr/bin/python3 -c 'import ncclient' >/dev/null 2>&1 ||
	{ need+=(python3-ncclient); why+=("the Python module ncclient for /usr/bin/python3 (SSH interop tests)"); }
command -v yangcli >/dev/null 2>&1 || { need+=(yangcli); why+=("yangcli (SSH interop tests)"); }
command -v gcc >/dev/null 2>&1 || { need+=(gcc); why+=("gcc (the libnetconf2 call-home test)"); }
command -v pkg-config >/dev/null 2>&1 || { need+=(pkg-config); why+=("pkg-config (the libnetconf2 call-home test)"); }
pkg-config --exists libnetconf2 >/dev/null 2>&1 ||
	{ need+=(libnetconf2-dev); why+=("libnetconf2's client API (the libnetconf2 call-home test)"); }
pkg-config --exists libyang >/dev/null 2>&1 ||
	{ need+=(libyang2-dev); why+=("libyang's headers (the libnetconf2 call-home test)"); }
[ -f /usr/include/libssh/libssh.h ] ||
	{ need+=(libssh-dev); why+=("libssh/libssh.h, included by nc_client.h (the libnetconf2 call-home test)"); }
[ -f /usr/include/openssl/ssl.h ] ||
	{ need+=(libssl-dev); why+=("openssl/ssl.h, included by nc_client.h (the libnetconf2 call-home test)"); }
if ! command -v go >/dev/null 2>&1; then
	echo "deps: Go is not on PATH (need Go 1.26+)" >&2; exit 1
fi
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing Debian packages: ${need[*]}" >&2
	for w in "${why[@]}"; do echo "deps:   needed for $w" >&2; done
	echo "deps: install them with: sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
	exit 1
fi
echo "deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
command -v yanglint >/dev/null || { echo "deps: yanglint still missing after install" >&2; exit 1; }
/usr/bin/python3 -c 'import websockets' ||
	{ echo "deps: /usr/bin/python3 still cannot import websockets after install" >&2; exit 1; }
[ -x /usr/bin/chromium ] || { echo "deps: /usr/bin/chromium still missing after install" >&2; exit 1; }
/usr/bin/python3 -c 'import ncclient' ||
	{ echo "deps: /usr/bin/python3 still cannot import ncclient after install" >&2; exit 1; }
command -v yangcli >/dev/null || { echo "deps: yangcli still missing after install" >&2; exit 1; }
command -v gcc >/dev/null || { echo "deps: gcc still missing after install" >&2; exit 1; }
printf '#include <nc_client.h>\n' | gcc -fsyntax-only $(pkg-config --cflags libnetconf2 libyang) -x c - ||
	{ echo "deps: nc_client.h (libnetconf2) still does not compile after install" >&2; exit 1; }
