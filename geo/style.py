"""One place for every colour, line style and map limit of the product.

The map, the legend, the charts and the tables all read from here, so a status has
the same colour everywhere. Nothing else in the code base types a colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

#: One colour per project status. Chosen to stay distinguishable for the common
#: red-green colour-vision deficiencies (blue vs orange carry the main contrast).
STATUS_COLOURS: Final[dict[str, str]] = {
    "planned": "#868e96",
    "preparing": "#f08c00",
    "under_construction": "#d9480f",
    "partly_open": "#1c7ed6",
    "operational": "#2b8a3e",
    "unknown": "#ced4da",
}

#: Outline dash pattern of a polygon or point by geometry accuracy. ``None`` = solid.
ACCURACY_DASH: Final[dict[str, str | None]] = {
    "surveyed": None,
    "digitised": None,
    "schematic": "6 4",
    "illustrative": "2 6",
}

#: Dash pattern of the part of a road that is not open to traffic.
NOT_OPEN_DASH: Final[str] = "10 8"

#: Colour of the outline drawn around the selected feature.
SELECTION_COLOUR: Final[str] = "#f03e3e"

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
MAP_HEIGHT_PX: Final[int] = 640

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
    "province": LayerStyle(colour="#495057", weight=1.2, fill_opacity=0.02),
    "border": LayerStyle(colour="#c92a2a", weight=2.5, fill_opacity=0.0, dash="12 4 2 4"),
    "town": LayerStyle(colour="#343a40", weight=1.5, fill_opacity=0.8, radius=4),
    "railway": LayerStyle(colour="#5c3d2e", weight=2, fill_opacity=0.0, dash="5 3"),
    "national_road": LayerStyle(colour="#e67700", weight=2, fill_opacity=0.0),
}


def status_colour(status: str | None) -> str:
    """Return the colour of a status.

    Parameters
    ----------
    status : str or None
        A status of ``geo.schema.STATUSES``; ``None`` (no status yet) is drawn as unknown.

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
    '#2b8a3e'
    >>> status_colour(None)
    '#ced4da'
    """
    if status is None:
        return STATUS_COLOURS["unknown"]
    return STATUS_COLOURS[status]


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
