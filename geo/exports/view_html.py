"""A standalone single-file HTML of a view or of the whole tour, that needs nothing from outside.

Everything is inline: the vendored Leaflet (JS, CSS and its images as ``data:`` URIs), the
fonts (the vendored Noto Sans and Noto Sans SC, cut down to the characters the page uses),
the layers and the tour. No address in it is ever fetched, so it opens from a USB stick
(``file://``) in any browser, with or without network.

The tour's navigation is plain JavaScript: buttons, and the keys presentation clickers send
(→ ↓ Space Page Down: next; ← ↑ Page Up: previous; Home, End). The stop is kept in the
address (``#stop=3``). Texts from the data are set with ``textContent`` only.

Examples
--------
>>> "url(data:image/png;base64," in leaflet_css()
True
>>> external_urls('<img src="data:image/png;base64,AA"><a href="#x">')
[]
>>> external_urls('<script src="https://cdn.example/x.js"></script>')
['https://cdn.example/x.js']
"""

from __future__ import annotations

import base64
import functools
import io
import re
from collections.abc import Sequence
from datetime import date
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Final

import folium

from geo import style as st
from geo.exports.view_spec import ExportView, ViewMaterial, frame_box
from geo.fonts import FONT_FILES
from geo.i18n import feature_name, t
from geo.map_data import script_json
from geo.map_elements import DataLayer
from geo.mapview import base_map, context_layer_data, overlay_group, project_groups
from geo.share_link import qr_svg
from geo.text import format_day, format_number

__all__ = ["external_urls", "leaflet_css", "tour_html", "view_html"]

VENDOR_DIR: Final = Path(__file__).resolve().parents[2] / "static" / "vendor"
_ASSET_PREFIX: Final = "lsz-inline-asset"
_FONT_FAMILY: Final = '"LSZ Noto Sans", "LSZ Noto Sans SC", sans-serif'
#: Width of the text panel beside the map, and the type sizes (a projector at 3–5 m).
PANEL_WIDTH: Final = "min(34vw, 640px)"
FLY_SECONDS: Final = 1.2
_URL_ATTRS: Final = frozenset({"src", "href", "action", "poster", "data", "xlink:href"})
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')]*)["']?\s*\)""", re.I)
_IMPORT = re.compile(r"""@import\s+["']([^"']+)["']""", re.I)


class _Addresses(HTMLParser):
    """Collects what a page's elements and styles point at (not what its scripts contain)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in _URL_ATTRS:
                self.found.append(value)
            elif name == "srcset":
                self.found.extend(part.split()[0] for part in value.split(",") if part.split())
            elif name == "style":
                self.found.extend(_css_urls(value))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found.extend(_css_urls(data))


def _css_urls(css: str) -> list[str]:
    return _CSS_URL.findall(css) + _IMPORT.findall(css)


def external_urls(html: str) -> list[str]:
    """Return every address in ``html``'s elements and styles that is not inline.

    Looks at ``src``, ``href``, ``action``, ``poster``, ``data``, ``srcset`` and
    ``xlink:href`` attributes, CSS ``url()`` and ``@import`` in ``<style>`` and ``style``.
    ``data:`` URIs, ``#fragments`` and ``javascript:`` are not fetched. Script text is not
    read: what scripts fetch is for a browser to tell (``tests/e2e/test_export_html.py``).
    """
    parser = _Addresses()
    parser.feed(html)
    parser.close()
    return [
        url
        for url in parser.found
        if url.strip() and not url.strip().lower().startswith(("data:", "#", "javascript:"))
    ]


@cache
def leaflet_css() -> str:
    """Return the vendored Leaflet CSS with its images inline (``data:`` URIs)."""
    css = (VENDOR_DIR / "leaflet" / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("#"):  # an old-IE VML behaviour: not a file
            return "none"
        path = VENDOR_DIR / "leaflet" / name
        if not path.is_file():
            return "none"
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    return _CSS_URL.sub(inline, css)


@cache
def _leaflet_js() -> str:
    js = (VENDOR_DIR / "leaflet" / "leaflet.js").read_text(encoding="utf-8")
    return js.replace("</script", "<\\/script")


def _font_faces(text: str) -> str:
    """Return ``@font-face`` rules of the vendored fonts, cut down to the glyphs of ``text``."""
    printable = {chr(c) for c in range(0x20, 0x7F)}
    chars = "".join(sorted((set(text) - set("\n\r\t")) | printable))
    rules = []
    for path in FONT_FILES:
        cjk = "SC" in path.name
        wanted = "".join(c for c in chars if not cjk or ord(c) > 0x2E7F)
        if cjk and not wanted:
            continue
        data = _subset_font(str(path), wanted)
        family = "LSZ Noto Sans SC" if cjk else "LSZ Noto Sans"
        weight = 700 if "Bold" in path.name else 400
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
            f"src: url(data:font/ttf;base64,{data}) format('truetype'); }}"
        )
    return "\n".join(rules)


@functools.lru_cache(maxsize=16)
def _subset_font(path: str, chars: str) -> str:
    """Return the font at ``path`` cut down to ``chars``, base64 TrueType (cached per text)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    options = subset.Options()
    # No OpenType layout: NFC Vietnamese and Chinese need none, and reading the
    # layout tables of the CJK font costs seconds.
    options.layout_features = []
    options.drop_tables = [*options.drop_tables, "GSUB", "GPOS", "GDEF", "BASE", "JSTF"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return base64.b64encode(out.getvalue()).decode("ascii")


def view_html(view: ExportView, material: ViewMaterial) -> str:
    """Return the standalone HTML of one view (the map page's current view)."""
    return _document([view], material, view.lang)


def tour_html(material: ViewMaterial, lang: str, *, links: Sequence[str] = ()) -> str:
    """Return the standalone HTML of the whole tour, in ``lang``.

    ``links`` are the public addresses of the stops (for their QR codes), in stop order.
    """
    from geo.exports.view_spec import stop_view

    count = len(material.stops)
    views = [
        stop_view(stop, lang, count=count, link=links[i] if i < len(links) else "")
        for i, stop in enumerate(material.stops)
    ]
    return _document(views, material, lang)


def _document(views: Sequence[ExportView], material: ViewMaterial, lang: str) -> str:
    fmap, layer_vars, legend_vars = _map(views, material, lang)
    stops = [_stop_data(view, material, layer_vars, legend_vars[i]) for i, view in enumerate(views)]
    ui = {
        "previous": t("tour.previous", lang),
        "next": t("tour.next", lang),
        "keys": t("tour.keys", lang),
        "qr": t("tour.qr_caption", lang),
        "fly": FLY_SECONDS,
        "padding": st.FIT_PADDING_PX,
        "maxZoom": st.FIT_MAX_ZOOM,
        "map": fmap.get_name(),
        "layers": sorted({name for names in layer_vars.values() for name in names}),
        "legends": legend_vars,
    }
    html = fmap.get_root().render()
    html = html.replace("<html>", f'<html lang="{lang}">', 1)
    head = (
        "<title>"
        + _escape(stops[0]["title"] if len(views) == 1 else t("tour.title", lang))
        + "</title>"
    )
    html = html.replace(
        f'<script src="{_ASSET_PREFIX}/leaflet/leaflet.js"></script>',
        f"<script>{_leaflet_js()}</script>",
    )
    html = html.replace(
        f'<link rel="stylesheet" href="{_ASSET_PREFIX}/leaflet/leaflet.css"/>',
        f"<style>{leaflet_css()}</style>",
    )
    body = _PANEL + (
        '<script type="application/json" id="lsz-tour-data">'
        + script_json({"stops": stops, "ui": ui})
        + "</script>"
    )
    html = html.replace("<body>", "<body>" + body, 1)
    # After folium's map script, which comes after </body>.
    head_end, _, tail = html.rpartition("</html>")
    html = f"{head_end}<script>{_NAV_JS}</script></html>{tail}"
    # Every character of the page (panel, labels, tooltips, legend) gets its glyph.
    fonts = _font_faces(html)
    style = f"<style>{fonts}\n{_CSS}</style>"
    html = html.replace("</head>", head + style + "</head>", 1)
    leftover = [u for u in external_urls(html) if _ASSET_PREFIX in u]
    if leftover:
        raise RuntimeError(f"assets left as addresses in the HTML export: {leftover}")
    return html


def _map(
    views: Sequence[ExportView], material: ViewMaterial, lang: str
) -> tuple[folium.Map, dict[str, list[str]], list[str]]:
    """Build one map holding every layer of every view, each in a group the script toggles.

    Returns the map, the JS names of the groups by ``"<layer>@<date>"`` (context layers:
    ``"<layer>"``), and the JS name of each view's legend group.
    """
    # The offline basemap (bundled data, inline like everything else); fonts inlined below.
    fmap = base_map([], lang=lang, asset_base_url=_ASSET_PREFIX, font_faces=False)
    wanted = [
        spec.id
        for spec in material.registry.layers
        if spec.id in material.layers and any(spec.id in v.layers for v in views)
    ]
    layer_vars: dict[str, list[str]] = {}
    for layer_id in wanted:
        layer = material.layers[layer_id]
        if layer.spec.schema != "context":
            continue
        group = folium.FeatureGroup(name=layer.spec.title[lang], show=False)
        pane = st.pane_name(layer.spec.geometry_kind, "context")
        DataLayer(
            context_layer_data(layer, lang=lang), name=layer.spec.title[lang], pane=pane
        ).add_to(group)
        group.add_to(fmap)
        layer_vars[layer_id] = [group.get_name()]
    names = {sid: material.source_label(sid) for sid in material.sources}
    for day, colour_by in sorted({(v.as_of, v.colour_by) for v in views}):
        projects = [
            material.layers[i] for i in wanted if material.layers[i].spec.schema == "project"
        ]
        groups = project_groups(
            projects, lang=lang, as_of=day, colour_by=colour_by, source_names=names
        )
        for layer, group in zip(projects, groups, strict=False):
            group.show = False
            group.add_to(fmap)
            layer_vars[_project_key(layer.spec.id, day, colour_by)] = [group.get_name()]
    legend_vars = []
    for view in views:
        group = overlay_group(
            material.visible(view),
            lang=lang,
            as_of=view.as_of,
            request="",
            fit_ids=set(),
            colour_by=view.colour_by,
        )
        group.show = False
        group.add_to(fmap)
        legend_vars.append(group.get_name())
    return fmap, layer_vars, legend_vars


def _project_key(layer_id: str, day: date, colour_by: str) -> str:
    """Return the name of a project layer's group drawn on ``day`` coloured by ``colour_by``.

    Examples
    --------
    >>> day = date(2026, 1, 31)
    >>> _project_key("zones", day, "status"), _project_key("zones", day, "age")
    ('zones@2026-01-31', 'zones@2026-01-31@age')
    """
    return f"{layer_id}@{day.isoformat()}" + ("" if colour_by == "status" else f"@{colour_by}")


def _stop_data(
    view: ExportView,
    material: ViewMaterial,
    layer_vars: dict[str, list[str]],
    legend_var: str,
) -> dict[str, Any]:
    lang = view.lang
    names: list[str] = []
    for layer_id in view.layers:
        layer = material.layers.get(layer_id)
        if layer is None:
            continue
        key = (
            layer_id
            if layer.spec.schema == "context"
            else _project_key(layer_id, view.as_of, view.colour_by)
        )
        names += layer_vars.get(key, [])
    (south, west), (north, east) = frame_box(view, material)
    frame: dict[str, Any]
    if view.feature is not None or view.centre is None:
        frame = {"bounds": [[south, west], [north, east]]}
    else:
        frame = {"centre": list(view.centre), "zoom": view.zoom}
    stop = view.stop
    if stop is not None:
        title, text = stop.title[lang], stop.text[lang]
        counter = t("tour.counter", lang, number=stop.number, count=view.stop_count)
        figures = [
            {
                "value": t(
                    f"unit.{f.unit}",
                    lang,
                    value=format_number(f.value, 2, grouping=True, lang=lang),
                ),
                "label": f.label[lang],
                "source": t("export.figure_source", lang, source=material.source_label(f.source)),
            }
            for f in stop.figures
        ]
    else:
        title = t("app.title", lang)
        text = _feature_text(view, material)
        counter, figures = "", []
    return {
        "title": title,
        "text": text,
        "counter": counter,
        "asOf": t("tour.as_of", lang, date=format_day(view.as_of, lang)),
        "figures": figures,
        "credits": f"{t('export.data_sources', lang)} {' · '.join(material.credits(view))}",
        "disclaimer": t("app.disclaimer", lang),
        "layers": names,
        "legend": legend_var,
        "frame": frame,
        "qr": _qr_uri(view.link) if view.link else "",
        "link": view.link,
        "labels": [layer.spec.title[lang] for layer in material.visible(view)],
    }


def _feature_text(view: ExportView, material: ViewMaterial) -> str:
    if view.feature is None:
        return ""
    for layer in material.layers.values():
        if view.feature in layer.data.index:
            props = {**layer.data.loc[view.feature].drop("geometry").to_dict(), "id": view.feature}
            return feature_name(props, view.lang)
    return ""


def _qr_uri(link: str) -> str:
    svg = qr_svg(link, scale=4)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_PANEL: Final = """
<aside id="lsz-panel" aria-live="polite">
  <p id="lsz-counter"></p>
  <h1 id="lsz-title"></h1>
  <p id="lsz-text"></p>
  <div id="lsz-figures"></div>
  <p id="lsz-asof"></p>
  <div id="lsz-qr"><img id="lsz-qr-img" alt=""><span id="lsz-qr-caption"></span></div>
  <nav id="lsz-nav">
    <button type="button" id="lsz-prev"></button>
    <button type="button" id="lsz-next"></button>
  </nav>
  <p id="lsz-keys"></p>
  <p id="lsz-credits"></p>
  <p id="lsz-disclaimer"></p>
</aside>
"""

_CSS: Final = f"""
html, body {{ font-family: {_FONT_FAMILY}; }}
.leaflet-container, .lsz-label, .lsz-tip, .lsz-legend, .lsz-legend button {{
  font-family: {_FONT_FAMILY} !important; }}
.folium-map {{ position: fixed !important; left: 0; top: 0; bottom: 0;
  right: {PANEL_WIDTH}; width: auto !important; height: auto !important; }}
#lsz-panel {{ position: fixed; right: 0; top: 0; bottom: 0; width: {PANEL_WIDTH};
  box-sizing: border-box; padding: 2.2vh 1.6vw; overflow: auto; background: #fff;
  color: {st.UI_TEXT_COLOUR}; font-size: clamp(15px, 1.25vw, 26px); line-height: 1.35; }}
#lsz-title {{ font-size: 1.75em; margin: 0.1em 0 0.4em; line-height: 1.15; }}
#lsz-counter {{ margin: 0; font-weight: 700; color: #555; }}
.lsz-figure {{ margin: 0.5em 0; }}
.lsz-figure-value {{ font-size: 1.5em; font-weight: 700; display: block; }}
.lsz-figure-source, #lsz-credits, #lsz-disclaimer, #lsz-keys, #lsz-asof {{ font-size: 0.72em;
  color: #555; }}
#lsz-qr {{ display: flex; align-items: center; gap: 0.8em; margin: 0.6em 0; }}
#lsz-qr img {{ width: 7.5em; height: 7.5em; }}
#lsz-nav {{ display: flex; gap: 0.6em; }}
#lsz-nav button {{ font: inherit; font-weight: 700; padding: 0.35em 1.1em; cursor: pointer; }}
.lsz-single #lsz-nav, .lsz-single #lsz-keys, .lsz-single #lsz-counter {{ display: none; }}
"""

_NAV_JS: Final = """
(function () {
  var data = JSON.parse(document.getElementById("lsz-tour-data").textContent);
  var stops = data.stops, ui = data.ui;
  var map = window[ui.map];
  if (map.keyboard) { map.keyboard.disable(); }
  var current = -1;
  function el(id) { return document.getElementById(id); }
  if (stops.length < 2) { document.body.classList.add("lsz-single"); }
  el("lsz-prev").textContent = "\\u2190 " + ui.previous;
  el("lsz-next").textContent = ui.next + " \\u2192";
  el("lsz-keys").textContent = ui.keys;
  el("lsz-qr-caption").textContent = ui.qr;
  function show(index, animate) {
    index = Math.max(0, Math.min(stops.length - 1, index));
    var stop = stops[index];
    var on = {};
    stop.layers.forEach(function (name) { on[name] = true; });
    ui.layers.forEach(function (name) {
      var layer = window[name];
      if (on[name] && !map.hasLayer(layer)) { map.addLayer(layer); }
      if (!on[name] && map.hasLayer(layer)) { map.removeLayer(layer); }
    });
    ui.legends.forEach(function (name) {
      if (map.hasLayer(window[name])) { map.removeLayer(window[name]); }
    });
    map.addLayer(window[stop.legend]);
    var f = stop.frame, opts = {padding: [ui.padding, ui.padding], maxZoom: ui.maxZoom};
    if (animate) {
      opts.duration = ui.fly;
      if (f.bounds) { map.flyToBounds(f.bounds, opts); } else { map.flyTo(f.centre, f.zoom, opts); }
    } else if (f.bounds) { map.fitBounds(f.bounds, opts); } else { map.setView(f.centre, f.zoom); }
    el("lsz-counter").textContent = stop.counter;
    el("lsz-title").textContent = stop.title;
    el("lsz-text").textContent = stop.text;
    el("lsz-asof").textContent = stop.asOf;
    el("lsz-credits").textContent = stop.credits;
    el("lsz-disclaimer").textContent = stop.disclaimer;
    var box = el("lsz-figures");
    while (box.firstChild) { box.removeChild(box.firstChild); }
    stop.figures.forEach(function (figure) {
      var div = document.createElement("div");
      div.className = "lsz-figure";
      [["value", "lsz-figure-value"], ["label", "lsz-figure-label"],
       ["source", "lsz-figure-source"]].forEach(function (part) {
        var span = document.createElement("span");
        span.className = part[1];
        span.textContent = figure[part[0]];
        div.appendChild(span);
        if (part[0] !== "value") { div.appendChild(document.createElement("br")); }
      });
      box.appendChild(div);
    });
    el("lsz-qr").style.display = stop.qr ? "" : "none";
    if (stop.qr) { el("lsz-qr-img").src = stop.qr; }
    el("lsz-prev").disabled = index === 0;
    el("lsz-next").disabled = index === stops.length - 1;
    current = index;
    document.body.setAttribute("data-stop", String(index + 1));
    if (stops.length > 1) { history.replaceState(null, "", "#stop=" + (index + 1)); }
  }
  el("lsz-prev").addEventListener("click", function () { show(current - 1, true); });
  el("lsz-next").addEventListener("click", function () { show(current + 1, true); });
  var NEXT = {ArrowRight: 1, ArrowDown: 1, PageDown: 1, " ": 1, Spacebar: 1};
  var PREV = {ArrowLeft: 1, ArrowUp: 1, PageUp: 1};
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var step = NEXT[event.key] ? 1 : PREV[event.key] ? -1 : 0;
    if (event.key === "Home") { event.preventDefault(); show(0, true); return; }
    if (event.key === "End") { event.preventDefault(); show(stops.length - 1, true); return; }
    if (!step) { return; }
    event.preventDefault();
    show(current + step, true);
  });
  var wanted = /stop=(\\d+)/.exec(location.hash || "");
  show(wanted ? Number(wanted[1]) - 1 : 0, false);
})();
"""
