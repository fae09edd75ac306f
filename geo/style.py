"""One place for every colour, line style and map limit of the product.

The map, the legend, the charts and the tables all read from here, so a status has
the same colour everywhere. Nothing else in the code base types a colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

#: One colour per project status, from the Okabe–Ito palette (reddish purple, sky
#: blue, blue; orange lightened, vermillion darkened, yellow lightened so that
#: neighbours also differ in lightness). Every pair stays apart (CIE76 ΔE ≥ 20)
#: in normal vision and simulated protanopia and deuteranopia, and from the map
#: background and every context colour: ``tests/test_mapview.py`` checks it.
STATUS_COLOURS: Final[dict[str, str]] = {
    "planned": "#cc79a7",
    "preparing": "#f0a030",
    "under_construction": "#b3360c",
    "partly_open": "#56b4e9",
    "operational": "#0072b2",
    "unknown": "#fff07a",
}

#: What the map's project colours show (the sidebar's "Colour by"): the status, or the age of
#: the latest figure (:data:`geo.freshness.AGE_CLASSES`).
COLOUR_BY: Final[tuple[str, ...]] = ("status", "age")

#: One colour per age class of a project's latest figure (``geo.freshness.AGE_CLASSES``):
#: Okabe–Ito sky blue (recent), yellow (3–12 months), vermillion (older), Tol's indigo for a
#: target passed with no update, and a mid grey for no dated figure. Every pair, and each
#: colour against the map's background and the offline basemap's land and sea, stays apart
#: (CIE76 ΔE ≥ 20) in normal vision and simulated protanopia and deuteranopia
#: (``tests/test_freshness_map.py`` checks it).
AGE_COLOURS: Final[dict[str, str]] = {
    "recent": "#56b4e9",
    "ageing": "#f0e442",
    "old": "#d55e00",
    "target_passed": "#332288",
    "undated": "#808080",
}

#: Background of the map with no basemap (Leaflet's container colour, set in CSS).
MAP_BACKGROUND: Final[str] = "#dddddd"

#: Outline dash pattern of a polygon or point by geometry accuracy. ``None`` = solid.
ACCURACY_DASH: Final[dict[str, str | None]] = {
    "surveyed": None,
    "digitised": None,
    "schematic": "6 4",
    "illustrative": "2 6",
}

#: Neutral ink of the legend's line and outline conventions (open / not open, dashes).
NEUTRAL_COLOUR: Final[str] = "#3f3f3f"

#: Outline of point markers coloured by status (dark: visible on light and grey ground).
POINT_OUTLINE_COLOUR: Final[str] = "#1a1a1a"

#: Dash pattern of the part of a road that is not open to traffic.
NOT_OPEN_DASH: Final[str] = "10 8"

#: The selected feature keeps its own colour and dash and gets a halo under it: a
#: dark band and a white band, each this many pixels wider than the feature's line.
HALO_OUTER_COLOUR: Final[str] = "#1a1a1a"
HALO_OUTER_EXTRA_PX: Final[float] = 10.0
HALO_INNER_COLOUR: Final[str] = "#ffffff"
HALO_INNER_EXTRA_PX: Final[float] = 5.0

#: Leaflet panes, drawn and clicked in this order (higher z-index on top): areas,
#: then lines, then points; within each, context under the selection halo under
#: projects. Leaflet's own overlay pane is 400, labels (markers) 600, tooltips 650.
PANE_Z_INDEX: Final[dict[str, int]] = {
    # The offline basemap: above Leaflet's tile pane (200), below every data layer;
    # neither takes a click (see BASEMAP_PANES).
    "lsz-basemap": 250,
    "lsz-basemap-labels": 390,
    "lsz-polygon-context": 401,
    "lsz-polygon-halo": 402,
    "lsz-polygon-project": 403,
    "lsz-line-context": 411,
    "lsz-line-halo": 412,
    "lsz-line-project": 413,
    "lsz-point-context": 421,
    "lsz-point-halo": 422,
    "lsz-point-project": 423,
}


#: The measuring and drawing tools' shape (``geo.measure_control``, ``geo.draw_map``): its own
#: pane above every data layer and label, under tooltips (650), and a colour that is not a
#: status colour (a measure is not a project).
MEASURE_PANE: Final[str] = "lsz-measure"
MEASURE_PANE_Z_INDEX: Final[int] = 640
MEASURE_COLOUR: Final[str] = "#d81b60"

#: The panes of the offline basemap: its shapes, then its labels (non-interactive).
BASEMAP_PANES: Final[tuple[str, str]] = ("lsz-basemap", "lsz-basemap-labels")


def pane_name(kind: str, role: str) -> str:
    """Return the Leaflet pane of a geometry kind and a role.

    Parameters
    ----------
    kind : {"polygon", "line", "point"}
        Geometry kind of the layer.
    role : {"context", "halo", "project"}
        What is drawn.

    Raises
    ------
    KeyError
        For an unknown kind or role.

    Examples
    --------
    >>> pane_name("point", "project")
    'lsz-point-project'
    """
    name = f"lsz-{kind}-{role}"
    if name not in PANE_Z_INDEX:
        raise KeyError(
            f"no pane for kind {kind!r} and role {role!r}; known: {sorted(PANE_Z_INDEX)}"
        )
    return name


#: On-map labels: size for a projector screen, and the text colour and halo.
LABEL_FONT_PX: Final[int] = 15
LABEL_COLOUR: Final[str] = "#111111"
TOOLTIP_FONT_PX: Final[int] = 14
#: Legend and credits on the map.
LEGEND_FONT_PX: Final[int] = 13
LEGEND_MAX_WIDTH_PX: Final[int] = 340
#: The legend opens by itself on maps at least this wide (on narrower ones it
#: starts closed, one click away).
LEGEND_OPEN_MIN_MAP_PX: Final[int] = 720
CREDITS_FONT_PX: Final[int] = 11

#: Map limits: initial view and the bounds a user can reach.
MAP_CENTRE: Final[tuple[float, float]] = (21.93, 106.74)
MAP_ZOOM: Final[int] = 11
#: Permanent labels (name and progress) are shown from this zoom level on.
LABEL_MIN_ZOOM: Final[int] = 12
MAP_MIN_ZOOM: Final[int] = 7
MAP_MAX_ZOOM: Final[int] = 18
MAP_MAX_BOUNDS: Final[tuple[tuple[float, float], tuple[float, float]]] = (
    (20.3, 104.8),
    (23.6, 108.6),
)
#: Height handed to ``st_folium`` before the browser sizes the map to the window.
MAP_HEIGHT_PX: Final[int] = 640
#: The map fills the window below its top edge, less this margin, but never gets
#: smaller than the minimum (a phone in landscape still gets a usable map).
MAP_BOTTOM_MARGIN_PX: Final[int] = 12
MAP_MIN_HEIGHT_PX: Final[int] = 360
#: On a phone (window at most this wide, where Streamlit stacks the columns) the map takes
#: this share of the window's height, so the panel under it is one short scroll away.
NARROW_SCREEN_MAX_PX: Final[int] = 640
MAP_NARROW_HEIGHT_SHARE: Final[float] = 0.62
#: Fitting the map to what matches: padding around it and the closest zoom (closer,
#: a schematic shape would look more exact than it is).
FIT_PADDING_PX: Final[int] = 32
FIT_MAX_ZOOM: Final[int] = 14
#: Zoom levels snap to quarters, so a fit fills the map (whole levels halve it).
MAP_ZOOM_SNAP: Final[float] = 0.25

#: Coordinates sent to the browser are rounded to this many decimals (~0.1 m).
COORDINATE_DECIMALS: Final[int] = 6


@dataclass(frozen=True)
class LayerStyle:
    """How one registry ``style`` key is drawn.

    Parameters
    ----------
    colour : str or None
        Fixed colour; ``None`` means "colour by status" (project layers).
    weight : float
        Line width in pixels (outline width for polygons and points).
    fill_opacity : float
        Fill opacity of polygons and point markers.
    radius : float
        Radius in pixels of point markers.
    dash : str or None
        Fixed dash pattern (context layers only).
    label : bool
        Whether features carry a permanent on-map label (name and progress).
    """

    colour: str | None
    weight: float = 2.0
    fill_opacity: float = 0.3
    radius: float = 6.0
    dash: str | None = None
    label: bool = False

    @property
    def by_status(self) -> bool:
        """Whether the colour comes from the feature's status."""
        return self.colour is None


#: Style of every registry ``style`` key. Adding a layer with a new style key
#: means adding it here; a test checks that every registry entry has one.
LAYER_STYLES: Final[dict[str, LayerStyle]] = {
    "zone": LayerStyle(colour=None, weight=2.5, fill_opacity=0.35, label=True),
    "gate": LayerStyle(colour=None, weight=2.5, fill_opacity=0.9, radius=9, label=True),
    "cargo_road": LayerStyle(colour=None, weight=6),
    "expressway": LayerStyle(colour=None, weight=5),
    "road_upgrade": LayerStyle(colour=None, weight=4),
    # Lots: a thin neutral outline; the investor view fills each lot with its land use's
    # colour family (geo.vocabulary.LAND_USES), dashed as illustrative where it is.
    "lot": LayerStyle(colour="#4a4a4a", weight=1.0, fill_opacity=0.5),
    # Context layers are neutral (greys, black, white) so they never imitate a
    # status, and only the border is dashed, with a dash-dot no status uses.
    "province": LayerStyle(colour="#3f3f3f", weight=1.2, fill_opacity=0.02),
    "border": LayerStyle(colour="#1a1a1a", weight=2.5, fill_opacity=0.0, dash="12 4 2 4"),
    "town": LayerStyle(colour="#343a40", weight=1.5, fill_opacity=0.8, radius=4),
    "railway": LayerStyle(colour="#3d3d3d", weight=2, fill_opacity=0.0),
    "national_road": LayerStyle(colour="#ffffff", weight=3, fill_opacity=0.0),
}


def status_colour(status: str | None) -> str:
    """Return the colour of a status.

    Parameters
    ----------
    status : str or None
        A status of ``geo.vocabulary.STATUSES``; ``None`` (no status yet) is drawn as unknown.

    Returns
    -------
    str
        A ``#rrggbb`` colour.

    Raises
    ------
    KeyError
        If ``status`` is not a known status: a typo must not silently turn grey.

    Examples
    --------
    >>> status_colour("operational")
    '#0072b2'
    >>> status_colour(None)
    '#fff07a'
    """
    if status is None:
        return STATUS_COLOURS["unknown"]
    return STATUS_COLOURS[status]


def age_colour(age_class: str) -> str:
    """Return the colour of an age class of :data:`AGE_COLOURS`.

    Raises
    ------
    KeyError
        For an unknown class (a typo must not silently look recent).

    Examples
    --------
    >>> age_colour("old")
    '#d55e00'
    """
    try:
        return AGE_COLOURS[age_class]
    except KeyError:
        known = ", ".join(AGE_COLOURS)
        raise KeyError(f"unknown age class {age_class!r}; expected one of {known}") from None


def layer_style(style_key: str) -> LayerStyle:
    """Return the style of a registry ``style`` key.

    Raises
    ------
    KeyError
        With the list of known keys, when ``style_key`` is unknown.
    """
    try:
        return LAYER_STYLES[style_key]
    except KeyError:
        known = ", ".join(sorted(LAYER_STYLES))
        raise KeyError(f"unknown style key {style_key!r}; expected one of {known}") from None


# ---------------------------------------------------------------------------
# Timeline animation

#: Seconds each frame (one dated event) of the timeline animation is shown.
PLAY_FRAME_S: Final[float] = 1.0
#: Icons of the play/pause button: Material Symbols, shipped with Streamlit's
#: front end (an emoji would need an emoji font, and shows a box without one).
PLAY_ICON: Final[str] = ":material/play_arrow:"
PAUSE_ICON: Final[str] = ":material/pause:"


# ---------------------------------------------------------------------------
# The Streamlit page

#: Body text of the Streamlit theme (``theme.textColor`` in ``.streamlit/config.toml``,
#: kept equal by a test). Streamlit draws captions in it at 60 % opacity, so it is dark
#: enough for those to reach WCAG AA (4.5:1) on the white page and the #f8f8f7 sidebar.
UI_TEXT_COLOUR: Final[str] = "#141312"


# ---------------------------------------------------------------------------
# Lots (the investor view)

#: Outline colour of a lot by availability (Okabe–Ito bluish green, orange, and the
#: neutral ink): the fill is the land-use family's zoning-plan colour
#: (``layers/land_uses.json``), so availability shows on the outline and in the table.
AVAILABILITY_COLOURS: Final[dict[str, str]] = {
    "available": "#009e73",
    "reserved": "#e69f00",
    "leased": "#3f3f3f",
}
#: Lots are drawn with this outline width and fill; a leased lot's fill is fainter (it
#: cannot be had) and the selected lot gets the halo of the map page.
LOT_WEIGHT: Final[float] = 3.0
LOT_FILL_OPACITY: Final[dict[str, float]] = {"available": 0.55, "reserved": 0.4, "leased": 0.15}
#: Fill of a lot whose land-use code has no colour family (an imported plan's own code).
LOT_FALLBACK_FILL: Final[str] = "#bdbdbd"
#: The lot page's map and the panel's locator map (pixels), and the locator's zoom.
LOT_MAP_HEIGHT_PX: Final[int] = 480
LOT_LOCATOR_HEIGHT_PX: Final[int] = 220
LOT_LOCATOR_ZOOM: Final[int] = 15
#: The map moves to a selected lot at this zoom.
LOT_FOCUS_ZOOM: Final[int] = 16


def lot_style(availability: object, fill: str | None, accuracy: object) -> dict[str, object]:
    """Return the Leaflet options of a lot: outline by availability, fill by land-use family.

    Parameters
    ----------
    availability : str
        One of :data:`AVAILABILITY_COLOURS`.
    fill : str or None
        The land-use family colour; ``None`` gives :data:`LOT_FALLBACK_FILL`.
    accuracy : str
        ``geometry_accuracy``: its dash (:data:`ACCURACY_DASH`), dotted when illustrative.

    Raises
    ------
    KeyError
        For an unknown availability or accuracy (a typo must not silently look available).

    Examples
    --------
    >>> lot_style("available", "#7F7FFF", "illustrative")["dashArray"]
    '2 6'
    >>> lot_style("leased", None, "surveyed")["fillColor"], "dashArray" in lot_style(
    ...     "leased", None, "surveyed")
    ('#bdbdbd', False)
    """
    options: dict[str, object] = {
        "color": AVAILABILITY_COLOURS[str(availability)],
        "weight": LOT_WEIGHT,
        "opacity": 0.95,
        "fill": True,
        "fillColor": fill or LOT_FALLBACK_FILL,
        "fillOpacity": LOT_FILL_OPACITY[str(availability)],
    }
    dash = ACCURACY_DASH[str(accuracy)]
    if dash:
        options["dashArray"] = dash
    return options


#: The page's title and the space above it on a phone (``NARROW_SCREEN_MAX_PX``): small, so
#: the map starts in the first screen.
NARROW_TITLE_FONT_REM: Final[float] = 1.35
NARROW_TOP_PADDING_REM: Final[float] = 4.25


# ---------------------------------------------------------------------------
# The offline basemap (``geo.vector_basemap``, data ``layers/basemap/offline.geojson``)

#: Fonts of the map's texts (``geo.fonts``: vendored, served by the app).
MAP_FONT_STACK: Final[str] = "'Noto Sans', 'Noto Sans SC', 'Noto Sans SC Full', sans-serif"

#: Land and water tones: Vietnam's land warm and light, China's cooler and darker, so the
#: border reads at a glance; the sea a pale blue. Every colour stays apart from every status
#: colour in normal and colour-blind vision (``tests/test_vector_basemap.py`` checks ΔE).
BASEMAP_COLOURS: Final[dict[str, str]] = {
    "vietnam": "#f6f2e6",
    "china": "#dcd8d0",
    "sea": "#c4dbe8",
    "province_line": "#6a645d",
    "border_casing": "#e3d5ec",
    "border": "#5b3a6e",
    "road_casing": "#6a645d",
    "road": "#ffffff",
    "provincial_road_casing": "#cfc7ba",
    "provincial_road": "#fbf7ee",
    "railway": "#5a5a5a",
    "railway_ties": "#ffffff",
    "town": "#2b2b2b",
}

#: What the basemap draws, bottom to top: ``(kind, road class or None, Leaflet options)``,
#: over the sea (the map's background, ``BASEMAP_COLOURS["sea"]``, wherever no land is).
#: A kind drawn twice (casing and core) is sent once and styled twice in the browser.
BASEMAP_DRAW: Final[tuple[tuple[str, str | None, dict[str, object]], ...]] = (
    ("china", None, {"color": BASEMAP_COLOURS["china"], "weight": 0, "fillOpacity": 1.0}),
    ("vietnam", None, {"color": BASEMAP_COLOURS["vietnam"], "weight": 0, "fillOpacity": 1.0}),
    (
        "province_line",
        None,
        {"color": BASEMAP_COLOURS["province_line"], "weight": 1.0, "dashArray": "5 3 1 3"},
    ),
    ("border", None, {"color": BASEMAP_COLOURS["border_casing"], "weight": 7, "opacity": 0.8}),
    (
        "road",
        "provincial",
        {"color": BASEMAP_COLOURS["provincial_road_casing"], "weight": 4.0},
    ),
    ("road", "provincial", {"color": BASEMAP_COLOURS["provincial_road"], "weight": 2.2}),
    ("road", "national", {"color": BASEMAP_COLOURS["road_casing"], "weight": 5.5}),
    ("road", "national", {"color": BASEMAP_COLOURS["road"], "weight": 3.5}),
    ("railway", None, {"color": BASEMAP_COLOURS["railway"], "weight": 3.0}),
    (
        "railway",
        None,
        {"color": BASEMAP_COLOURS["railway_ties"], "weight": 1.4, "dashArray": "6 6"},
    ),
    ("border", None, {"color": BASEMAP_COLOURS["border"], "weight": 2.0, "dashArray": "10 3 2 3"}),
)


@dataclass(frozen=True)
class BasemapLabelStyle:
    """How one role of basemap label is drawn.

    Parameters
    ----------
    min_zoom : float
        Shown from this zoom level on.
    rank : int
        Declutter order: lower is placed first (project labels are 0 and 1).
    css : str
        CSS declarations of the label (font size, weight, colour, case…).
    """

    min_zoom: float
    rank: int
    css: str


#: Basemap labels by role: all carry a white halo (``.lsz-base-label`` in ``MapSetup``).
BASEMAP_LABELS: Final[dict[str, BasemapLabelStyle]] = {
    "country": BasemapLabelStyle(
        7, 2, "font-size: 18px; font-weight: 700; letter-spacing: 0.25em; color: #575048;"
    ),
    "town": BasemapLabelStyle(9, 3, "font-size: 14px; font-weight: 700; color: #1f1f1f;"),
    "road": BasemapLabelStyle(
        9,
        4,
        "font-size: 11px; font-weight: 700; color: #3b342c; background: #ffffff;"
        " border: 1.5px solid #6a645d; border-radius: 3px; padding: 0 3px;",
    ),
    "provincial_road": BasemapLabelStyle(
        11,
        6,
        "font-size: 10px; font-weight: 600; color: #4a433b; background: #fbf7ee;"
        " border: 1px solid #cfc7ba; border-radius: 3px; padding: 0 2px;",
    ),
    "province": BasemapLabelStyle(
        8,
        5,
        "font-size: 13px; font-weight: 600; letter-spacing: 0.12em; color: #5c554d;"
        " text-transform: uppercase;",
    ),
    "railway": BasemapLabelStyle(
        10, 7, "font-size: 11px; font-style: italic; font-weight: 600; color: #4a4a4a;"
    ),
}
#: Town markers of the basemap (a dot under the name; the name sits this far above it).
BASEMAP_TOWN_RADIUS_PX: Final[float] = 3.5
BASEMAP_TOWN_LABEL_DY_PX: Final[int] = -14
