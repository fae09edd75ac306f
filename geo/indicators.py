"""Trade and traffic indicators shown on the dashboard (``layers/indicators.json``).

Every indicator is a figure stated by a source: its value, unit, the period it covers, the
date it was stated (with the precision the source gives, or null when the source gives
none) and whether it is a target. Loading reports every problem at once, in the same style
as the layer files (:class:`geo.problems.Problem`).

Examples
--------
>>> items, problems = parse_indicators({"indicators": [{"id": "x"}]}, source_ids=())
>>> print(problems[0])
indicators.json: indicator 'x', field 'label': expected an object with vi, en and zh texts; \
found nothing (the field is missing)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from geo.errors import DataFileError
from geo.i18n import text_by_language_problems, text_fields
from geo.jsonfile import read_json
from geo.problems import MISSING, Problem, show, unknown_field_expected
from geo.values import is_number, parse_date
from geo.vocabulary import DATE_PRECISIONS

__all__ = [
    "INDICATOR_FIELDS",
    "INDICATOR_ID_PATTERN",
    "UNITS",
    "Indicator",
    "IndicatorsError",
    "load_indicators",
    "parse_indicators",
]

#: Units an indicator may have. The UI labels each one (``unit.<unit>`` in every locale of
#: ``geo/locales``; a test checks that), so a unit is a fixed vocabulary, not free text.
UNITS: Final = (
    "bn_usd",
    "bn_vnd",
    "trucks_per_day",
    "t_per_day",
    "times_2024_capacity",
    "times_2024_volume",
    "count",
)
INDICATOR_FIELDS: Final = (
    "id",
    "label",
    "value",
    "value_low",
    "unit",
    "change_pct",
    "period",
    "date",
    "date_precision",
    "target",
    *text_fields("scope"),
    "source",
    *text_fields("note"),
)
#: The texts of an indicator stored once per language (``scope_vi``, ``scope_en``, …).
INDICATOR_TEXTS: Final = ("scope", "note")
INDICATOR_ID_PATTERN: Final = "[a-z0-9_]+"


class IndicatorsError(DataFileError):
    """An ``indicators.json`` that is missing or breaks the data model."""


@dataclass(frozen=True)
class Indicator:
    """A figure stated by a source, with its unit, period, scope and date.

    Parameters
    ----------
    id : str
        Stable id, ``[a-z0-9_]+``.
    label : Mapping[str, str]
        Label in ``vi``, ``en`` and ``zh``.
    value : float
        The figure (the upper end of a range, or a bound the ``note`` names).
    value_low : float or None
        Lower end of a range.
    unit : str
        One of :data:`UNITS`.
    change_pct : float or None
        Change the source states beside the figure, in percent.
    period : str
        The period the figure covers (ISO-8601 year, month, quarter or interval); for a
        target, the period it is set for.
    date : datetime.date or None
        When the source stated the figure: the last day of the period of ``date_precision``;
        None when the source gives no date (the ``note`` says what is known).
    date_precision : str or None
        ``day``, ``month``, ``quarter`` or ``year``; None exactly when ``date`` is None.
    target : bool
        Whether the figure is a target (a plan), not a result.
    scope : str or None
        Which goods or activity the figure counts (English; the UI reads ``texts``).
    source : str
        Source id of ``sources.json``.
    note : str or None
        Anything a reader must know (English; the UI reads ``texts``).
    texts : Mapping[str, str or None]
        ``scope`` and ``note`` in every language, keyed as in the file (``scope_vi``,
        ``note_zh``, …): read them with ``geo.i18n.localized(item.texts, "scope", lang)``.
    """

    id: str
    label: Mapping[str, str] = field(hash=False)
    value: float
    value_low: float | None
    unit: str
    change_pct: float | None
    period: str
    date: dt.date | None
    scope: str | None
    source: str
    note: str | None
    date_precision: str | None = None
    target: bool = False
    texts: Mapping[str, str | None] = field(default_factory=dict, hash=False, compare=False)


def _is_period_end(day: dt.date, precision: str) -> bool:
    if precision == "day":
        return True
    if (day + dt.timedelta(days=1)).day != 1:
        return False
    return {"month": True, "quarter": day.month % 3 == 0, "year": day.month == 12}[precision]


def parse_indicators(
    doc: object, *, source_ids: Collection[str], file: str = "indicators.json"
) -> tuple[list[Indicator], list[Problem]]:
    """Build indicators from a parsed ``indicators.json``; return them and every problem.

    Indicators with a problem are left out of the result.

    Parameters
    ----------
    doc : object
        The parsed document, ``{"indicators": [...]}``.
    source_ids : Collection[str]
        The ids of ``sources.json``.
    file : str
        File name for the messages.
    """
    items = doc.get("indicators", MISSING) if isinstance(doc, dict) else MISSING
    if not isinstance(items, list):
        found = show(items) if isinstance(doc, dict) else show(doc)
        return [], [Problem(file, None, "indicators", "a list of indicators", found)]
    result: list[Indicator] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        before = len(problems)
        raw_id = item.get("id") if isinstance(item, dict) else None
        shown = raw_id if isinstance(raw_id, str) and raw_id else None

        def add(
            name: str, expected: str, found: object, shown: str | None = shown, index: int = index
        ) -> None:
            problems.append(
                Problem(file, shown, name, expected, show(found), index, item="indicator")
            )

        if not isinstance(item, dict):
            add("", "an object", item)
            continue
        _check_indicator(item, add, source_ids, seen)
        if len(problems) == before:
            result.append(_build(item))
    return result, problems


def _check_indicator(
    item: Mapping[str, Any], add: Any, source_ids: Collection[str], seen: set[str]
) -> None:
    get = item.get
    raw_id = get("id", MISSING)
    if not (isinstance(raw_id, str) and re.fullmatch(INDICATOR_ID_PATTERN, raw_id)):
        add("id", "a string of a-z, 0-9 and '_'", raw_id)
    elif raw_id in seen:
        add("id", "an id used once in the file", raw_id)
    seen.add(str(raw_id))
    for problem in text_by_language_problems(get("label", MISSING), "label"):
        add(*problem)
    value = get("value", MISSING)
    if not is_number(value):
        add("value", "a number", value)
    low = get("value_low", MISSING)
    if low is not None and not is_number(low):
        add("value_low", "a number or null", low)
    elif is_number(low) and is_number(value) and low > value:
        add("value_low", f"at most value ({value:g})", low)
    unit = get("unit", MISSING)
    if unit not in UNITS:
        add("unit", f"one of {', '.join(UNITS)} (units the UI labels)", unit)
    change = get("change_pct", MISSING)
    if change is not None and not is_number(change):
        add("change_pct", "a number or null", change)
    period = get("period", MISSING)
    if not (isinstance(period, str) and period.strip()):
        add("period", "a non-empty string (ISO-8601 period)", period)
    _check_date(item, add)
    if not isinstance(get("target", MISSING), bool):
        add("target", "true or false (whether the figure is a target)", get("target", MISSING))
    for base in INDICATOR_TEXTS:
        keys = text_fields(base)
        texts = [get(key, MISSING) for key in keys]
        if all(text is None for text in texts):
            continue
        for key, text in zip(keys, texts, strict=True):
            if not (isinstance(text, str) and text.strip()):
                others = " and ".join(k for k in keys if k != key)
                add(
                    key,
                    f"a non-empty string (a translation of {others}), or null in all three",
                    text,
                )
    source = get("source", MISSING)
    if not (isinstance(source, str) and source in source_ids):
        add("source", "a source id listed in sources.json", source)
    for key in item:
        if key not in INDICATOR_FIELDS:
            add(key, unknown_field_expected(key, INDICATOR_FIELDS, "an indicator"), item[key])


def _check_date(item: Mapping[str, Any], add: Any) -> None:
    raw = item.get("date", MISSING)
    precision = item.get("date_precision", MISSING)
    if raw is None:
        if precision is not None:
            add("date_precision", "null (the date is null)", precision)
        return
    day = parse_date(raw)
    if day is None:
        add("date", "an ISO date YYYY-MM-DD, or null when the source gives no date", raw)
    if precision not in DATE_PRECISIONS:
        add("date_precision", f"one of {', '.join(DATE_PRECISIONS)}", precision)
    elif day is not None and not _is_period_end(day, precision):
        add(
            "date",
            f"the last day of the {precision} (dates of {precision} precision mark the end "
            "of the period)",
            raw,
        )


def _build(item: Mapping[str, Any]) -> Indicator:
    return Indicator(
        id=item["id"],
        # A plain dict: the app caches indicators with pickle, which refuses a mappingproxy.
        label=dict(item["label"]),
        value=float(item["value"]),
        value_low=None if item["value_low"] is None else float(item["value_low"]),
        unit=item["unit"],
        change_pct=item["change_pct"],
        period=item["period"],
        date=parse_date(item["date"]),
        scope=item["scope_en"],
        source=item["source"],
        note=item["note_en"],
        date_precision=item["date_precision"],
        target=item["target"],
        # A plain dict, as for ``label``.
        texts={key: item[key] for base in INDICATOR_TEXTS for key in text_fields(base)},
    )


def load_indicators(path: Path, *, source_ids: Collection[str]) -> list[Indicator]:
    """Read and check the indicators file.

    Parameters
    ----------
    path : Path
        The ``indicators.json``.
    source_ids : Collection[str]
        The ids of ``sources.json``.

    Returns
    -------
    list[Indicator]
        In file order.

    Raises
    ------
    IndicatorsError
        With every problem at once: missing file, invalid JSON, a missing or invalid field,
        a unit outside :data:`UNITS`, a date that is not the end of its precision's period,
        an unknown source id, an unknown field.
    """
    path = Path(path)
    items, problems = parse_indicators(
        read_json(path, IndicatorsError), source_ids=source_ids, file=path.name
    )
    if problems:
        raise IndicatorsError(path, problems)
    return items
