#!/usr/bin/env bash
# Make sure each COMMAND:PACKAGE pair's command is there; install the Debian package when
# it is missing and apt-get can (as root, as CI runs). Used by `make test-site` / `make pdf`.
set -euo pipefail
missing=()
for pair in "$@"; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  echo "installing ${missing[*]} (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "${missing[@]}" || { apt-get update -q && apt-get install -y -q "${missing[@]}"; }
else
  echo "missing: ${missing[*]} (install these Debian packages, or their equivalents)" >&2
  exit 1
fi
