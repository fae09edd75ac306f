"""The hostile texts of the browser markup tests, and the checks that nothing came of them.

Shared by ``test_hostile_markup.py`` (the data's texts) and ``test_hostile_input.py`` (what
investors type and planners upload). :func:`assert_nothing_ran` looks in every frame of a
page for whatever a browser would have built from :data:`HOSTILE`; :func:`assert_literal`
checks that a shown text holds its pieces as typed.
"""

from __future__ import annotations

import json

from playwright.sync_api import Frame, Page

WAIT_MS = 90_000
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"

PAYLOAD = "window.__pwned=1"
#: It opens with a word: a line that opens with ``<script>`` is an HTML block to Markdown,
#: which then renders none of the rest (and a test would miss a Markdown element).
HOSTILE = (
    f"Hostile <script>{PAYLOAD}</script>"
    f'<img src=x onerror="{PAYLOAD}">'
    f"<svg onload={PAYLOAD}></svg>"
    f" [go](javascript:{PAYLOAD}) ![i](i.png)"
    f" \"'><b onmouseover={PAYLOAD}>q</b>"
    " {{ 7*7 }} {% if 1 %}jinja{% endif %}"
)
#: Pieces that must show as typed wherever the text is shown.
LITERAL = ("<script>", "{{ 7*7 }}", "{% if 1 %}", "javascript:")

#: Whatever the browser would have built from HOSTILE, in one frame.
BUILT = """
() => ({
    pwned: window.__pwned,
    images: [...document.querySelectorAll("img")]
        .map(e => e.getAttribute("src") || "")
        .filter(s => s === "x" || s.endsWith("i.png")),
    svgs: document.querySelectorAll("svg[onload]").length,
    handlers: [...document.querySelectorAll("*")].filter(e =>
        [...e.attributes].some(a => a.name.startsWith("on") && a.value.includes("__pwned"))
    ).length,
    links: [...document.querySelectorAll("a[href]")]
        .map(a => a.getAttribute("href"))
        .filter(h => h.trim().toLowerCase().startsWith("javascript")),
    scripts: [...document.querySelectorAll("script")]
        .filter(s => s.textContent.trim() === "window.__pwned=1").length,
})
"""

#: The accessible text of every dataframe's grid: its header and its cells. The grid keeps
#: only the columns on screen in that table, so it is scrolled across, step by step.
GRID_TEXT = """
async () => {
    const frame = () => new Promise(done => requestAnimationFrame(() => setTimeout(done, 300)));
    const texts = [];
    for (const grid of document.querySelectorAll('[data-testid="stDataFrame"]')) {
        const scroller = grid.querySelector(".dvn-scroller");
        const seen = new Set();
        for (let x = 0; ; x += scroller.clientWidth / 2) {
            scroller.scrollLeft = x;
            scroller.dispatchEvent(new Event('scroll'));
            await frame();
            grid.querySelectorAll('[role="columnheader"], [role="gridcell"]')
                .forEach(cell => seen.add(cell.textContent));
            if (x >= scroller.scrollWidth - scroller.clientWidth) break;
        }
        scroller.scrollLeft = 0;
        texts.push([...seen].join("\\n"));
    }
    return texts;
}
"""


def quoted(text: str) -> str:
    """Return ``text`` as it appears inside a JSON string."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def assert_nothing_ran(page: Page) -> None:
    """In every frame: no flag set, nothing built from the hostile text."""
    for frame in page.frames:
        built = frame.evaluate(BUILT)
        assert built == {
            "pwned": None,
            "images": [],
            "svgs": 0,
            "handlers": 0,
            "links": [],
            "scripts": 0,
        }, (frame.url, built)


def assert_literal(text: str, where: str) -> None:
    """Assert that ``text`` shows every piece of :data:`LITERAL` as typed, Jinja unevaluated."""
    for piece in LITERAL:
        assert piece in text, f"{where} does not show {piece!r} literally: {text[:300]!r}"
    # Only lines that hold markup: a table's figures may hold 49 of their own.
    for line in text.splitlines():
        if "<" in line and "49" in line.replace("{{ 7*7 }}", ""):
            raise AssertionError(f"{where} evaluated a Jinja expression: {line[:300]!r}")


def map_frame(page: Page) -> Frame:
    """Return the frame of the page's main map once it has drawn its features.

    The main map is the page's first map (a planner's Edit panel draws a second one below).
    """
    first_map = page.locator(MAP_FRAME).first
    first_map.content_frame.locator("path.lsz-f").first.wait_for(timeout=WAIT_MS)
    frame = first_map.element_handle().content_frame()
    assert frame is not None, "the map's frame has no document"
    frame.wait_for_function("() => window.map", timeout=WAIT_MS)
    return frame


def hover_tooltips(frame: Frame, feature_id: str) -> list[str]:
    """Hover the map's feature ``feature_id``; return the text of every tooltip made."""
    return frame.evaluate(
        """(fid) => {
            map.eachLayer(l => {
                if (l.feature && l.feature.properties.id === fid) {
                    const at = l.getLatLng ? l.getLatLng() : l.getBounds().getCenter();
                    l.fire("mouseover", {latlng: at});
                }
            });
            return [...document.querySelectorAll(".lsz-tip")].map(e => e.textContent);
        }""",
        feature_id,
    )


def grid_texts(page: Page) -> list[str]:
    """Return the accessible text of each dataframe on the page."""
    return page.evaluate(GRID_TEXT)
