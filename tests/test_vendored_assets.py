"""The vendored npm files are the pinned versions, with their licences (no network).

``scripts/vendor_assets.sh --check`` re-downloads and compares bytes (maintainers,
needs npm); this checks offline that what is committed is what the script pins.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "vendor_assets.sh"
DIRS = {"PACKAGES": ROOT / "static" / "vendor", "TEST_PACKAGES": ROOT / "tests" / "e2e" / "vendor"}


def pinned(array: str) -> list[dict[str, str]]:
    """The ``name|version|integrity|licence|dest|files`` entries of a bash array."""
    body = re.search(rf"^{array}=\(\n(.*?)^\)", SCRIPT.read_text(), re.M | re.S)
    assert body, f"{SCRIPT}: no {array}=( ... ) array"
    keys = ("name", "version", "integrity", "licence", "dest", "files")
    lines = re.findall(r'"(.+)"', body[1])
    return [dict(zip(keys, line.split("|"), strict=True)) for line in lines]


SPECS = [(array, spec) for array in DIRS for spec in pinned(array)]


@pytest.mark.parametrize(("array", "spec"), SPECS, ids=[s["name"] for _, s in SPECS])
def test_readme_names_the_pinned_version_integrity_and_licence(array, spec):
    readme = (DIRS[array] / "README.md").read_text(encoding="utf-8")
    row = next((r for r in readme.splitlines() if r.startswith(f"| `{spec['name']}` |")), None)
    assert row, f"{DIRS[array]}/README.md has no row for {spec['name']}"
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1] == spec["version"]
    assert cells[3] == f"`{spec['integrity']}`"
    assert cells[4] == spec["licence"]


@pytest.mark.parametrize(("array", "spec"), SPECS, ids=[s["name"] for _, s in SPECS])
def test_every_pinned_file_and_its_licence_is_committed(array, spec):
    dest = DIRS[array] / spec["dest"]
    for pair in spec["files"].split(","):
        assert (dest / pair.split(":")[1]).exists(), f"{dest}: {pair} missing"
    assert (dest / "LICENSE").stat().st_size > 0


def test_axe_core_is_the_pinned_version_under_the_mpl():
    (spec,) = [s for s in pinned("TEST_PACKAGES") if s["name"] == "axe-core"]
    axe = DIRS["TEST_PACKAGES"] / "axe-core"
    header = (axe / "axe.min.js").read_text(encoding="utf-8")[:100]
    assert header.startswith(f"/*! axe v{spec['version']}\n"), header
    assert spec["licence"] == "MPL-2.0"
    assert (
        (axe / "LICENSE")
        .read_text(encoding="utf-8")
        .startswith("Mozilla Public License, version 2.0")
    )
