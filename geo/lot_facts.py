"""A lot's facts as the panel and the comparison show them: each with its basis.

Every fact carries where it comes from: the source it cites, "illustrative" when the lot
names the field in ``illustrative_fields`` (or the shape is illustrative), "measured" for an
area or distance measured on the drawn shape, or nothing when the value is not published
(then the value says so). Pure Python: labels from the catalogues, numbers in the
language's conventions; the caller shows the texts as plain text.

Examples
--------
>>> props = {"code": "A-01", "availability": "leased", "tenant": None,
...          "rent_usd_m2_term": 90, "illustrative_fields": ["rent_usd_m2_term"],
...          "sources": [], "geometry_accuracy": "digitised"}
>>> facts = {f.key: f for f in lot_facts(props, {"area_ha": 1.5, "area_official": False},
...                                      {}, (), {}, "en")}
>>> facts["rent_usd_m2_term"].value, facts["rent_usd_m2_term"].basis
('90 USD/m²', 'illustrative')
>>> facts["area"].value, facts["area"].basis
('1.5 ha (15,000 m²)', 'measured on the drawn shape (geodesic)')
>>> facts["tenant"].value, facts["tenant"].basis
('not published', '')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from geo.i18n import localized, t
from geo.lot_distances import LotDistanceTarget
from geo.lot_table import illustrative_fields
from geo.sources import Source
from geo.text import format_number

__all__ = ["LotFact", "distance_text", "lot_facts", "source_label"]

#: Facts of a lot, in panel order: (key, the lot's field(s), unit message key or None).
_FIELDS: tuple[tuple[str, str, str | None], ...] = (
    ("code", "code", None),
    ("road", "road", None),
    ("zone", "zone_id", None),
    ("land_use", "land_use", None),
    ("availability", "availability", None),
    ("tenant", "tenant", None),
    ("rent_usd_m2_term", "rent_usd_m2_term", "investor.lot.unit.usd_m2"),
    ("lease_end_year", "lease_end_year", None),
    ("min_plot_m2", "min_plot_m2", "investor.lot.unit.m2"),
    (
        "management_fee_usd_m2_month",
        "management_fee_usd_m2_month",
        "investor.lot.unit.usd_m2_month",
    ),
    (
        "warehouse_rent_usd_m2_month",
        "warehouse_rent_usd_m2_month",
        "investor.lot.unit.usd_m2_month",
    ),
)
#: Text facts given per language, and the field naming their own source.
_TEXTS: tuple[tuple[str, str | None], ...] = (
    ("utilities", None),
    ("incentives", "incentives_source"),
    ("contact", "contact_source"),
)


@dataclass(frozen=True)
class LotFact:
    """One fact: its key, label, value and basis, as plain text in one language."""

    key: str
    label: str
    value: str
    basis: str


def source_label(source_id: object, sources: Mapping[str, Source]) -> str:
    """Return ``publisher, date`` of a cited source (its id when it is not in the list).

    Examples
    --------
    >>> source_label("src-a", {"src-a": Source("src-a", "T", "example.org", "2025-03-04", None)})
    'example.org, 2025-03-04'
    """
    source = sources.get(str(source_id))
    if source is None:
        return str(source_id)
    return ", ".join(p for p in (source.publisher, source.date) if p)


def distance_text(metres: float | None, lang: str) -> str:
    """Return a distance as ``850 m`` below 1 km, else ``2.4 km``; ``""`` when not known.

    Examples
    --------
    >>> distance_text(849.6, "en"), distance_text(2430.0, "vi"), distance_text(None, "en")
    ('850 m', '2,4 km', '')
    """
    if metres is None or metres != metres:  # None or NaN
        return ""
    if metres < 1000:
        return f"{format_number(round(metres), 0, lang=lang)} m"
    return f"{format_number(metres / 1000.0, 1, lang=lang)} km"


def _number(value: Any, lang: str) -> str:
    return format_number(float(value), 2, grouping=True, lang=lang)


def lot_facts(
    props: Mapping[str, Any],
    row: Mapping[str, Any],
    sources: Mapping[str, Source],
    targets: Sequence[LotDistanceTarget],
    names: Mapping[str, str],
    lang: str,
) -> list[LotFact]:
    """Return a lot's facts in panel order, each with its basis.

    Parameters
    ----------
    props : Mapping
        The lot's properties (schema ``lot``).
    row : Mapping
        Its row of the lot table (``area_ha`` shown, ``area_official``, distances).
    sources : Mapping[str, Source]
        ``sources.json`` by id.
    targets : Sequence[LotDistanceTarget]
        The distance targets (their ``column`` is read from ``row``; ``position_from``
        ``zone`` says the lot is placed only as well as its zone).
    names : Mapping[str, str]
        Display names by code: zone ids and land-use codes to their names in ``lang``.
    lang : str
        The language of labels and numbers.
    """
    illustrative = illustrative_fields(props)
    shape_illustrative = props.get("geometry_accuracy") == "illustrative"
    cited = [source_label(s, sources) for s in props.get("sources") or []]
    not_published = t("investor.lot.not_published", lang)

    def basis(field: str, own_source: str | None = None) -> str:
        if field in illustrative:
            return t("investor.lot.basis.illustrative", lang)
        if own_source and props.get(own_source):
            return source_label(props[own_source], sources)
        return "; ".join(cited)

    facts: list[LotFact] = []
    for key, field, unit in _FIELDS:
        value = props.get(field)
        label = t(f"investor.lot.field.{key}", lang)
        if value is None or value == "":
            facts.append(LotFact(key, label, not_published, ""))
            continue
        if field == "zone_id":  # where the lot is drawn: the zone's own panel cites it
            facts.append(LotFact(key, label, names.get(str(value), str(value)), ""))
            continue
        if field == "land_use":
            text = names.get(str(value), str(value))
        elif field == "availability":
            text = t(f"investor.lot.availability.{value}", lang)
        elif unit is not None:
            text = f"{_number(value, lang)} {t(unit, lang)}"
        else:
            text = str(value)
        facts.append(LotFact(key, label, text, basis(field)))
    area = float(row["area_ha"])
    area_text = t(
        "investor.lot.area_value",
        lang,
        ha=format_number(area, 2, grouping=True, lang=lang),
        m2=format_number(round(area * 10_000), 0, grouping=True, lang=lang),
    )
    if row.get("area_official"):
        area_basis = source_label(props.get("area_source"), sources)
    else:
        area_basis = t("investor.lot.basis.measured", lang)
        if shape_illustrative or "geometry" in illustrative:
            area_basis = f"{area_basis}; {t('investor.lot.basis.illustrative', lang)}"
    facts.append(LotFact("area", t("investor.lot.field.area", lang), area_text, area_basis))
    for field, own_source in _TEXTS:
        text = localized(props, field, lang)
        label = t(f"investor.lot.field.{field}", lang)
        if not text:
            facts.append(LotFact(field, label, not_published, ""))
        else:
            facts.append(LotFact(field, label, text, basis(f"{field}_{lang}", own_source)))
    for target in targets:
        text = distance_text(row.get(target.column), lang)
        if text:
            how = t("investor.lot.basis.distance", lang)
            if row.get("position_from") == "zone":
                how = f"{how}; {t('investor.lot.basis.distance_zone', lang)}"
            facts.append(LotFact(target.column, target.label[lang], text, how))
        else:
            unknown = t("investor.lot.distance_unknown", lang)
            facts.append(LotFact(target.column, target.label[lang], unknown, ""))
    accuracy = str(props.get("geometry_accuracy"))
    facts.append(
        LotFact(
            "accuracy", t("investor.lot.field.accuracy", lang), t(f"accuracy.{accuracy}", lang), ""
        )
    )
    return facts
