"""Leaflet path options of the map's features, made from the style table.

Every colour, width and dash comes from :mod:`geo.style`; this module only turns a
layer's style (and, for projects, the status colour and the dash of an unopened
stretch or an unsurveyed outline) into the options dict that Leaflet draws with,
and gives the selection halo its bands. The panes the layers are drawn in are
:data:`geo.style.PANE_Z_INDEX`, chosen with :func:`geo.style.pane_name`.

The dicts hold only numbers, booleans and style strings from :mod:`geo.style`; they
reach the browser through :func:`geo.map_data.script_json` with the features.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from geo import style as st
from geo.registry import LayerSpec


def feature_style(spec: LayerSpec, colour: str, dash: str | None) -> dict[str, Any]:
    """Return the Leaflet options of a feature of layer ``spec`` drawn in ``colour``.

    Parameters
    ----------
    spec : LayerSpec
        The layer: its registry ``style`` (a key of ``geo.style.LAYER_STYLES``)
        gives weight, fill and radius; its ``geometry_kind`` what is filled.
    colour : str
        Line (and fill) colour: the status colour of a project, the layer's own
        colour for context.
    dash : str, optional
        SVG dash pattern (an unopened road stretch, an unsurveyed outline);
        ``None`` draws a solid line.

    Returns
    -------
    dict
        Leaflet path options (``color``, ``weight``, ``fill``…; ``radius`` for points).
    """
    style = st.layer_style(spec.style)
    leaflet: dict[str, Any] = {"color": colour, "weight": style.weight, "opacity": 0.95}
    if spec.geometry_kind in ("polygon", "point"):
        leaflet.update(fillColor=colour, fillOpacity=style.fill_opacity, fill=True)
    else:
        leaflet.update(fill=False, lineCap="butt")
    if spec.geometry_kind == "point":
        outline = st.POINT_OUTLINE_COLOUR if style.by_status else colour
        leaflet.update(radius=style.radius, color=outline)
        if dash:
            leaflet.update(color=colour, fillOpacity=style.fill_opacity * 0.5)
    if dash:
        leaflet["dashArray"] = dash
    return leaflet


def halo_band_styles(own: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return the two bands of the selection halo under a feature drawn with ``own``.

    A dark band and a white band, each wider than the feature's line by
    ``geo.style.HALO_OUTER_EXTRA_PX`` and ``HALO_INNER_EXTRA_PX``; they keep the
    feature's radius and dash (a halo must not make a schematic shape look surveyed).

    Examples
    --------
    >>> outer, inner = halo_band_styles({"weight": 3, "dashArray": "6 4"})
    >>> outer["weight"], inner["weight"], outer["dashArray"], outer["interactive"]
    (13.0, 8.0, '6 4', False)
    """
    bands = []
    for colour, extra in (
        (st.HALO_OUTER_COLOUR, st.HALO_OUTER_EXTRA_PX),
        (st.HALO_INNER_COLOUR, st.HALO_INNER_EXTRA_PX),
    ):
        band: dict[str, Any] = {
            "color": colour,
            "weight": own["weight"] + extra,
            "opacity": 0.9,
            "fill": False,
            "interactive": False,
            "lineCap": own.get("lineCap", "round"),
        }
        if "radius" in own:
            band["radius"] = own["radius"]
        if own.get("dashArray"):
            band["dashArray"] = own["dashArray"]
        bands.append(band)
    return bands


__all__ = ["feature_style", "halo_band_styles"]
