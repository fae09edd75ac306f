#!/usr/bin/env bash
# Create the virtualenv $1 (default .venv) with Python >= 3.11.
# On Debian/Ubuntu `python3 -m venv` fails when python3-venv (ensurepip) is not
# installed: in that case install it with apt-get (through sudo when not root)
# and try again.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${1:-.venv}

py=$(scripts/find_python.sh)
echo "==> creating $venv with $py ($("$py" -V 2>&1))"

try_venv() {
  rm -rf "$venv"
  "$py" -m venv "$venv" && "$venv/bin/python" -m pip --version >/dev/null 2>&1
}

if try_venv; then exit 0; fi

rm -rf "$venv"   # a failed attempt leaves a venv without pip behind
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: '$py -m venv' failed and apt-get is not available to install python3-venv" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
ver=$("$py" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
apt=($sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600)
echo "==> '$py -m venv' failed (ensurepip missing?): installing python3-venv with apt-get"
"${apt[@]}" update
pkgs=(python3-venv)
# python3-venv pulls in the default python3.X-venv; if the interpreter found is
# another Debian python3.X, ask for its own -venv package too when it exists.
if apt-cache show "python$ver-venv" >/dev/null 2>&1; then pkgs+=("python$ver-venv"); fi
"${apt[@]}" install -y "${pkgs[@]}"

if try_venv; then exit 0; fi
rm -rf "$venv"
echo "error: could not create $venv with $py even after installing ${pkgs[*]}" >&2
exit 1
