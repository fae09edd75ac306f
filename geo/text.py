"""Text helpers: accent-insensitive search and safe plain text.

Vietnamese users often type without diacritics ("dong dang" for "Đồng Đăng"),
so search compares folded forms. ``đ``/``Đ`` is a separate letter, not a
combining mark, and needs its own rule.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date

from babel.dates import format_skeleton
from babel.numbers import format_decimal

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def fold(text: str) -> str:
    """Return ``text`` lower-cased, without diacritics, with white space collapsed.

    Examples
    --------
    >>> fold("Đồng  Đăng")
    'dong dang'
    >>> fold("Khu trung chuyển hàng hóa")
    'khu trung chuyen hang hoa'
    >>> fold("")
    ''
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def matches(query: str, names: Iterable[str | None]) -> bool:
    """Return whether ``query`` occurs in any of ``names``, ignoring case and accents.

    An empty or blank query matches everything; names that are not text (``None``,
    or NaN where a GeoDataFrame row lacks a name) are skipped.

    Examples
    --------
    >>> matches("dong dang", [float("nan"), "Cửa khẩu Đồng Đăng", None])
    True
    >>> matches("友谊", ["友谊关口岸"])
    True
    >>> matches("chi ma", ["Tân Thanh"])
    False
    """
    needle = fold(query)
    if not needle:
        return True
    return any(needle in fold(name) for name in names if isinstance(name, str))


def format_number(
    value: float, decimals: int = 2, *, grouping: bool = False, lang: str = "en"
) -> str:
    """Format a figure as ``lang`` writes it, with at most ``decimals`` decimals.

    Trailing zeros are dropped; separators follow the language's conventions
    (Babel's CLDR data): Vietnamese groups with "." and writes decimals with ",".

    Examples
    --------
    >>> format_number(59.87), format_number(50.0), format_number(14331.6, 1, grouping=True)
    ('59.87', '50', '14,331.6')
    >>> format_number(14331.6, 1, grouping=True, lang="vi")
    '14.331,6'
    >>> format_number(0.5, lang="zh")
    '0.5'
    """
    pattern = ("#,##0" if grouping else "0") + ("." + "#" * decimals if decimals > 0 else "")
    return format_decimal(float(value), format=pattern, locale=lang)


#: Babel date skeletons by date precision: a date is never shown more precisely
#: than its source gives it (a figure "for February 2026" is not "28 Feb 2026").
DATE_SKELETONS = {"day": "yMMMd", "month": "yMMM", "quarter": "yQQQ", "year": "y"}


def format_day(day: date, lang: str = "en", precision: str = "day") -> str:
    """Format a date as ``lang`` writes it, no more precisely than ``precision``.

    Examples
    --------
    >>> format_day(date(2026, 2, 28), "en", "month")
    'Feb 2026'
    >>> format_day(date(2026, 9, 30), "zh", "quarter")
    '2026年第3季度'
    >>> format_day(date(2024, 12, 11), "vi")
    '11 thg 12, 2024'
    """
    return format_skeleton(DATE_SKELETONS[precision], day, locale=lang)


def escape_markdown(text: str) -> str:
    r"""Escape ``text`` so that Markdown renders it literally, never as markup.

    Data and user input are shown through this (and never with
    ``unsafe_allow_html``), so a name like ``<b>x</b>`` or ``[a](javascript:…)``
    stays text.

    Examples
    --------
    >>> escape_markdown("[a](b) *c*")
    '\\[a\\]\\(b\\) \\*c\\*'
    """
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)
