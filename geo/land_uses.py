"""The Vietnamese land-use codes a lot may carry: ``layers/land_uses.json``.

Each code (``TMD``, ``SKK`` …) has its official Vietnamese name with English and Chinese
translations, the land-administration swatch of the code (planning-conventions.md §1a, the
Esri Vietnam palette of TT 27/2018 → TT 01/2021) and the colour family of construction and
zoning plans (§1b, the Ho Chi Minh City general-plan data set) that fills a lot on the map.
The two palettes are never mixed: the family fills the shape, the swatch sits beside the code.

Examples
--------
>>> uses = load_land_uses()
>>> uses["TMD"].name["vi"], uses["TMD"].swatch_hex, uses["TMD"].family.id
('Đất thương mại, dịch vụ', '#FAAAA0', 'commerce')
>>> uses["DGT"].family.hex
'#808080'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from geo.errors import DataFileError
from geo.i18n import LANGUAGES
from geo.jsonfile import read_json
from geo.problems import MISSING, Problem, show

__all__ = ["LAND_USES_PATH", "ColourFamily", "LandUse", "load_land_uses", "parse_land_uses"]

LAND_USES_PATH: Final = Path(__file__).resolve().parent.parent / "layers" / "land_uses.json"
_HEX: Final = re.compile(r"#[0-9A-F]{6}")
_CODE: Final = re.compile(r"[A-Z]{3}")


class LandUseError(DataFileError):
    """A ``land_uses.json`` that is missing or breaks its rules."""


@dataclass(frozen=True)
class ColourFamily:
    """A colour family of construction / zoning plans (planning-conventions.md §1b).

    Attributes
    ----------
    id : str
        ``industry``, ``commerce``, ``transport``, ``green``.
    hex : str
        The fill, ``#RRGGBB``.
    name : Mapping[str, str]
        The family's name per language.
    """

    id: str
    hex: str
    name: Mapping[str, str]


@dataclass(frozen=True)
class LandUse:
    """One land-use code.

    Attributes
    ----------
    code : str
        Three capital letters, e.g. ``TMD``.
    name : Mapping[str, str]
        The official Vietnamese name and its translations, per language.
    swatch_hex : str
        The land-administration fill of the code (§1a), ``#RRGGBB``.
    family : ColourFamily
        The zoning-plan colour family (§1b).
    """

    code: str
    name: Mapping[str, str]
    swatch_hex: str
    family: ColourFamily


def _names(entry: Mapping[str, Any], add: Any, where: str) -> dict[str, str]:
    names = {}
    for lang in LANGUAGES:
        value = entry.get(lang, MISSING)
        if isinstance(value, str) and value.strip():
            names[lang] = value
        else:
            add(f"{where}.{lang}", "a non-empty string", value)
    return names


def _table(doc: Mapping[str, Any], key: str, what: str, add: Any) -> dict[str, Any]:
    """Return the member ``key`` when it is a non-empty object; else report it, return {}."""
    value = doc.get(key, MISSING)
    if isinstance(value, dict) and value:
        return value
    add(key, f"an object of {what}", value)
    return {}


def _colour(entry: Mapping[str, Any], key: str, add: Any, where: str) -> Any:
    """Return the member ``key``, reported unless it is a colour ``#RRGGBB`` (capitals)."""
    value = entry.get(key, MISSING)
    if not (isinstance(value, str) and _HEX.fullmatch(value)):
        add(f"{where}.{key}", "a colour #RRGGBB (capitals)", value)
    return value


def parse_land_uses(
    doc: object, *, file: str = "land_uses.json"
) -> tuple[dict[str, LandUse], list[Problem]]:
    """Build the land uses of a parsed ``land_uses.json``; return them with every problem.

    Examples
    --------
    >>> doc = {"families": {"green": {"hex": "#52A500", "vi": "Cây xanh", "en": "Green",
    ...                               "zh": "绿地"}},
    ...        "codes": {"DKV": {"vi": "Đất vui chơi", "en": "Recreation", "zh": "游乐",
    ...                          "swatch_hex": "#ffaaa0", "family": "grey"}}}
    >>> uses, problems = parse_land_uses(doc)
    >>> uses
    {}
    >>> [(p.field, p.found) for p in problems]
    [('codes.DKV.swatch_hex', "'#ffaaa0'"), ('codes.DKV.family', "'grey'")]
    """
    problems: list[Problem] = []

    def add(name: str, expected: str, found: object) -> None:
        problems.append(Problem(file, None, name, expected, show(found)))

    if not isinstance(doc, dict):
        add("", "an object with 'families' and 'codes'", doc)
        return {}, problems
    families: dict[str, ColourFamily] = {}
    for fid, entry in _table(doc, "families", "family id -> family", add).items():
        where = f"families.{fid}"
        if not isinstance(entry, dict):
            add(where, "an object with hex, vi, en and zh", entry)
            continue
        before = len(problems)
        names = _names(entry, add, where)
        hex_ = _colour(entry, "hex", add, where)
        if len(problems) == before:
            families[fid] = ColourFamily(fid, hex_, MappingProxyType(names))
    uses: dict[str, LandUse] = {}
    for code, entry in _table(doc, "codes", "land-use code -> entry", add).items():
        where = f"codes.{code}"
        if not _CODE.fullmatch(code):
            add(where, "a code of three capital letters (e.g. TMD)", code)
            continue
        if not isinstance(entry, dict):
            add(where, "an object with vi, en, zh, swatch_hex and family", entry)
            continue
        before = len(problems)
        names = _names(entry, add, where)
        swatch = _colour(entry, "swatch_hex", add, where)
        family = entry.get("family", MISSING)
        if not isinstance(family, str) or family not in families:
            add(f"{where}.family", f"one of {', '.join(families)}", family)
        if len(problems) == before:
            uses[code] = LandUse(code, MappingProxyType(names), swatch, families[family])
    return uses, problems


@functools.cache
def load_land_uses(path: Path = LAND_USES_PATH) -> Mapping[str, LandUse]:
    """Read and check ``land_uses.json``; return the land uses by code (read-only).

    Raises
    ------
    LandUseError
        When the file is missing, not JSON, or breaks a rule (every problem listed).
    """
    doc = read_json(path, LandUseError)
    uses, problems = parse_land_uses(doc, file=path.name)
    if problems:
        raise LandUseError(path, problems)
    return MappingProxyType(uses)
