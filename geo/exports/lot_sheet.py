"""The one-page A4 PDF sheet of a lot: locator map, facts with their basis, distances, contact.

Drawn with matplotlib from the data alone (no tiles, nothing downloaded): the lot, the other
lots of its zone, the zone's outline and the nearest feature of every distance target (the
gate, the expressway, the station), in EPSG:9215 metres. Every fact is shown with its source,
or with the label "illustrative" when the lot names it in ``illustrative_fields``; a fact no
source gives reads "not in our sources". The "for reference only" notice heads and closes the
page. Texts are in the chosen language, set in the vendored Noto Sans and Noto Sans SC
(:func:`geo.fonts.use_in_matplotlib`), embedded as TrueType (``pdf.fonttype`` 42), so
Vietnamese and Chinese print as glyphs, not boxes.

Examples
--------
>>> import geopandas
>>> from shapely import Point, box
>>> from geo.vocabulary import LOT_FIELDS
>>> lot = {f: None for f in LOT_FIELDS} | {
...     "id": "lot-x-a01", "code": "A-01", "zone_id": "zone-x", "land_use": "TMD",
...     "availability": "available", "geometry_accuracy": "digitised",
...     "illustrative_fields": [], "sources": []}
>>> lots = geopandas.GeoDataFrame([lot], geometry=[box(106.70, 21.93, 106.701, 21.931)],
...                               crs=4326).set_index("id", drop=False)
>>> pdf = lot_sheet_pdf("lot-x-a01", lots=lots, layers={}, sources={}, lang="en")
>>> pdf[:5], tuple(round(x * 72, 1) for x in A4_INCHES)
(b'%PDF-', (595.3, 841.9))
"""

from __future__ import annotations

import io
import textwrap
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import geopandas
import matplotlib
import pandas as pd
from matplotlib.figure import Figure
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from geo.crs import VN2000_TM3_LANG_SON, WGS84, transform_geometry
from geo.errors import ExportError
from geo.exports.notes import cited_source_ids, plain_value
from geo.fonts import use_in_matplotlib
from geo.i18n import LANGUAGES, feature_name, t
from geo.lot_distances import LotDistanceTarget, load_lot_distance_targets, lot_distances
from geo.measure import area_ha
from geo.sources import Source
from geo.vocabulary import LAND_USES

__all__ = ["A4_INCHES", "LotSheetError", "lot_sheet_pdf", "write_lot_sheet"]

#: ISO 216 A4, 210 × 297 mm (595.3 × 841.9 pt).
A4_INCHES: Final = (210 / 25.4, 297 / 25.4)
_NOTICE_COLOUR: Final = "#b00020"
_MUTED: Final = "#555555"
_LOT_FILL: Final = "#d9480f"
_OTHER_LOTS: Final = "#c8c8c8"
_TARGET_COLOURS: Final = ("#1864ab", "#2b8a3e", "#5f3dc4", "#495057")
_FONT_PT: Final = 8.0
_LINE: Final = 0.0128  # figure fraction per text line at 8 pt


class LotSheetError(ExportError):
    """The lot asked for is not in the frame given, or the language is unknown."""


def _width(text: str) -> int:
    """Return the display width of ``text``: a CJK character takes two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap(text: str, columns: int) -> list[str]:
    """Wrap ``text`` to ``columns`` display columns (CJK text has no spaces to break at)."""
    lines: list[str] = []
    for paragraph in str(text).splitlines() or [""]:
        if _width(paragraph) == len(paragraph):
            lines.extend(textwrap.wrap(paragraph, columns) or [""])
            continue
        line = ""
        for ch in paragraph:
            if _width(line + ch) > columns:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    return lines


def _number(value: Any, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def _text(props: Mapping[str, Any], base: str, lang: str) -> str | None:
    value = props.get(f"{base}_{lang}")
    return value if isinstance(value, str) and value.strip() else None


class _Facts:
    """Builds the (label, value, basis) rows of one lot in one language."""

    def __init__(self, props: Mapping[str, Any], lang: str) -> None:
        self.props = props
        self.lang = lang
        self.illustrative = set(plain_value(props.get("illustrative_fields")) or [])
        self.rows: list[tuple[str, str, str]] = []

    def basis(self, fields: Sequence[str], source: str | None = None) -> str:
        if any(f in self.illustrative for f in fields):
            return t("lotsheet.illustrative", self.lang)
        if source:
            return t("lotsheet.source", self.lang, source=source)
        cited = plain_value(self.props.get("sources")) or []
        return t("lotsheet.source", self.lang, source=", ".join(cited)) if cited else ""

    def add(
        self, key: str, value: str | None, fields: Sequence[str], source: str | None = None
    ) -> None:
        if value is None:
            unknown = fields[0] in self.illustrative
            shown = "—" if unknown else t("lotsheet.not_known", self.lang)
            self.rows.append((t(key, self.lang), shown, self.basis(fields) if unknown else ""))
            return
        self.rows.append((t(key, self.lang), value, self.basis(fields, source)))


def _facts(
    props: Mapping[str, Any], geom: BaseGeometry, zone_name: str | None, lang: str
) -> list[tuple[str, str, str]]:
    f = _Facts(props, lang)
    p = {k: plain_value(v) for k, v in props.items()}
    f.rows.append((t("lotsheet.zone", lang), zone_name or str(p.get("zone_id")), ""))
    f.add("lotsheet.road", p.get("road"), ["road"])
    use = LAND_USES.get(p.get("land_use") or "")
    f.add(
        "lotsheet.land_use",
        f"{p['land_use']} – {use.name[lang]}" if use else p.get("land_use"),
        ["land_use"],
    )
    if p.get("area_ha") is not None:
        ha = float(p["area_ha"])
        f.add(
            "lotsheet.area",
            t("lotsheet.area_value", lang, ha=_number(ha, 2), m2=_number(ha * 1e4)),
            ["area_ha"],
            p.get("area_source"),
        )
    else:
        ha = area_ha(geom)
        value = t("lotsheet.area_value", lang, ha=_number(ha, 2), m2=_number(ha * 1e4))
        basis = t("lotsheet.area_measured", lang)
        if "geometry" in f.illustrative:
            basis = f"{t('lotsheet.illustrative', lang)}; {basis}"
        f.rows.append((t("lotsheet.area", lang), value, basis))
    availability = p.get("availability")
    f.add(
        "lotsheet.availability",
        t(f"lotsheet.{availability}", lang) if availability else None,
        ["availability"],
    )
    if availability == "leased":
        f.add("lotsheet.tenant", p.get("tenant"), ["tenant"])
    rent = p.get("rent_usd_m2_term")
    f.add(
        "lotsheet.rent",
        None if rent is None else t("lotsheet.rent_value", lang, value=_number(rent)),
        ["rent_usd_m2_term"],
    )
    year = p.get("lease_end_year")
    f.add("lotsheet.lease_end", None if year is None else str(year), ["lease_end_year"])
    plot = p.get("min_plot_m2")
    f.add(
        "lotsheet.min_plot",
        None if plot is None else t("lotsheet.m2_value", lang, value=_number(plot)),
        ["min_plot_m2"],
    )
    fee = p.get("management_fee_usd_m2_month")
    f.add(
        "lotsheet.management_fee",
        None if fee is None else t("lotsheet.per_m2_month", lang, value=_number(fee, 2)),
        ["management_fee_usd_m2_month"],
    )
    warehouse = p.get("warehouse_rent_usd_m2_month")
    if warehouse is None and "warehouse_rent_usd_m2_month" in f.illustrative:
        f.rows.append(
            (
                t("lotsheet.warehouse", lang),
                t("lotsheet.no_warehouse", lang),
                f.basis(["warehouse_rent_usd_m2_month"]),
            )
        )
    else:
        f.add(
            "lotsheet.warehouse",
            None
            if warehouse is None
            else t("lotsheet.per_m2_month", lang, value=_number(warehouse, 1)),
            ["warehouse_rent_usd_m2_month"],
        )
    f.add("lotsheet.utilities", _text(p, "utilities", lang), [f"utilities_{lang}"])
    f.add(
        "lotsheet.incentives",
        _text(p, "incentives", lang),
        [f"incentives_{lang}"],
        p.get("incentives_source"),
    )
    f.add(
        "lotsheet.contact", _text(p, "contact", lang), [f"contact_{lang}"], p.get("contact_source")
    )
    return f.rows


def _metric(geom: BaseGeometry) -> BaseGeometry:
    return transform_geometry(geom, WGS84, VN2000_TM3_LANG_SON)


def _draw(ax: Any, geom: BaseGeometry, **style: Any) -> None:
    if isinstance(geom, Polygon | MultiPolygon):
        parts = geom.geoms if isinstance(geom, MultiPolygon) else [geom]
        for part in parts:
            xs, ys = part.exterior.xy
            ax.fill(xs, ys, **style)
    elif isinstance(geom, LineString | MultiLineString):
        parts = geom.geoms if isinstance(geom, MultiLineString) else [geom]
        for i, part in enumerate(parts):
            xs, ys = part.xy
            ax.plot(
                xs, ys, **(style if i == 0 else {k: v for k, v in style.items() if k != "label"})
            )
    elif isinstance(geom, Point):
        ax.plot([geom.x], [geom.y], marker="o", linestyle="none", **style)


def _nearest(
    geom: BaseGeometry, gdf: geopandas.GeoDataFrame, feature: str | None
) -> tuple[str, BaseGeometry] | None:
    if feature is not None:
        return (feature, gdf.geometry.loc[feature]) if feature in gdf.index else None
    if len(gdf) == 0:
        return None
    metric = _metric(geom)
    best = min(gdf.geometry.items(), key=lambda item: metric.distance(_metric(item[1])))
    return str(best[0]), best[1]


def _locator(
    ax: Any,
    lot_id: str,
    lots: geopandas.GeoDataFrame,
    zone: tuple[str, BaseGeometry, Mapping[str, Any]] | None,
    layers: Mapping[str, geopandas.GeoDataFrame],
    targets: Sequence[LotDistanceTarget],
    lang: str,
) -> None:
    geom = lots.geometry.loc[lot_id]
    lot_m = _metric(geom)
    frame = [lot_m]
    if zone is not None:
        zone_id, zone_geom, _ = zone
        zone_m = _metric(zone_geom)
        frame.append(zone_m)
        others = lots[(lots["zone_id"] == zone_id) & (lots.index != lot_id)]
        for other in others.geometry:
            _draw(ax, _metric(other), facecolor=_OTHER_LOTS, edgecolor="white", linewidth=0.3)
        xs, ys = zone_m.exterior.xy if isinstance(zone_m, Polygon) else zone_m.geoms[0].exterior.xy
        ax.plot(
            xs,
            ys,
            color="#333333",
            linewidth=1.0,
            linestyle="--",
            label=t("lotsheet.map_zone", lang),
        )
    _draw(
        ax,
        lot_m,
        facecolor=_LOT_FILL,
        edgecolor="#7a2a00",
        linewidth=0.8,
        label=t("lotsheet.map_lot", lang),
    )
    seen: set[str] = set()
    for colour, target in zip(_TARGET_COLOURS, targets, strict=False):
        gdf = layers.get(target.layer)
        found = None if gdf is None else _nearest(geom, gdf, target.feature)
        if found is None or found[0] in seen:
            continue
        seen.add(found[0])
        fid, target_geom = found
        target_m = _metric(target_geom)
        name = feature_name(gdf.loc[fid].to_dict() | {"id": fid}, lang)
        _draw(ax, target_m, color=colour, linewidth=2.0, markersize=6, label=name)
        if not isinstance(target_m, Point):
            # A line reaches far: frame its point nearest to the lot, and mark it.
            target_m = nearest_points(lot_m, target_m)[1]
            ax.plot([target_m.x], [target_m.y], marker="x", color=colour, markersize=6)
            frame.append(target_m)
        else:
            frame.append(target_m)
            ax.annotate(
                name,
                (target_m.x, target_m.y),
                xytext=(4, 4),
                textcoords="offset points",
                fontsize=7,
                color=colour,
            )
    xmin = min(g.bounds[0] for g in frame)
    ymin = min(g.bounds[1] for g in frame)
    xmax = max(g.bounds[2] for g in frame)
    ymax = max(g.bounds[3] for g in frame)
    pad = max(xmax - xmin, ymax - ymin) * 0.08 + 100
    ax.set_xlim(xmin - pad, xmax + pad)
    ax.set_ylim(ymin - pad, ymax + pad)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    bar = 500.0 if xmax - xmin > 1500 else 200.0
    x0, y0 = xmin - pad * 0.6, ymin - pad * 0.6
    ax.plot([x0, x0 + bar], [y0, y0], color="black", linewidth=2)
    ax.text(x0 + bar / 2, y0 + pad * 0.12, f"{bar:.0f} m", ha="center", fontsize=7)
    # Grid north of EPSG:9215 is true north to within 0.2° here. The arrow is drawn, not a
    # character: Noto Sans has no "↑", and falling back to Noto Sans SC would embed it.
    ax.annotate(
        "N",
        xy=(0.975, 0.97),
        xytext=(0.975, 0.86),
        xycoords="axes fraction",
        ha="center",
        va="top",
        fontsize=9,
        arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 1.2},
    )
    ax.legend(loc="best", fontsize=7, framealpha=0.85)


def _find_zone(
    zone_id: object, layers: Mapping[str, geopandas.GeoDataFrame]
) -> tuple[str, BaseGeometry, Mapping[str, Any]] | None:
    for gdf in layers.values():
        if isinstance(zone_id, str) and zone_id in gdf.index and "name_en" in gdf:
            row = gdf.loc[zone_id]
            return zone_id, row.geometry, row.to_dict()
    return None


def lot_sheet_pdf(
    lot_id: str,
    *,
    lots: geopandas.GeoDataFrame,
    layers: Mapping[str, geopandas.GeoDataFrame],
    sources: Mapping[str, Source],
    lang: str = "vi",
    distances: pd.DataFrame | None = None,
    targets: Sequence[LotDistanceTarget] | None = None,
) -> bytes:
    """Return the one-page A4 PDF sheet of one lot.

    Parameters
    ----------
    lot_id : str
        The lot's id (an index value of ``lots``).
    lots : geopandas.GeoDataFrame
        The lot layer (schema ``lot``, EPSG:4326, indexed by id); the lot's zone-mates are
        drawn too.
    layers : Mapping[str, geopandas.GeoDataFrame]
        Loaded layers by id: the zones and the distance targets' layers (gates,
        expressways). Missing ones are left out of the map, and their distances unknown.
    sources : Mapping[str, Source]
        ``layers/sources.json``: the citations printed at the bottom.
    lang : {"vi", "en", "zh"}
        Language of every text.
    distances : pandas.DataFrame, optional
        :func:`geo.lot_distances.lot_distances` of ``lots`` (the UI's cached table);
        computed for this lot when not given.
    targets : sequence of LotDistanceTarget, optional
        Default :func:`geo.lot_distances.load_lot_distance_targets`.

    Raises
    ------
    LotSheetError
        When ``lot_id`` is not in ``lots``, or ``lang`` is not a known language.
    """
    if lang not in LANGUAGES:
        raise LotSheetError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    if lot_id not in lots.index:
        shown = ", ".join(map(str, list(lots.index)[:5]))
        raise LotSheetError(f"no lot {lot_id!r} in the lot layer (first ids: {shown})")
    targets = load_lot_distance_targets() if targets is None else targets
    row = lots.loc[lot_id]
    props = {k: v for k, v in row.items() if k != lots.geometry.name}
    geom = row.geometry
    zone = _find_zone(props.get("zone_id"), layers)
    zone_name = feature_name(zone[2], lang) if zone is not None else None
    if distances is None or lot_id not in distances.index:
        distances = lot_distances(lots.loc[[lot_id]], layers, targets)
    families = use_in_matplotlib()
    with matplotlib.rc_context(
        {"font.family": list(families), "pdf.fonttype": 42, "font.size": _FONT_PT}
    ):
        fig = Figure(figsize=A4_INCHES)
        _page(
            fig,
            lot_id,
            props,
            geom,
            zone,
            zone_name,
            lots,
            layers,
            sources,
            lang,
            distances.loc[lot_id],
            targets,
        )
        out = io.BytesIO()
        fig.savefig(
            out,
            format="pdf",
            metadata={
                "Title": t("lotsheet.title", lang, code=props.get("code")),
                "CreationDate": None,
            },
        )
    return out.getvalue()


def _page(
    fig: Figure,
    lot_id: str,
    props: Mapping[str, Any],
    geom: BaseGeometry,
    zone: tuple[str, BaseGeometry, Mapping[str, Any]] | None,
    zone_name: str | None,
    lots: geopandas.GeoDataFrame,
    layers: Mapping[str, geopandas.GeoDataFrame],
    sources: Mapping[str, Source],
    lang: str,
    distance_row: pd.Series,
    targets: Sequence[LotDistanceTarget],
) -> None:
    notice = t("export.notice", lang)
    fig.text(
        0.06,
        0.965,
        t("lotsheet.title", lang, code=props.get("code")),
        fontsize=16,
        weight="bold",
        va="top",
    )
    if zone_name:
        fig.text(0.06, 0.94, zone_name, fontsize=10, va="top", color=_MUTED)
    fig.text(
        0.94, 0.965, notice, fontsize=11, weight="bold", va="top", ha="right", color=_NOTICE_COLOUR
    )
    y = 0.918
    illustrative = plain_value(props.get("illustrative_fields")) or []
    if illustrative:
        for line in _wrap(t("lotsheet.illustrative_lot", lang), 125):
            fig.text(0.06, y, line, fontsize=_FONT_PT, color=_NOTICE_COLOUR, va="top")
            y -= _LINE
    ax = fig.add_axes((0.06, y - 0.30, 0.88, 0.29))
    _locator(ax, lot_id, lots, zone, layers, targets, lang)
    y -= 0.305
    fig.text(0.06, y, t("lotsheet.map_note", lang), fontsize=6.5, color=_MUTED, va="top")
    y -= _LINE * 1.6
    fig.text(0.06, y, t("lotsheet.facts", lang), fontsize=10, weight="bold", va="top")
    y -= _LINE * 1.4
    for label, value, basis in _facts(props, geom, zone_name, lang):
        value_lines, basis_lines = _wrap(value, 58), _wrap(basis, 34)
        fig.text(0.06, y, label, va="top", weight="bold")
        for i, line in enumerate(value_lines):
            fig.text(0.30, y - i * _LINE, line, va="top")
        for i, line in enumerate(basis_lines):
            fig.text(0.70, y - i * _LINE, line, va="top", color=_MUTED)
        y -= _LINE * max(len(value_lines), len(basis_lines), 1) + 0.002
    y -= _LINE * 0.6
    fig.text(0.06, y, t("lotsheet.distances", lang), fontsize=10, weight="bold", va="top")
    y -= _LINE * 1.4
    for target in targets:
        metres = distance_row.get(target.column)
        known = metres is not None and not pd.isna(metres)
        value = (
            t("lotsheet.km", lang, km=f"{metres / 1000:.2f}")
            if known
            else t("lotsheet.distance_unknown", lang)
        )
        label_lines = _wrap(target.label[lang], 70)
        for i, line in enumerate(label_lines):
            fig.text(0.06, y - i * _LINE, line, va="top")
        fig.text(0.70, y, value, va="top", weight="bold")
        y -= _LINE * len(label_lines) + 0.002
    if distance_row.get("position_from") == "zone":
        fig.text(
            0.06, y, t("lotsheet.distance_from_zone", lang), va="top", color=_MUTED, fontsize=7
        )
        y -= _LINE
    basis = _text(props, "illustrative_basis", lang)
    if basis:
        y -= _LINE * 0.6
        fig.text(0.06, y, t("lotsheet.basis", lang), fontsize=10, weight="bold", va="top")
        y -= _LINE * 1.4
        for line in _wrap(basis, 135):
            fig.text(0.06, y, line, va="top", fontsize=7)
            y -= _LINE * 0.9
    cited = cited_source_ids(pd.DataFrame([{k: props.get(k) for k in props}]))
    if cited:
        y -= _LINE * 0.6
        fig.text(0.06, y, t("export.sources", lang), fontsize=10, weight="bold", va="top")
        y -= _LINE * 1.4
        for sid in cited:
            source = sources.get(sid)
            text = f"{sid}: " + (
                ", ".join(x for x in (source.publisher, source.title, source.date, source.url) if x)
                if source
                else "—"
            )
            line = _wrap(text, 150)[0]
            fig.text(
                0.06, y, line + ("…" if line != text else ""), va="top", fontsize=6.5, color=_MUTED
            )
            y -= _LINE * 0.85
    fig.text(
        0.5,
        0.02,
        f"{notice} · {t('export.crs', lang)}",
        ha="center",
        fontsize=7,
        color=_NOTICE_COLOUR,
    )


def write_lot_sheet(path: Path, lot_id: str, **kwargs: Any) -> None:
    """Write :func:`lot_sheet_pdf` to ``path`` atomically (same keyword arguments)."""
    from geo.exports import write_bytes

    write_bytes(path, lot_sheet_pdf(lot_id, **kwargs))
