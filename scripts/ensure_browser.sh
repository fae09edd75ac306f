#!/usr/bin/env bash
# Make sure the e2e tests can drive a browser:
#  * Debian's Chromium at /usr/bin/chromium (+ chromium-driver, CJK fonts);
#    we never run `playwright install`;
#  * libatomic1: the Node.js driver bundled in the `playwright` wheel links
#    libatomic.so.1, which a minimal Debian does not have.
# Installs only what is missing (apt-get update first; sudo when not root).
# Optional $1: the venv, to check that its Playwright driver has all its libraries.
set -euo pipefail
venv=${1:-}
export PATH="$PATH:/usr/sbin:/sbin"   # ldconfig for non-root users

pkgs=()
if [ ! -x /usr/bin/chromium ]; then
  pkgs+=(chromium chromium-driver fonts-noto-cjk)
fi
if ! ldconfig -p 2>/dev/null | grep -q 'libatomic\.so\.1 '; then
  pkgs+=(libatomic1)
fi

if [ ${#pkgs[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: missing ${pkgs[*]} and apt-get is not available; install them by hand" >&2
    exit 1
  fi
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  # Lock::Timeout: wait for (rather than fail on) an apt/dpkg run already under way.
  apt=($sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900)
  echo "==> installing ${pkgs[*]}"
  "${apt[@]}" update
  "${apt[@]}" install -y "${pkgs[@]}"
fi
echo "==> /usr/bin/chromium: $(/usr/bin/chromium --version 2>/dev/null | head -n1)"

if [ -n "$venv" ]; then
  driver=$(ls -d "$venv"/lib/python3*/site-packages/playwright/driver/node 2>/dev/null | head -n1 || true)
  if [ -n "$driver" ]; then
    missing=$(ldd "$driver" 2>/dev/null | grep 'not found' || true)
    if [ -n "$missing" ]; then
      echo "error: the Playwright driver $driver is missing shared libraries:" >&2
      echo "$missing" >&2
      exit 1
    fi
  fi
fi
