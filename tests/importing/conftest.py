"""Fixtures for the import tests (the files themselves are built by ``builders``)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder temporary extraction folders are made in, watched by the test.

    Archives are extracted into ``scratch/lsz-import-…``: a member escaping that folder
    would land in ``scratch`` itself, and a folder not removed afterwards would stay there.
    """
    folder = tmp_path / "scratch"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder
