#!/usr/bin/env bash
# Make sure each COMMAND:PACKAGE pair's command is there; install the Debian package when
# it is missing and apt-get can (as root, or through passwordless sudo as on GitHub's
# runners). Used by `make test-site` and `make pdf`.
set -euo pipefail
missing=()
for pair in "$@"; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
as_root=()
[ "$(id -u)" = 0 ] || as_root=(sudo -n)
if command -v apt-get >/dev/null && { [ ${#as_root[@]} -eq 0 ] || sudo -n true 2>/dev/null; }; then
  echo "installing ${missing[*]} (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get install -y -q "${missing[@]}" ||
    { "${as_root[@]}" apt-get update -q && "${as_root[@]}" apt-get install -y -q "${missing[@]}"; }
else
  echo "missing: ${missing[*]} (install these Debian packages, or their equivalents)" >&2
  exit 1
fi
