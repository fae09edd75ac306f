"""docs/importing.md states the limits in force and every rule reading reports."""

from dataclasses import fields
from pathlib import Path

from geo.importing.limits import LIMITS
from geo.importing.read_rules import READ_RULES

DOC = (Path(__file__).resolve().parents[2] / "docs" / "importing.md").read_text(encoding="utf-8")


def test_every_limit_value_is_in_the_docs():
    for f in fields(LIMITS):
        value = getattr(LIMITS, f.name)
        assert f"| {int(value):,} |" in DOC or f"| {int(value):,} MB |" in DOC, f.name


def test_every_rule_reading_reports_is_documented():
    assert len(READ_RULES) == 10
    assert not {rule for rule in READ_RULES if f"| `{rule}` |" not in DOC}
