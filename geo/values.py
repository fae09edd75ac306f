"""Tests of single JSON values shared by the validators: finite numbers and strict ISO dates.

Examples
--------
>>> is_number(0), parse_date("2024-12-31")
(True, datetime.date(2024, 12, 31))
"""

from __future__ import annotations

import datetime as dt
import math
import re

__all__ = ["is_number", "parse_date"]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def is_number(value: object) -> bool:
    """Tell whether a value is a finite int or float; bool is refused (JSON true is not 1).

    Examples
    --------
    >>> is_number(12.5), is_number(True), is_number(float("nan")), is_number(None)
    (True, False, False, False)
    """
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def parse_date(value: object) -> dt.date | None:
    """Return the date of a strict ISO ``YYYY-MM-DD`` string, or None for anything else.

    Examples
    --------
    >>> parse_date("2024-12-11"), parse_date("2024-12"), parse_date("2024-02-30")
    (datetime.date(2024, 12, 11), None, None)
    """
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
