#!/usr/bin/env bash
# Print the path of a Python interpreter >= 3.11 (python3.11 preferred, then
# python3). Honours $PYTHON if set. Exits non-zero with a message otherwise.
set -euo pipefail

ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; }

if [ -n "${PYTHON:-}" ]; then
  if ok "$PYTHON"; then command -v "$PYTHON"; exit 0; fi
  echo "error: PYTHON=$PYTHON is not a Python >= 3.11" >&2
  exit 1
fi
for cand in python3.11 python3; do
  if command -v "$cand" >/dev/null 2>&1 && ok "$cand"; then
    command -v "$cand"
    exit 0
  fi
done
echo "error: no Python >= 3.11 found (tried python3.11, python3); set PYTHON=/path/to/python" >&2
exit 1
