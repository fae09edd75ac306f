"""Hostile markup in the data never runs in a real browser, and shows as the text it is.

Every free text of a copy of ``layers/`` (names, notes, sources, credits, titles: the fields
``tests/test_markup_in_data.py`` poisons) becomes :data:`HOSTILE`: a script element, an image
and an SVG whose handlers set ``window.__pwned``, a ``javascript:`` Markdown link, a Markdown
image, quotes that close an attribute, and Jinja openers. The real app serves that copy to
headless Chromium; each view where the texts appear (the panel of a selected project, the
map's tooltip and labels, the dashboard, the tour, the investor page; the exported HTML of the
view and of the tour, opened from disk) is opened and then, in every frame of the page:

- ``window.__pwned`` is unset (no handler or script from the data ran);
- no element was made from the texts (no ``img`` of ``x``/``i.png``, no ``svg`` with
  ``onload``, no element with an ``on…`` attribute naming ``__pwned``, no link to
  ``javascript:``, no script whose whole text is the data's);
- the text is shown literally: ``{{ 7*7 }}`` stays that, never ``49``.

The tour's PDF is read back with pypdf: the texts are there as text, and the file holds no
JavaScript or open action. The AppTest counterpart (``tests/test_markup_in_data.py``) checks
what Streamlit is asked to render; this test checks what a browser builds from it, in the
map's iframe too.
"""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile import (
    HOSTILE,
    WAIT_MS,
    assert_literal,
    assert_nothing_ran,
    grid_texts,
    hover_tooltips,
    map_frame,
    quoted,
)
from playwright.sync_api import Locator, Page, expect
from server import REPO_ROOT, find_free_port, start_streamlit, stop_streamlit, wait_until_healthy

from geo.cli import main
from geo.style import LABEL_MIN_ZOOM
from tests.test_markup_in_data import MARKUP, poison, project_ids

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def hostile_layers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of ``layers/`` whose every free text (tour texts too) is HOSTILE."""
    layers = tmp_path_factory.mktemp("hostile") / "layers"
    shutil.copytree(REPO_ROOT / "layers", layers)
    for path in [*layers.glob("*.json"), *layers.glob("*.geojson")]:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if path.name == "sources.json":
            doc = {sid: poison(source) for sid, source in doc.items()}
        elif path.name == "tour.json":
            for stop in doc["stops"]:
                stop.update({k: HOSTILE for k in stop if k.startswith(("title_", "text_"))})
        elif path.name == "lot_distance_targets.json":
            for target in doc["targets"]:
                # Not first: a line opening with <script> is an HTML block, never Markdown.
                target["label"] = dict.fromkeys(target["label"], f"to {MARKUP}")
        else:
            doc = poison(doc, in_registry=path.name == "registry.json")
        if path.name == "lots.geojson":  # a lot's code is free text too, shown as its name
            for n, lot in enumerate(doc["features"]):
                lot["properties"]["code"] = f"{MARKUP} {n}"
        text = json.dumps(doc, ensure_ascii=False)
        path.write_text(text.replace(quoted(MARKUP), quoted(HOSTILE)), encoding="utf-8")
    assert quoted(HOSTILE) in (layers / "registry.json").read_text(encoding="utf-8")
    return layers / "registry.json"


@pytest.fixture(scope="module")
def hostile_lot(hostile_layers: Path) -> str:
    """The id of the lot whose code is HOSTILE followed by `` 0``."""
    lots = json.loads((hostile_layers.parent / "lots.geojson").read_text(encoding="utf-8"))
    return lots["features"][0]["properties"]["id"]


@pytest.fixture(scope="module")
def hostile_app(hostile_layers: Path) -> Iterator[tuple[str, str]]:
    """Serve the app on the hostile copy; yield its URL and the id of a project."""
    folder = hostile_layers.parent.parent
    layers = hostile_layers.parent
    mp = pytest.MonkeyPatch()
    mp.setenv("LSZ_REGISTRY", str(layers / "registry.json"))
    mp.setenv("LSZ_DATA_DIR", str(folder / "data"))
    mp.delenv("DATABASE_URL", raising=False)
    proc = start_streamlit("app.py", find_free_port(), log_path=folder / "app.log")
    mp.undo()
    try:
        yield wait_until_healthy(proc), project_ids(layers / "registry.json")[0]
    finally:
        stop_streamlit(proc)


def test_hostile_texts_never_run_on_the_map_panel_tooltip_and_labels(page: Page, hostile_app):
    url, feature_id = hostile_app
    page.goto(f"{url}/?lang=en&basemap=none&feature={feature_id}")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("{{ 7*7 }}", exact=False).first).to_be_visible(timeout=WAIT_MS)
    page.wait_for_timeout(1500)  # let the panel finish drawing
    assert_literal(main.inner_text(), "the panel")
    frame = map_frame(page)
    # The tooltip: made on first hover, from the feature's data.
    tips = hover_tooltips(frame, feature_id)
    assert tips, "no tooltip was made"
    assert any(HOSTILE in tip for tip in tips), tips
    # The labels: made when the map reaches the label zoom.
    frame.evaluate("(zoom) => map.setZoom(zoom)", LABEL_MIN_ZOOM + 1)
    frame.wait_for_function(
        "() => document.querySelectorAll('.lsz-label').length > 0", timeout=WAIT_MS
    )
    labels = frame.evaluate(
        "() => [...document.querySelectorAll('.lsz-label')].map(e => e.textContent)"
    )
    assert any(HOSTILE in label for label in labels), labels[:3]
    assert_nothing_ran(page)


def test_hostile_texts_never_run_on_the_dashboard(page: Page, hostile_app):
    url, _ = hostile_app
    page.goto(f"{url}/?lang=en&basemap=none&page=dashboard")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("{{ 7*7 }}", exact=False).first).to_be_visible(timeout=WAIT_MS)
    page.wait_for_timeout(2000)  # let the charts and tables arrive
    assert_literal(main.inner_text(), "the dashboard")
    assert_nothing_ran(page)


@pytest.mark.parametrize("tour", [False, True], ids=["view", "tour"])
def test_the_exported_html_shows_hostile_texts_and_runs_nothing(
    page: Page, hostile_layers: Path, tmp_path: Path, tour: bool
):
    out = tmp_path / "export.html"
    argv = ["export", "--format", "html", "--registry", str(hostile_layers), str(out)]
    status = main([*argv, *(["--tour"] if tour else []), "--lang", "en"], out=io.StringIO())
    assert status == 0
    page.goto(out.as_uri())
    page.wait_for_load_state("load")
    page.wait_for_timeout(1500)  # let its scripts draw
    text = page.locator("body").inner_text()
    assert "<script>" in text and "{{ 7*7 }}" in text, text[:500]
    assert_nothing_ran(page)


def test_the_exported_pdf_holds_hostile_texts_as_text_and_no_script(
    hostile_layers: Path, tmp_path: Path
):
    from pypdf import PdfReader

    out = tmp_path / "tour.pdf"
    argv = ["export", "--format", "pdf", "--tour", "--registry", str(hostile_layers), str(out)]
    assert main([*argv, "--lang", "en"], out=io.StringIO()) == 0
    reader = PdfReader(out)
    text = " ".join(p.extract_text() for p in reader.pages).replace("\n", " ")
    assert "<script>" in text and "7*7" in text and "javascript:" in text, text[:500]
    root = reader.trailer["/Root"]
    assert "/OpenAction" not in root and "/AA" not in root
    assert "/JavaScript" not in (root.get("/Names") or {})
    assert b"/JavaScript" not in out.read_bytes() and b"/JS" not in out.read_bytes()


def test_hostile_texts_never_run_on_the_tour(page: Page, hostile_app):
    url, _ = hostile_app
    page.goto(f"{url}/?lang=en&basemap=none&page=tour")
    main_area = page.get_by_test_id("stMain")
    expect(main_area.get_by_text("{{ 7*7 }}", exact=False).first).to_be_visible(timeout=WAIT_MS)
    page.wait_for_timeout(2000)  # let the map arrive
    text = main_area.inner_text()
    assert "<script>" in text and "{{ 7*7 }}" in text, text[:500]
    assert_nothing_ran(page)


#: A header's help shows after the pointer rests this long on it (Streamlit waits 600 ms).
HELP_DELAY_MS = 700


def header_help(page: Page, grid: Locator) -> str:
    """Hover the grid's header from left to right, scrolling; return the first help shown."""
    tooltip = page.get_by_test_id("stDataFrameTooltipContent")
    box = grid.bounding_box()
    scroller = grid.locator(".dvn-scroller")
    width = scroller.evaluate("s => s.scrollWidth")
    for left in range(0, width, int(box["width"] // 2)):
        scroller.evaluate("(s, x) => { s.scrollLeft = x; }", left)
        for x in range(30, int(box["width"]), 70):  # a narrow column is 75 px wide
            page.mouse.move(box["x"] + x, box["y"] + 15)
            page.wait_for_timeout(HELP_DELAY_MS)
            if tooltip.count():
                return tooltip.inner_text()
    raise AssertionError("no column header showed a help")


def test_hostile_texts_never_run_on_the_investor_page(page: Page, hostile_app, hostile_lot):
    # The lots table draws its cells on a canvas; its grid's accessible table holds their
    # text (scrolled across by grid_texts).
    url, _ = hostile_app
    page.goto(f"{url}/?lang=en&basemap=none&page=investor&lot={hostile_lot}")
    main_area = page.get_by_test_id("stMain")
    expect(main_area.get_by_text("lots match", exact=False).first).to_be_visible(timeout=WAIT_MS)
    expect(main_area.get_by_test_id("stDataFrame").first).to_be_visible(timeout=WAIT_MS)
    page.wait_for_timeout(2000)  # let the table, the lot's panel and the maps arrive
    grids = grid_texts(page)
    assert any(HOSTILE in grid for grid in grids), [g[:300] for g in grids]
    assert_literal("\n".join(grids), "the lots table")
    # The selected lot's heading names it by its code.
    headings = main_area.get_by_role("heading").all_inner_texts()
    assert any(f"{HOSTILE} 0" in h for h in headings), headings
    # A distance column's help (its full label, data) is shown on hovering its header.
    tip = header_help(page, main_area.get_by_test_id("stDataFrame").first)
    assert_literal(tip, "a distance column's help")
    assert_nothing_ran(page)
