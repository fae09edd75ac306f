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


def status_label(status: str | None, lang: str) -> str:
    """Return the label of a status (``None``: "no status yet")."""
    return t(f"status.{status or 'none'}", lang)


def accuracy_label(accuracy: str, lang: str) -> str:
    """Return the label of a geometry accuracy level."""
    return t(f"accuracy.{accuracy}", lang)
