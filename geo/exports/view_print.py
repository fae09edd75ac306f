"""PNG and PDF of a view at A4 or A3, drawn with matplotlib from the data (no tiles).

The page has a title, the as-of date, the map (the app's styles, drawn in UTM 48N on WGS84,
EPSG:32648), a metric scale bar whose length is measured geodesically at the map's latitude,
a north arrow pointing to true north, the legend, a tour stop's text and key figures with
their sources, the credits of the layers shown, the "not surveyed" notice, and a QR code of
the view's link. Text is set in the vendored Noto fonts (Vietnamese and Chinese glyphs) and
embedded as TrueType (``pdf.fonttype`` 42), so a PDF's text can be searched and copied.

Examples
--------
>>> paper_size_mm("A4", portrait=False), paper_size_mm("A3", portrait=True)
((297.0, 210.0), (297.0, 420.0))
>>> pixel_size("A4", portrait=False, dpi=150)
(1754, 1240)
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from functools import cache
from typing import Any, Final

import matplotlib
import numpy as np
import pyproj
import shapely
from matplotlib import patheffects
from matplotlib.figure import Figure as MplFigure
from matplotlib.patches import PathPatch
from matplotlib.patches import Polygon as MplPolygon
from matplotlib.path import Path as MplPath
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo import style as st
from geo.exports.view_spec import ExportView, ViewMaterial, frame_box
from geo.fonts import use_in_matplotlib
from geo.i18n import feature_name, t
from geo.legend import legend_entries
from geo.map_data import LayerData, MapLayer, iter_features
from geo.mapview import context_layer_data, project_layer_data
from geo.measure import GEOD
from geo.share_link import qr_matrix
from geo.text import format_day, format_number

__all__ = [
    "FORMATS",
    "PAPERS",
    "paper_size_mm",
    "pixel_size",
    "render_pdf_pages",
    "render_print",
    "scale_bar_km",
]

FORMATS: Final = ("png", "pdf")
#: ISO 216 sizes, portrait (width, height) in millimetres.
PAPERS: Final[dict[str, tuple[float, float]]] = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
DEFAULT_DPI: Final = 150
_MM_PER_INCH: Final = 25.4
#: Height of a line of Noto Sans in em (ascender + descender), what matplotlib spaces by.
_LINE_EM: Final = 1.36
_PT_PER_PX: Final = 0.75  # a CSS pixel is 1/96 in, a point 1/72 in
#: The map is drawn in metres: UTM 48N on WGS84 (scale error < 0.1 % over Lạng Sơn).
DRAW_CRS: Final = "EPSG:32648"
PAGE_MARGIN_MM: Final = 10.0
SIDE_PANEL_MM: Final = 78.0
HEADER_MM: Final = 20.0
FOOTER_MM: Final = 16.0
#: Font sizes in points on A4; A3 scales them by √2 (the same page, enlarged).
FONT_PT: Final[dict[str, float]] = {
    "title": 16.0,
    "subtitle": 9.0,
    "body": 8.0,
    "small": 6.5,
    "label": 6.5,
    "figure": 12.0,
}
PAGE_TEXT_COLOUR: Final = st.UI_TEXT_COLOUR
MAP_FRAME_COLOUR: Final = "#555555"
#: Smallest detail drawn, on paper: lines are simplified to it (a tenth of a millimetre).
PRINT_DETAIL_MM: Final = 0.1
#: Margin around the framed box, as a share of its size on each side.
FRAME_PAD: Final = 0.2
#: Widest map (metres of ground) that gets project labels: what zoom 12 shows on 1280 px.
LABEL_MAX_MAP_WIDTH_M: Final = 45_000.0
#: Nice scale bar lengths in kilometres (the longest that fits a quarter of the map width).
SCALE_STEPS_KM: Final = (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)


def paper_size_mm(paper: str, *, portrait: bool) -> tuple[float, float]:
    """Return (width, height) of a sheet in millimetres, in the orientation asked."""
    if paper not in PAPERS:
        raise ValueError(f"unknown paper {paper!r}; expected one of {', '.join(PAPERS)}")
    short, long = PAPERS[paper]
    return (short, long) if portrait else (long, short)


def pixel_size(paper: str, *, portrait: bool, dpi: int) -> tuple[int, int]:
    """Return the PNG size in pixels of a sheet at ``dpi`` (rounded as matplotlib does)."""
    width, height = paper_size_mm(paper, portrait=portrait)
    return round(width / _MM_PER_INCH * dpi), round(height / _MM_PER_INCH * dpi)


@cache
def _to_draw() -> pyproj.Transformer:
    return pyproj.Transformer.from_crs("EPSG:4326", DRAW_CRS, always_xy=True)


def _project(geom: BaseGeometry) -> BaseGeometry:
    tr = _to_draw()
    return shapely.transform(geom, lambda xy: np.column_stack(tr.transform(xy[:, 0], xy[:, 1])))


def render_print(
    view: ExportView,
    material: ViewMaterial,
    *,
    fmt: str = "pdf",
    paper: str = "A4",
    portrait: bool = False,
    dpi: int = DEFAULT_DPI,
) -> bytes:
    """Return the PNG or PDF bytes of ``view`` on one sheet.

    Parameters
    ----------
    view : ExportView
        What to draw.
    material : ViewMaterial
        The data.
    fmt : {"png", "pdf"}
        PDF is vector (text, shapes and the QR code); PNG is ``dpi`` pixels per inch.
    paper : {"A4", "A3"}
    portrait : bool
        Portrait instead of landscape.
    dpi : int
        Resolution of a PNG (and of nothing else in a PDF).

    Raises
    ------
    ValueError
        For an unknown format or paper, or a resolution below 50 dpi.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown print format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if dpi < 50:
        raise ValueError(f"expected a resolution of at least 50 dpi; found {dpi}")
    rc = _rc()
    with matplotlib.rc_context(rc):
        fig = _figure(view, material, fmt=fmt, paper=paper, portrait=portrait, dpi=dpi)
        out = io.BytesIO()
        fig.savefig(out, format=fmt, dpi=dpi, metadata=_metadata(view, fmt))
    return out.getvalue()


def render_pdf_pages(
    views: Sequence[ExportView],
    material: ViewMaterial,
    *,
    paper: str = "A4",
    portrait: bool = False,
) -> bytes:
    """Return one PDF with a page per view (the whole tour), as :func:`render_print` draws it."""
    from matplotlib.backends.backend_pdf import PdfPages

    out = io.BytesIO()
    with matplotlib.rc_context(_rc()), PdfPages(out, metadata=_metadata(views[0], "pdf")) as pdf:
        for view in views:
            pdf.savefig(
                _figure(view, material, fmt="pdf", paper=paper, portrait=portrait, dpi=DEFAULT_DPI)
            )
    return out.getvalue()


def _rc() -> dict[str, Any]:
    return {
        "font.family": list(use_in_matplotlib()),
        "pdf.fonttype": 42,
        "svg.fonttype": "none",
        "lines.scale_dashes": False,
        "text.color": PAGE_TEXT_COLOUR,
    }


def _figure(
    view: ExportView, material: ViewMaterial, *, fmt: str, paper: str, portrait: bool, dpi: int
) -> MplFigure:
    width_mm, height_mm = paper_size_mm(paper, portrait=portrait)
    scale = math.sqrt(2) if paper == "A3" else 1.0
    size_in = (width_mm / _MM_PER_INCH, height_mm / _MM_PER_INCH)
    if fmt == "png":
        # Whole pixels, rounded (matplotlib would truncate: 1753 px for A4 at 150 dpi).
        size_in = tuple(px / dpi for px in pixel_size(paper, portrait=portrait, dpi=dpi))
    fig = MplFigure(figsize=size_in, dpi=dpi)
    _draw_page(_Page(fig, width_mm, height_mm, scale, portrait), view, material)
    return fig


def _metadata(view: ExportView, fmt: str) -> dict[str, Any]:
    title = _title(view)
    if fmt == "pdf":
        return {"Title": title, "Creator": "Đồng Đăng – Lạng Sơn map", "CreationDate": None}
    return {"Title": title}


class _Page:
    """The sheet and its regions, in millimetres from the top-left corner."""

    def __init__(
        self, fig: MplFigure, width_mm: float, height_mm: float, scale: float, portrait: bool
    ) -> None:
        self.fig, self.w, self.h, self.scale, self.portrait = (
            fig,
            width_mm,
            height_mm,
            scale,
            portrait,
        )
        m = PAGE_MARGIN_MM * scale
        header, footer = HEADER_MM * scale, FOOTER_MM * scale
        body_top, body_bottom = m + header, height_mm - m - footer
        if portrait:
            panel_h = (body_bottom - body_top) * 0.34
            self.map = (m, body_top, width_mm - 2 * m, body_bottom - body_top - panel_h - 3 * scale)
            self.panel = (m, body_bottom - panel_h, width_mm - 2 * m, panel_h)
        else:
            side = SIDE_PANEL_MM * scale
            self.map = (m, body_top, width_mm - 2 * m - side - 4 * scale, body_bottom - body_top)
            self.panel = (width_mm - m - side, body_top, side, body_bottom - body_top)
        self.header = (m, m, width_mm - 2 * m, header)
        self.footer = (m, height_mm - m - footer, width_mm - 2 * m, footer)

    def pt(self, key: str) -> float:
        return FONT_PT[key] * self.scale

    def rect(self, box: tuple[float, float, float, float]) -> list[float]:
        """Return a (left, top, width, height) box in mm as matplotlib's [l, b, w, h] fractions."""
        left, top, width, height = box
        return [left / self.w, 1 - (top + height) / self.h, width / self.w, height / self.h]

    def axes(self, box: tuple[float, float, float, float]) -> Any:
        ax = self.fig.add_axes(self.rect(box))
        ax.set_axis_off()
        ax.set_xlim(0, box[2])
        ax.set_ylim(box[3], 0)  # y grows downwards, in mm
        return ax


def _title(view: ExportView) -> str:
    if view.stop is not None:
        return view.stop.title[view.lang]
    return t("app.title", view.lang)


def _draw_page(page: _Page, view: ExportView, material: ViewMaterial) -> None:
    lang = view.lang
    head = page.axes(page.header)
    head.text(0, 0, _title(view), fontsize=page.pt("title"), fontweight="bold", va="top")
    subtitle = [t("export.as_of", lang, date=format_day(view.as_of, lang))]
    if view.stop is not None:
        subtitle.insert(0, t("tour.counter", lang, number=view.stop.number, count=view.stop_count))
    elif view.feature and (props := _props(material, view.feature)) is not None:
        subtitle.insert(0, feature_name(props, lang))
    head.text(
        0, page.header[3] * 0.62, " · ".join(subtitle), fontsize=page.pt("subtitle"), va="top"
    )
    layers = material.visible(view)
    _draw_map(page, view, material, layers)
    _draw_panel(page, view, material, layers)
    _draw_footer(page, view, material)


def _props(material: ViewMaterial, fid: str) -> dict[str, Any] | None:
    for layer in material.layers.values():
        if fid in layer.data.index:
            return next(p for i, p, _ in iter_features(layer.data.loc[[fid]]) if i == fid)
    return None


# ---------------------------------------------------------------------------
# The map


def _draw_map(
    page: _Page, view: ExportView, material: ViewMaterial, layers: Sequence[MapLayer]
) -> None:
    ax = page.fig.add_axes(page.rect(page.map))
    ax.set_facecolor(st.MAP_BACKGROUND)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor(MAP_FRAME_COLOUR)
        spine.set_linewidth(0.8)
    (south, west), (north, east) = frame_box(view, material)
    box = _project(shapely.box(west, south, east, north)).bounds
    pad = FRAME_PAD if view.feature is not None else 0.0  # a centre and zoom is a screen's view
    xmin, ymin, xmax, ymax = _fit_aspect(box, page.map[2] / page.map[3], pad=pad)
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal", adjustable="box")
    visible_box = shapely.box(xmin, ymin, xmax, ymax)
    # As on the screen, project labels only where they can be told apart (zoom ≥ 12 there).
    labelled = xmax - xmin <= LABEL_MAX_MAP_WIDTH_M
    tolerance_m = (xmax - xmin) / page.map[2] * PRINT_DETAIL_MM
    for layer in layers:
        data = _layer_data(layer, view)
        role = "project" if layer.spec.schema == "project" else "context"
        zorder = st.PANE_Z_INDEX[st.pane_name(layer.spec.geometry_kind, role)] / 100
        _draw_layer(ax, data, layer.spec.geometry_kind, zorder, tolerance_m, visible_box)
        if view.feature is not None and layer.spec.schema == "project":
            _draw_selection(ax, data, view.feature, zorder - 0.005)
        if labelled or layer.spec.schema == "context":
            _draw_labels(ax, page, layer, data, visible_box, view)
    _draw_scale_bar(ax, page, (xmin, ymin, xmax, ymax), view.lang)
    _draw_north_arrow(ax, page, (xmin, ymin, xmax, ymax), view.lang)


def _fit_aspect(
    bounds: Sequence[float], aspect: float, *, pad: float
) -> tuple[float, float, float, float]:
    """Grow ``bounds`` (x0, y0, x1, y1) by ``pad`` and to the width/height ``aspect``."""
    x0, y0, x1, y1 = bounds
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w, h = max(x1 - x0, 500.0) * (1 + 2 * pad), max(y1 - y0, 500.0) * (1 + 2 * pad)
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def _layer_data(layer: MapLayer, view: ExportView) -> LayerData:
    if layer.spec.schema == "project":
        return project_layer_data(layer, lang=view.lang, as_of=view.as_of, colour_by=view.colour_by)
    return context_layer_data(layer, lang=view.lang)


def _dashes(dash: object) -> tuple[float, ...] | None:
    if not isinstance(dash, str) or not dash.strip():
        return None
    return tuple(float(v) * _PT_PER_PX for v in dash.replace(",", " ").split())


def _draw_layer(
    ax: Any,
    data: LayerData,
    kind: str,
    zorder: float,
    tolerance_m: float,
    visible: BaseGeometry,
) -> None:
    """Draw a layer's features; lines and outlines simplified to what the paper can show."""
    for feature in data.features:
        style = data.styles[feature["properties"]["k"]]
        geom = _project(shape(feature["geometry"]))
        if not geom.intersects(visible):
            continue
        if kind != "point":
            geom = geom.simplify(tolerance_m, preserve_topology=True)
        edge = style.get("color", st.NEUTRAL_COLOUR)
        width = float(style.get("weight", 1.5)) * _PT_PER_PX
        dashes = _dashes(style.get("dashArray"))
        if kind == "polygon":
            for poly in getattr(geom, "geoms", [geom]):
                _polygon_patch(ax, poly, style, edge, width, dashes, zorder)
        elif kind == "line":
            for line in getattr(geom, "geoms", [geom]):
                xs, ys = line.xy
                (artist,) = ax.plot(
                    xs,
                    ys,
                    color=edge,
                    linewidth=width,
                    alpha=style.get("opacity", 1.0),
                    solid_capstyle="butt",
                    zorder=zorder,
                )
                if dashes:
                    artist.set_dashes(dashes)
        else:
            radius_pt = float(style.get("radius", 5)) * _PT_PER_PX
            ax.plot(
                [geom.x],
                [geom.y],
                marker="o",
                markersize=2 * radius_pt,
                linestyle="none",
                markerfacecolor=style.get("fillColor", edge),
                markeredgecolor=edge,
                markeredgewidth=width,
                alpha=style.get("opacity", 1.0),
                zorder=zorder,
            )


def _polygon_patch(
    ax: Any,
    poly: BaseGeometry,
    style: dict[str, Any],
    edge: str,
    width: float,
    dashes: tuple[float, ...] | None,
    zorder: float,
) -> None:
    rings = [poly.exterior, *poly.interiors]
    vertices = np.concatenate([np.asarray(r.coords)[:, :2] for r in rings])
    codes = np.concatenate(
        [
            [MplPath.MOVETO] + [MplPath.LINETO] * (len(r.coords) - 2) + [MplPath.CLOSEPOLY]
            for r in rings
        ]
    )
    path = MplPath(vertices, codes)
    if style.get("fill", True):
        fill = style.get("fillColor", edge)
        opacity = style.get("fillOpacity", 0.2)
        ax.add_patch(
            PathPatch(path, facecolor=fill, alpha=opacity, edgecolor="none", zorder=zorder)
        )
    outline = PathPatch(
        path,
        facecolor="none",
        edgecolor=edge,
        linewidth=width,
        alpha=style.get("opacity", 1.0),
        zorder=zorder + 0.001,
    )
    if dashes:
        outline.set_linestyle((0, dashes))
    ax.add_patch(outline)


def _draw_selection(ax: Any, data: LayerData, fid: str, zorder: float) -> None:
    """Draw a dark-and-white halo under the framed feature, as the map's selection."""
    for feature in data.features:
        if feature["properties"]["id"] != fid:
            continue
        geom = _project(shape(feature["geometry"]))
        outline = geom.boundary if geom.geom_type in ("Polygon", "MultiPolygon") else geom
        for colour, extra in (
            (st.HALO_OUTER_COLOUR, st.HALO_OUTER_EXTRA_PX),
            (st.HALO_INNER_COLOUR, st.HALO_INNER_EXTRA_PX),
        ):
            width = (3 + extra) * _PT_PER_PX
            if outline.geom_type == "Point":
                ax.plot(
                    [outline.x],
                    [outline.y],
                    marker="o",
                    markersize=26 + 2 * extra,
                    markerfacecolor="none",
                    markeredgecolor=colour,
                    markeredgewidth=width / 2,
                    linestyle="none",
                    zorder=zorder,
                )
                continue
            for part in getattr(outline, "geoms", [outline]):
                xs, ys = part.xy
                ax.plot(
                    xs, ys, color=colour, linewidth=width, zorder=zorder, solid_capstyle="round"
                )


def _draw_labels(
    ax: Any, page: _Page, layer: MapLayer, data: LayerData, visible: BaseGeometry, view: ExportView
) -> None:
    halo = [patheffects.withStroke(linewidth=2.2 * page.scale, foreground="white")]
    labels: list[tuple[float, float, str, float]] = []
    if data.labels:
        labels = [
            (lab["lng"], lab["lat"], lab["text"], float(lab.get("dy", 0))) for lab in data.labels
        ]
    elif layer.spec.geometry_kind == "point":
        labels = [
            (geom.x, geom.y, feature_name(props, view.lang), -12.0)
            for _, props, geom in iter_features(layer.data)
        ]
    tr = _to_draw()
    for lon, lat, text, dy_px in labels:
        x, y = tr.transform(lon, lat)
        if not visible.contains(shapely.Point(x, y)):
            continue
        ax.annotate(
            text,
            (x, y),
            xytext=(0, -dy_px * _PT_PER_PX),
            textcoords="offset points",
            ha="center",
            va="center",
            fontsize=page.pt("label"),
            fontweight="bold",
            color=st.LABEL_COLOUR,
            path_effects=halo,
            zorder=10,
            annotation_clip=True,
            clip_on=True,
        )


def scale_bar_km(map_width_m: float) -> float:
    """Return the longest nice bar length (km) not longer than a quarter of the map width.

    Examples
    --------
    >>> scale_bar_km(40_000), scale_bar_km(9_000), scale_bar_km(100)
    (10, 2, 0.1)
    """
    quarter_km = map_width_m / 4 / 1000
    fitting = [step for step in SCALE_STEPS_KM if step <= quarter_km]
    return fitting[-1] if fitting else SCALE_STEPS_KM[0]


def _draw_scale_bar(ax: Any, page: _Page, box: Sequence[float], lang: str) -> None:
    """Draw a bar of a nice length, measured on the ellipsoid eastwards from its left end."""
    xmin, ymin, xmax, ymax = box
    x0 = xmin + (xmax - xmin) * 0.04
    y0 = ymin + (ymax - ymin) * 0.05
    lon0, lat0 = _to_draw().transform(x0, y0, direction="INVERSE")
    km = scale_bar_km(xmax - xmin)
    lon1, lat1, _ = GEOD.fwd(lon0, lat0, 90.0, km * 1000.0)
    x1, y1 = _to_draw().transform(lon1, lat1)
    tick = (ymax - ymin) * 0.008
    halo = [patheffects.withStroke(linewidth=2.5 * page.scale, foreground="white")]
    ax.plot(
        [x0, x1],
        [y0, y1],
        color="black",
        linewidth=3 * page.scale,
        solid_capstyle="butt",
        zorder=20,
        path_effects=halo,
    )
    for x, y in ((x0, y0), (x1, y1)):
        ax.plot([x, x], [y - tick, y + tick], color="black", linewidth=1 * page.scale, zorder=20)
    label = t("unit.km", lang, value=format_number(km, lang=lang))
    ax.text(
        (x0 + x1) / 2,
        y0 + tick * 2,
        label,
        ha="center",
        va="bottom",
        fontsize=page.pt("small"),
        zorder=20,
        path_effects=halo,
    )


def _draw_north_arrow(ax: Any, page: _Page, box: Sequence[float], lang: str) -> None:
    """Draw an arrow to true north (UTM grid north is ~0.6° off here: it follows the meridian)."""
    xmin, ymin, xmax, ymax = box
    x = xmin + (xmax - xmin) * 0.955
    y = ymax - (ymax - ymin) * 0.16
    lon, lat = _to_draw().transform(x, y, direction="INVERSE")
    xn, yn = _to_draw().transform(lon, lat + 0.01)
    angle = math.atan2(xn - x, yn - y)
    length = (ymax - ymin) * 0.07
    dx, dy = length * math.sin(angle), length * math.cos(angle)
    halo = [patheffects.withStroke(linewidth=3 * page.scale, foreground="white")]
    ax.annotate(
        "",
        xy=(x + dx, y + dy),
        xytext=(x, y),
        zorder=20,
        arrowprops={
            "arrowstyle": "-|>,head_width=0.35,head_length=0.7",
            "color": "black",
            "linewidth": 1.6 * page.scale,
            "path_effects": halo,
        },
    )
    ax.text(
        x + dx * 1.25,
        y + dy * 1.25,
        t("export.north", lang),
        ha="center",
        va="bottom",
        fontsize=page.pt("body"),
        fontweight="bold",
        zorder=20,
        path_effects=halo,
    )


# ---------------------------------------------------------------------------
# Legend, stop text, figures, QR code, footer


def _draw_panel(
    page: _Page, view: ExportView, material: ViewMaterial, layers: Sequence[MapLayer]
) -> None:
    lang = view.lang
    ax = page.axes(page.panel)
    width_mm = page.panel[2]
    qr_mm = min(32 * page.scale, page.panel[3] * 0.45)
    columns = 2 if page.portrait else 1
    col_w = width_mm / columns - (3 * page.scale if columns == 2 else 0)
    y = 0.0
    if view.stop is not None:
        y = _wrapped(ax, page, 0, y, view.stop.text[lang], col_w, "body")
        y += 2 * page.scale
        for figure in view.stop.figures:
            value = t(
                f"unit.{figure.unit}",
                lang,
                value=format_number(figure.value, 2, grouping=True, lang=lang),
            )
            ax.text(0, y, value, fontsize=page.pt("figure"), fontweight="bold", va="top")
            y += page.pt("figure") * 0.45
            y = _wrapped(ax, page, 0, y, figure.label[lang], col_w, "small")
            source = t("export.figure_source", lang, source=material.source_label(figure.source))
            y = _wrapped(ax, page, 0, y, source, col_w, "small", colour="#555555")
            y += 1.5 * page.scale
    beside = columns == 2 and view.stop is not None
    legend_x = col_w + 6 * page.scale if beside else 0
    legend_y = 0.0 if columns == 2 else y + 1 * page.scale
    legend_w = col_w - (qr_mm + 3 * page.scale if beside else 0)
    _draw_legend(ax, page, view, layers, legend_x, legend_y, legend_w)
    link = view.link or ""
    if link:
        qx = width_mm - qr_mm
        qy = page.panel[3] - qr_mm - 6 * page.scale
        _draw_qr(ax, link, qx, qy, qr_mm)
        _wrapped(ax, page, qx, qy + qr_mm + 1, t("export.qr_caption", lang), qr_mm, "small")


def _draw_legend(
    ax: Any,
    page: _Page,
    view: ExportView,
    layers: Sequence[MapLayer],
    x: float,
    y: float,
    width: float,
) -> float:
    lang = view.lang
    ax.text(
        x, y, t("legend.title", lang), fontsize=page.pt("body") * 1.15, fontweight="bold", va="top"
    )
    y += page.pt("body") * 0.6
    row = page.pt("small") * 0.55
    for entry in legend_entries(layers, lang=lang, as_of=view.as_of, colour_by=view.colour_by):
        _legend_swatch(ax, entry, x, y + row / 2, page)
        y = _wrapped(
            ax, page, x + 9 * page.scale, y, str(entry["label"]), width - 9 * page.scale, "small"
        )
        y += 0.6 * page.scale
    if any(
        layer.spec.schema == "project" and layer.spec.geometry_kind == "line" for layer in layers
    ):
        y = _wrapped(
            ax,
            page,
            x,
            y + 0.5,
            t("legend.road_split_note", lang),
            width,
            "small",
            colour="#555555",
        )
    return y


def _legend_swatch(ax: Any, entry: dict[str, Any], x: float, y: float, page: _Page) -> None:
    colour = entry.get("colour") or st.NEUTRAL_COLOUR
    dashes = _dashes(entry.get("dash"))
    w = 7 * page.scale
    kind = entry.get("kind")
    if kind == "text":
        return
    if kind == "line":
        (line,) = ax.plot(
            [x, x + w], [y, y], color=colour, linewidth=2.5 * page.scale, solid_capstyle="butt"
        )
        if dashes:
            line.set_dashes(dashes)
    elif kind == "point":
        ax.plot(
            [x + w / 2],
            [y],
            marker="o",
            markersize=5 * page.scale,
            color=colour,
            markeredgecolor=st.POINT_OUTLINE_COLOUR,
            linestyle="none",
        )
    else:
        h = 3.2 * page.scale
        patch = MplPolygon(
            [(x, y - h / 2), (x + w, y - h / 2), (x + w, y + h / 2), (x, y + h / 2)],
            closed=True,
            facecolor=colour,
            alpha=0.45,
            edgecolor=colour,
            linewidth=1,
        )
        if dashes:
            patch.set_linestyle((0, dashes))
        ax.add_patch(patch)


def _draw_qr(ax: Any, link: str, x: float, y: float, size: float) -> None:
    """Draw the QR code as vector squares (one path), with its quiet zone."""
    matrix = qr_matrix(link)
    n = len(matrix)
    quiet = 2
    cell = size / (n + 2 * quiet)
    ax.add_patch(
        MplPolygon(
            [(x, y), (x + size, y), (x + size, y + size), (x, y + size)],
            closed=True,
            facecolor="white",
            edgecolor="none",
        )
    )
    verts, codes = [], []
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                x0, y0 = x + (c + quiet) * cell, y + (r + quiet) * cell
                verts += [
                    (x0, y0),
                    (x0 + cell, y0),
                    (x0 + cell, y0 + cell),
                    (x0, y0 + cell),
                    (x0, y0),
                ]
                codes += [
                    MplPath.MOVETO,
                    MplPath.LINETO,
                    MplPath.LINETO,
                    MplPath.LINETO,
                    MplPath.CLOSEPOLY,
                ]
    ax.add_patch(PathPatch(MplPath(verts, codes), facecolor="black", edgecolor="none"))


def _draw_footer(page: _Page, view: ExportView, material: ViewMaterial) -> None:
    lang = view.lang
    ax = page.axes(page.footer)
    credits = " · ".join(material.credits(view))
    line = f"{t('export.data_sources', lang)} {credits}"
    y = _wrapped(ax, page, 0, 0, line, page.footer[2], "small")
    _wrapped(
        ax, page, 0, y + 0.5, t("app.disclaimer", lang), page.footer[2], "small", colour="#555555"
    )


def _wrapped(
    ax: Any,
    page: _Page,
    x: float,
    y: float,
    text: str,
    width_mm: float,
    size: str,
    *,
    colour: str | None = None,
) -> float:
    """Write ``text`` wrapped to ``width_mm`` at (x, y) mm; return the y below it."""
    pt = page.pt(size)
    lines = _wrap(text, width_mm, pt)
    line_mm = pt * 1.3 * _LINE_EM * _MM_PER_INCH / 72
    ax.text(
        x,
        y,
        "\n".join(lines),
        fontsize=pt,
        va="top",
        linespacing=1.3,
        color=colour or PAGE_TEXT_COLOUR,
    )
    return y + line_mm * len(lines)


def _wrap(text: str, width_mm: float, pt: float) -> list[str]:
    """Wrap by an estimate of glyph widths: a CJK glyph counts two, a Latin one one.

    Lines break at spaces and after any CJK glyph, never inside a Latin word.

    Examples
    --------
    >>> _wrap("谅山口岸 Tân Thanh 口岸", 20, 8)
    ['谅山口岸 Tân', 'Thanh 口岸']
    """
    units_per_line = max(int(width_mm / (pt * 0.5 * _MM_PER_INCH / 72)), 8)
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line, width = "", 0
        for token in _TOKEN.findall(paragraph):
            if line and width + _units(token) > units_per_line:
                lines.append(line.rstrip())
                line, width = "", 0
                token = token.lstrip()
            line += token
            width += _units(token)
        lines.append(line.rstrip())
    return lines


def _units(token: str) -> int:
    return sum(2 if "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" else 1 for ch in token)


#: Pieces a line may break between: a CJK glyph (with the punctuation closing it), or a run
#: of spaces and the word after them.
_TOKEN: Final = re.compile(
    r"[\u2e80-\u9fff\uff00-\uffef][，。：；、）」』》]?|\s*[^\s\u2e80-\u9fff\uff00-\uffef]+|\s+"
)
