#!/bin/bash
# Installs the Debian packages the tests need when they are missing (as root, e.g. in CI);
# elsewhere prints what is missing and fails.
set -euo pipefail
need=()
command -v yanglint >/dev/null 2>&1 || need+=(libyang2-tools)
if ! command -v go >/dev/null 2>&1; then
	echo "deps: Go is not on PATH (need Go 1.26+)" >&2; exit 1
fi
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing Debian packages: ${need[*]} (needed for the yanglint comparison tests)" >&2
	echo "deps: install them with: sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
	exit 1
fi
echo "deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
command -v yanglint >/dev/null || { echo "deps: yanglint still missing after install" >&2; exit 1; }
