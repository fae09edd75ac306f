"""Fixtures for the import tests (the files themselves are built by ``builders``)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

# The throwaway PostgreSQL + PostGIS of the store suite, so that every format is also
# imported into PostGIS (tests/importing/test_pipeline_formats.py).
from tests.store.conftest import BACKENDS, postgres  # noqa: F401


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


@pytest.fixture(params=BACKENDS)
def store_env(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """Select a fresh store of each back end for the process (``python -m geo`` in-process)."""
    env = {"LSZ_DATA_DIR": str(tmp_path / "data")}
    if request.param == "postgis":
        env["DATABASE_URL"] = request.getfixturevalue("postgres").new_database()
    monkeypatch.delenv("DATABASE_URL", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env
