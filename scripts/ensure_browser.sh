#!/usr/bin/env bash
# Make sure Debian's Chromium is installed at /usr/bin/chromium (the e2e tests
# drive it through the `playwright` Python package; we never run
# `playwright install`). Does nothing when it is already there.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "==> /usr/bin/chromium present: $(/usr/bin/chromium --version 2>/dev/null | head -n1)"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: /usr/bin/chromium is missing and apt-get is not available; install Chromium by hand" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
# Lock::Timeout: wait for (rather than fail on) an apt/dpkg run already under way.
apt=($sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900)
echo "==> /usr/bin/chromium missing: installing chromium chromium-driver fonts-noto-cjk"
"${apt[@]}" update
"${apt[@]}" install -y chromium chromium-driver fonts-noto-cjk
/usr/bin/chromium --version
