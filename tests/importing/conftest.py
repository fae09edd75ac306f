"""Fixtures for the import tests (the files themselves are built by ``builders``)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder next to the uploads: nothing may ever be extracted into it."""
    folder = tmp_path / "outside"
    folder.mkdir()
    return folder
