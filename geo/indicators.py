"""Trade and traffic indicators shown on the dashboard (``layers/indicators.json``)."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from geo.errors import GeoError


@dataclass(frozen=True)
class Indicator:
    """A figure stated by a source, with its unit, period, scope and date."""

    id: str
    label: dict[str, str]
    value: float
    value_low: float | None
    unit: str
    change_pct: float | None
    period: str
    date: date | None
    scope: str | None
    source: str
    note: str | None


def load_indicators(path: Path, *, source_ids: Collection[str]) -> list[Indicator]:
    """Read and check the indicators file.

    Raises
    ------
    GeoError
        Listing every indicator and field that is missing or cites an unknown source.
    """
    with path.open(encoding="utf-8") as f:
        doc = json.load(f)
    problems: list[str] = []
    result: list[Indicator] = []
    for i, item in enumerate(doc.get("indicators", [])):
        where = f"{path.name}: indicator {item.get('id', f'#{i}')!r}"
        missing = [
            k for k in ("id", "label", "value", "unit", "period", "source") if item.get(k) is None
        ]
        for k in missing:
            problems.append(f"{where}, field {k!r}: expected a value; found nothing")
        if item.get("source") is not None and item["source"] not in source_ids:
            problems.append(
                f"{where}, field 'source': expected an id of sources.json; found {item['source']!r}"
            )
        label = item.get("label") or {}
        for lang in ("vi", "en", "zh"):
            if not label.get(lang):
                problems.append(f"{where}, field 'label.{lang}': expected text; found nothing")
        if missing:
            continue
        result.append(
            Indicator(
                id=item["id"],
                label=label,
                value=float(item["value"]),
                value_low=item.get("value_low"),
                unit=item["unit"],
                change_pct=item.get("change_pct"),
                period=str(item["period"]),
                date=date.fromisoformat(item["date"]) if item.get("date") else None,
                scope=item.get("scope"),
                source=item["source"],
                note=item.get("note"),
            )
        )
    if problems:
        raise GeoError("\n".join(problems))
    return result
