"""Message catalogues: every label the product shows, in Vietnamese, English and Chinese.

The catalogues are JSON files in ``geo/locales/`` (one per language, flat keys).
A missing key is an error, never a silent fallback to another language: the test
suite checks that every language has every key.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Final

from geo.problems import MISSING

LANGUAGES: Final[tuple[str, ...]] = ("vi", "en", "zh")
DEFAULT_LANGUAGE: Final[str] = "vi"
LANGUAGE_NAMES: Final[dict[str, str]] = {"vi": "Tiếng Việt", "en": "English", "zh": "中文"}
LOCALES_DIR: Final[Path] = Path(__file__).with_name("locales")


@cache
def catalogue(lang: str) -> Mapping[str, str]:
    """Return the message catalogue of ``lang``.

    Raises
    ------
    ValueError
        If ``lang`` is not one of ``LANGUAGES``.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    path = LOCALES_DIR / f"{lang}.json"
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def t(key: str, lang: str, **values: Any) -> str:
    """Return the message ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``.

    Raises
    ------
    KeyError
        If the key is missing in that language's catalogue.

    Examples
    --------
    >>> t("status.operational", "en")
    'Operational'
    """
    try:
        template = catalogue(lang)[key]
    except KeyError:
        raise KeyError(f"message {key!r} is missing from {lang}.json") from None
    return template.format(**values) if values else template


def feature_name(props: Mapping[str, Any], lang: str) -> str:
    """Return a feature's name in ``lang``; Chinese falls back to English where unknown.

    Examples
    --------
    >>> props = {"name_vi": "Cửa khẩu Chi Ma", "name_en": "Chi Ma gate", "name_zh": None}
    >>> feature_name(props, "zh")
    'Chi Ma gate'
    """
    name = props.get(f"name_{lang}")
    if isinstance(name, str) and name.strip():
        return name
    return str(props.get("name_en") or props.get("name_vi") or props.get("id") or "")


def text_fields(field: str) -> tuple[str, ...]:
    """Return the names of the per-language fields of a data text, in ``LANGUAGES`` order.

    Examples
    --------
    >>> text_fields("accuracy_note")
    ('accuracy_note_vi', 'accuracy_note_en', 'accuracy_note_zh')
    """
    return tuple(f"{field}_{lang}" for lang in LANGUAGES)


def localized(props: Mapping[str, Any], field: str, lang: str) -> str | None:
    """Return the data text ``field`` in ``lang`` (``props[f"{field}_{lang}"]``), or None.

    Every free text of the data that the UI shows (``accuracy_note``, ``progress_note``,
    ``note``, an indicator's ``scope``) is stored once per language with the suffixes of
    ``name_vi``/``name_en``/``name_zh``; the validator requires all three, or all null.
    There is no fallback to another language: a text that is null (or blank) in ``lang`` is
    None, and the caller shows nothing.

    Parameters
    ----------
    props : Mapping
        A feature's properties, an indicator's or an item's fields.
    field : str
        The text's name without the language suffix, e.g. ``"accuracy_note"``.
    lang : str
        One of ``LANGUAGES``.

    Raises
    ------
    ValueError
        If ``lang`` is not one of ``LANGUAGES`` (a caller's bug).

    Examples
    --------
    >>> props = {"note_vi": "Chưa xác minh", "note_en": "Not verified", "note_zh": "未核实"}
    >>> localized(props, "note", "zh")
    '未核实'
    >>> localized({"note_vi": None, "note_en": None, "note_zh": None}, "note", "en") is None
    True
    >>> localized({"note_en": "  "}, "note", "en") is None
    True
    >>> localized({}, "accuracy_note", "vi") is None
    True
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    value = props.get(f"{field}_{lang}")
    return value if isinstance(value, str) and value.strip() else None


def status_label(status: str | None, lang: str) -> str:
    """Return the label of a status (``None``: "no status yet")."""
    return t(f"status.{status or 'none'}", lang)


def accuracy_label(accuracy: str, lang: str) -> str:
    """Return the label of a geometry accuracy level."""
    return t(f"accuracy.{accuracy}", lang)


def text_by_language_problems(
    value: object, name: str, what: str = "texts"
) -> list[tuple[str, str, object]]:
    """Return ``(field, expected, found)`` for each breach of a ``{vi, en, zh}`` text object.

    Registry titles and labels and indicator labels are such objects; every language
    must hold a non-empty string.

    Examples
    --------
    >>> text_by_language_problems({"vi": "Khu", "en": "Zone", "zh": "区"}, "title")
    []
    >>> text_by_language_problems({"vi": "Khu", "en": " "}, "title", "titles")
    [('title.en', 'a non-empty string', ' '), ('title.zh', 'a non-empty string', MISSING)]
    >>> text_by_language_problems("Zone", "label")
    [('label', 'an object with vi, en and zh texts', 'Zone')]
    """
    if not isinstance(value, dict):
        return [(name, f"an object with vi, en and zh {what}", value)]
    return [
        (f"{name}.{lang}", "a non-empty string", text)
        for lang in LANGUAGES
        if not (isinstance(text := value.get(lang, MISSING), str) and text.strip())
    ]
