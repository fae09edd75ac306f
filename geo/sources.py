"""The sources cited by the layers: ``layers/sources.json``.

Examples
--------
>>> s = Source("vns-2024-12-11", "Viettel opens logistics park", "vietnamnews.vn", "2024-12-11")
>>> s.url is None
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final
from urllib.parse import urlsplit

from geo.errors import SourcesError
from geo.i18n import LANGUAGES
from geo.jsonfile import read_json
from geo.problems import MISSING, Problem, show
from geo.values import parse_date

__all__ = ["SOURCE_ID_PATTERN", "Source", "credits_for", "load_sources", "parse_sources"]

SOURCE_ID_PATTERN: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
#: A credit that is a proper name (a producer, a licence) is one text, ``credit``, shown in
#: every language; one with descriptive words is ``credit_vi``, ``credit_en``, ``credit_zh``.
_CREDIT_FIELDS: Final = tuple(f"credit_{lang}" for lang in LANGUAGES)
_FIELDS: Final = ("title", "publisher", "date", "url", "credit", *_CREDIT_FIELDS)


@dataclass(frozen=True)
class Source:
    """One cited source.

    Parameters
    ----------
    id : str
        The short id layers cite, e.g. ``"vns-2024-12-11"``.
    title : str
        Title of the article, page or data set.
    publisher : str
        Outlet or producer, e.g. ``"vietnamnews.vn"``.
    date : str or None
        Publication date, ISO ``YYYY-MM-DD``; None when unknown.
    url : str or None
        The exact http(s) address; None where it is not known (addresses are never guessed).
    credit : str or None
        For a data set that shapes derive from: the credit its licence asks the map to show
        (e.g. ``"© OpenStreetMap contributors (ODbL 1.0)"``); None for articles. A credit with
        descriptive words is stored per language: this is then its English text.
    credit_texts : Mapping[str, str]
        The credit per language (``{"vi": …, "en": …, "zh": …}``) when the file gives
        ``credit_vi``/``credit_en``/``credit_zh``; empty when ``credit`` is one text.
    extra : Mapping
        Any other fields of the entry (e.g. a note), read-only.
    """

    id: str
    title: str
    publisher: str
    date: str | None
    url: str | None = None
    credit: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)
    credit_texts: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)


def _is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value


def parse_sources(
    doc: object, *, file: str = "sources.json"
) -> tuple[dict[str, Source], list[Problem]]:
    """Build sources from a parsed ``sources.json`` and return them with every problem found.

    Entries with a problem are left out of the result.

    Examples
    --------
    >>> sources, problems = parse_sources(
    ...     {"a": {"title": "T", "publisher": "P", "date": None, "url": "ftp://x"}})
    >>> print(problems[0])
    sources.json: source 'a', field 'url': expected an http(s) address or null; found 'ftp://x'
    """
    if not isinstance(doc, dict):
        return {}, [Problem(file, None, "", "an object of source id -> source", show(doc))]
    sources: dict[str, Source] = {}
    problems: list[Problem] = []
    for index, (sid, entry) in enumerate(doc.items()):

        def add(
            name: str, expected: str, found: object, sid: str = sid, index: int = index
        ) -> None:
            problems.append(Problem(file, sid, name, expected, show(found), index, item="source"))

        before = len(problems)
        if not SOURCE_ID_PATTERN.fullmatch(sid):
            add("", "an id of letters, digits, '.', '_' and '-'", sid)
        if not isinstance(entry, dict):
            add("", "an object with title, publisher, date and url", entry)
            continue
        for key in ("title", "publisher"):
            value = entry.get(key, MISSING)
            if not (isinstance(value, str) and value.strip()):
                add(key, "a non-empty string", value)
        date = entry.get("date", MISSING)
        if date is not None and parse_date(date) is None:
            add("date", "an ISO date YYYY-MM-DD or null", date)
        url = entry.get("url", MISSING)
        if url is not None and not (isinstance(url, str) and _is_http_url(url)):
            add("url", "an http(s) address or null", url)
        credit = entry.get("credit")
        if credit is not None and not (isinstance(credit, str) and credit.strip()):
            add("credit", "a non-empty string or null (absent)", credit)
        texts = {lang: entry.get(f"credit_{lang}") for lang in LANGUAGES}
        if any(v is not None for v in texts.values()):
            if credit is not None:
                add(
                    "credit",
                    "absent when credit_vi, credit_en and credit_zh are given (one text for a "
                    "proper name, or three translations)",
                    credit,
                )
            for lang, text in texts.items():
                if not (isinstance(text, str) and text.strip()):
                    add(f"credit_{lang}", "a non-empty string (a translation of the credit)", text)
            credit = texts["en"]
        if len(problems) == before:
            sources[sid] = Source(
                id=sid,
                title=entry["title"],
                publisher=entry["publisher"],
                date=date,
                url=url,
                credit=credit,
                extra=MappingProxyType({k: v for k, v in entry.items() if k not in _FIELDS}),
                # A plain dict: sources are cached with pickle, which refuses a mappingproxy.
                credit_texts={k: v for k, v in texts.items() if isinstance(v, str)},
            )
    return sources, problems


def credits_for(
    source_ids: Iterable[str], sources: Mapping[str, Source], lang: str = "en"
) -> tuple[str, ...]:
    """Return the map credits of the data sets ``source_ids`` (a layer's ``credits``), unique.

    A credit given per language is returned in ``lang``; a one-text credit (a proper name)
    as it is. A source without a credit is credited by its publisher; an id that is not in
    ``sources`` is skipped (``python -m geo validate`` reports it).

    Examples
    --------
    >>> osm = Source("osm", "railways", "OSM", None, credit="© OpenStreetMap contributors")
    >>> wiki = Source("wiki", "Đồng Đăng", "en.wikipedia.org", None)
    >>> credits_for(["osm", "wiki", "osm", "nowhere"], {"osm": osm, "wiki": wiki})
    ('© OpenStreetMap contributors', 'en.wikipedia.org')
    >>> texts = {"vi": "tệp dữ liệu mẫu", "en": "public seed file", "zh": "种子文件"}
    >>> seed = Source("seed", "seed file", "GitHub", None, credit=texts["en"], credit_texts=texts)
    >>> credits_for(["seed", "osm"], {"seed": seed, "osm": osm}, "zh")
    ('种子文件', '© OpenStreetMap contributors')
    """
    texts = [
        sources[sid].credit_texts.get(lang) or sources[sid].credit or sources[sid].publisher
        for sid in source_ids
        if sid in sources
    ]
    return tuple(dict.fromkeys(texts))


def load_sources(path: Path) -> dict[str, Source]:
    """Load and validate ``sources.json``.

    Parameters
    ----------
    path : Path
        The file, a JSON object keyed by source id.

    Returns
    -------
    dict[str, Source]
        Sources by id, in file order.

    Raises
    ------
    SourcesError
        With every problem at once: missing file, invalid JSON, missing or empty
        title/publisher, a date that is not ISO or null, a url that is not http(s) or null.
    """
    path = Path(path)
    sources, problems = parse_sources(read_json(path, SourcesError), file=path.name)
    if problems:
        raise SourcesError(path, problems)
    return sources
