"""``make bench``'s wall clock: recorded at the end into RESULTS.md and kept for later reports."""

from __future__ import annotations

import json
import time

import pytest

from bench import clock


def test_the_whole_runs_wall_time_goes_between_the_markers_and_into_the_results(
    tmp_path, monkeypatch
):
    report = tmp_path / "RESULTS.md"
    report.write_text(f"# r\n\nIntro. {clock.WALL_START}old{clock.WALL_END} Rest.\n", "utf-8")
    monkeypatch.setenv(clock.STARTED_ENV, str(int(time.time()) - 90))
    sentence = clock.record(report, tmp_path / "results")
    assert sentence.startswith("The whole `make bench` took **1.5 minutes**")
    text = report.read_text(encoding="utf-8")
    assert f"Intro. {clock.WALL_START}{sentence}{clock.WALL_END} Rest." in text
    saved = json.loads((tmp_path / "results" / clock.WALL_NAME).read_text(encoding="utf-8"))
    assert 90 <= saved["wall_s"] < 120
    assert clock.kept_wall(tmp_path / "results") == sentence  # what a later report says
    assert clock.stamp().startswith("[01:3")


def test_outside_make_bench_there_is_no_clock(tmp_path, monkeypatch):
    monkeypatch.delenv(clock.STARTED_ENV, raising=False)
    assert clock.stamp() == ""
    assert clock.kept_wall(tmp_path) == clock.NOT_TIMED
    with pytest.raises(RuntimeError, match=clock.STARTED_ENV):
        clock.record(tmp_path / "RESULTS.md", tmp_path)


def test_the_examples_in_the_clock_and_report_docstrings_run():
    import doctest

    from bench import crowd_report, tiles_report

    for module in (clock, crowd_report, tiles_report):
        assert doctest.testmod(module).failed == 0, module.__name__
