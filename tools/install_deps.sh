#!/usr/bin/env bash
# install_deps.sh - installs what ferret needs to build and test, from Debian's
# packages only (run as root, or with sudo available).  Safe to run again.
set -euo pipefail
packages=(build-essential cmake ninja-build pkg-config clang libclang-rt-dev
          libzstd-dev libxxhash-dev libjson-c-dev zlib1g-dev libcriterion-dev
          libedit-dev libexpat1-dev libutf8proc-dev
          zstd gzip perl)
# Node.js and npm run the DuckDB peer; a machine may already have them from
# another source (whose nodejs conflicts with Debian's npm): only add them if absent.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
# Headless Chromium opens the scan's report.html in tests/e2e/test_scan.sh (about a
# minute to install); FERRET_NO_CHROMIUM=1 leaves it out (that check is then skipped).
[ -n "${FERRET_NO_CHROMIUM:-}" ] || packages+=(chromium)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "installing: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
