"""Hostile markup that investors type and planners upload never runs in a real browser.

The real app serves a store in a temporary folder (the planners' pages need one) to headless
Chromium. Every text is :data:`hostile.HOSTILE` or a piece of it short enough for its field:
a script element, an image and an SVG whose handlers set ``window.__pwned``, a
``javascript:`` Markdown link, a Markdown image, quotes that close an attribute, and Jinja
openers.

- The enquiries: one is sent through the investor page's real form (first with a phone the
  validator refuses, so the refusal echoes the hostile text), two more go in through the
  store's API (a lot reference there too); a planner logs in through the sidebar's form and
  opens the Enquiries page.
- The Import page: a GeoJSON, a KML and a CSV whose layer name, attribute names and values
  and file name are hostile, with invalid values so the report echoes them, are uploaded
  through the page's file input; the report, the preview map, and (for a clean hostile file)
  the confirmation, the import and the map that then shows the layer are opened.

In every frame of every view: ``window.__pwned`` is unset and nothing was built from the
texts (:func:`hostile.assert_nothing_ran`); where the text is in the DOM it shows literally.
Streamlit's dataframes draw their cells on a canvas, but the grid also keeps an accessible
table of the rows on screen (``role=gridcell``); its text is checked too.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from xml.sax.saxutils import escape

import pytest
from hostile import (
    HOSTILE,
    MAP_FRAME,
    PAYLOAD,
    WAIT_MS,
    assert_literal,
    assert_nothing_ran,
    grid_texts,
    hover_tooltips,
    map_frame,
)
from playwright.sync_api import Page, expect
from server import app_on_store

from geo.i18n import t
from geo.store import open_store, store_url
from geo.store.accounts import add_account

pytestmark = pytest.mark.e2e

QUOTES = {'"': "&quot;", "'": "&apos;"}

PLANNER, PASSWORD = "lan", "correcthorsebattery"
#: Hostile pieces that fit each enquiry field's limit (``ENQUIRY_LIMITS``); the email one
#: passes the address check (no spaces, one ``@``, a dot in the domain).
ENQUIRY_TEXTS = {
    "name": f'<script>{PAYLOAD}</script><img src=x onerror="{PAYLOAD}"> {{{{ 7*7 }}}}',
    "organisation": f"\"'><b onmouseover={PAYLOAD}>q</b> [go](javascript:{PAYLOAD}) ![i](i.png)"
    " {% if 1 %}jinja{% endif %}",
    "email": f"<svg/onload={PAYLOAD}>@{{{{7*7}}}}.vn",
    "message": f"{HOSTILE}\n{HOSTILE}",
}
#: A lot reference only the store's API can hold (the form offers the lots shown).
LOT_TEXT = f"[go](javascript:{PAYLOAD})<img src=x onerror={PAYLOAD}>{{{{ 7*7 }}}}"
#: The phone check refuses anything but digits, so markup there is refused, never stored.
HOSTILE_PHONE = f"<svg/onload={PAYLOAD}>"  # 29 characters: the limit is 32


@pytest.fixture(scope="module")
def planner_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the app on a store with a planner's account and two hostile enquiries."""
    folder = tmp_path_factory.mktemp("hostile-input")
    env = {"LSZ_DATA_DIR": str(folder / "data")}
    with open_store(store_url(env)) as store:
        add_account(store, PLANNER, PASSWORD, "planner")
        base = {**ENQUIRY_TEXTS, "phone": "+84 205 123 456", "language": "en"}
        store.add_enquiry({**base, "lot_id": LOT_TEXT})
        store.add_enquiry({**base, "lot_id": LOT_TEXT, "organisation": HOSTILE[:200]})
    with app_on_store(env["LSZ_DATA_DIR"], folder / "app.log") as url:
        yield url


def log_in(page: Page) -> None:
    """Log the planner in through the sidebar's form."""
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("textbox", name=t("login.name", "en")).fill(PLANNER)
    sidebar.get_by_role("textbox", name=t("login.password", "en")).fill(PASSWORD)
    sidebar.get_by_role("button", name=t("login.submit", "en")).click()
    expect(sidebar.get_by_role("button", name=t("login.logout", "en"))).to_be_visible(
        timeout=WAIT_MS
    )


def test_hostile_enquiries_never_run_in_the_form_or_the_planners_list(page: Page, planner_app):
    page.goto(f"{planner_app}/?lang=en&basemap=none&page=investor")
    main = page.get_by_test_id("stMain")
    form = main.get_by_test_id("stForm")
    label = lambda key: t(f"enquiry.field.{key}", "en")  # noqa: E731
    expect(form.get_by_role("button", name=t("enquiry.submit", "en"))).to_be_visible(
        timeout=WAIT_MS
    )
    form.get_by_role("textbox", name=label("name")).fill(ENQUIRY_TEXTS["name"])
    form.get_by_role("textbox", name=label("organisation")).fill(ENQUIRY_TEXTS["organisation"])
    form.get_by_role("textbox", name=label("email")).fill(ENQUIRY_TEXTS["email"])
    form.get_by_role("textbox", name=label("phone")).fill(HOSTILE_PHONE)
    form.get_by_role("textbox", name=label("message")).fill(ENQUIRY_TEXTS["message"])
    form.get_by_role("button", name=t("enquiry.submit", "en")).click()
    # Refused: the message quotes the phone as typed, and nothing of it is built.
    refusal = main.get_by_test_id("stAlertContentError").filter(has_text=label("phone"))
    expect(refusal).to_be_visible(timeout=WAIT_MS)
    assert HOSTILE_PHONE in refusal.inner_text()
    assert_nothing_ran(page)

    form.get_by_role("textbox", name=label("phone")).fill("+84 205 123 456")
    form.get_by_role("button", name=t("enquiry.submit", "en")).click()
    expect(main.get_by_test_id("stAlertContentSuccess")).to_be_visible(timeout=WAIT_MS)
    assert_nothing_ran(page)

    page.goto(f"{planner_app}/?lang=en&basemap=none&page=enquiries")
    expect(main.get_by_text(t("enquiry.planners_only", "en"))).to_be_visible(timeout=WAIT_MS)
    log_in(page)
    expect(main.get_by_test_id("stDataFrame").first).to_be_visible(timeout=WAIT_MS)
    page.wait_for_timeout(1500)  # let the grid draw
    (grid,) = [g for g in grid_texts(page) if "LSZ-" in g]
    for text in (ENQUIRY_TEXTS["name"], ENQUIRY_TEXTS["organisation"], ENQUIRY_TEXTS["email"]):
        assert text in grid, (text, grid[:500])
    assert LOT_TEXT in grid and HOSTILE[:200] in grid
    assert_literal(grid, "the enquiries list")
    assert_nothing_ran(page)


def square(lon: float, lat: float, size: float = 0.002) -> list[list[list[float]]]:
    """Return the ring of a small square at ``lon, lat`` (GeoJSON coordinates)."""
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size]]
    return [[*ring, ring[0]]]


#: A bow tie (invalid: the report names it and asks about the repair).
BOWTIE = [[[106.70, 21.97], [106.702, 21.972], [106.702, 21.97], [106.70, 21.972], [106.70, 21.97]]]


def geojson(features: list[tuple[dict, list]]) -> bytes:
    """Return a GeoJSON FeatureCollection of polygons with these properties and rings."""
    doc = {
        "type": "FeatureCollection",
        "name": HOSTILE,
        "features": [
            {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "Polygon", "coordinates": rings},
            }
            for props, rings in features
        ],
    }
    return json.dumps(doc, ensure_ascii=False).encode()


#: Attribute names and values of a hostile survey the report refuses: the same hostile id
#: twice, a status and a progress outside their rules, a bow tie.
BAD_PROPERTIES = {"id": HOSTILE, HOSTILE: HOSTILE, "status": HOSTILE, "progress_pct": HOSTILE}
BAD_GEOJSON = geojson([(BAD_PROPERTIES, BOWTIE), (BAD_PROPERTIES, square(106.71, 21.97))])
BAD_KML = f"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name><![CDATA[{HOSTILE}]]></name>
<Placemark id="p1"><name><![CDATA[{HOSTILE}]]></name>
<description><![CDATA[{HOSTILE}]]></description>
<ExtendedData>
<Data name="{escape(HOSTILE, QUOTES)}"><value><![CDATA[{HOSTILE}]]></value></Data>
<Data name="{escape(HOSTILE, QUOTES)}"><value><![CDATA[{HOSTILE}]]></value></Data>
<Data name="status"><value><![CDATA[{HOSTILE}]]></value></Data>
</ExtendedData>
<Point><coordinates>106.70,21.97</coordinates></Point></Placemark>
</Document></kml>
""".encode()


def bad_csv() -> bytes:
    """Return a CSV whose header and cells are hostile; one row has a cell too many."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["lat", "lon", "id", HOSTILE, "status"])
    writer.writerow(["21.97", "106.70", "c-1", HOSTILE, HOSTILE])
    writer.writerow(["21.971", "106.701", "c-2", HOSTILE, "planned", HOSTILE])
    return out.getvalue().encode()


#: A file name full of markup (the page keeps only letters, digits and ``.-() _``).
UPLOAD_STEM = '<img src=x onerror="window.__pwned=1">{{ 7*7 }}'


def upload(page: Page, name: str, content: bytes) -> None:
    """Choose ``content`` as the file ``name`` in the Import page's file input."""
    mime = {"geojson": "application/geo+json", "kml": "application/vnd.google-earth.kml+xml"}
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        {"name": name, "mimeType": mime.get(name.rsplit(".", 1)[-1], "text/csv"), "buffer": content}
    )


def open_import_page(page: Page, url: str) -> None:
    page.goto(f"{url}/?lang=en&basemap=none&page=import")
    expect(page.get_by_text(t("import.planners_only", "en"))).to_be_visible(timeout=WAIT_MS)
    log_in(page)
    expect(page.get_by_test_id("stFileUploaderDropzoneInput")).to_be_attached(timeout=WAIT_MS)


def report_text(page: Page) -> str:
    """Wait for the report of the file uploaded; return the page's text and the grids'."""
    main = page.get_by_test_id("stMain")
    heading = main.get_by_role("heading", name=t("import.report", "en"))
    expect(heading).to_be_visible(timeout=WAIT_MS)
    expect(main.get_by_test_id("stDataFrame").first).to_be_visible(timeout=WAIT_MS)
    page.wait_for_timeout(1500)  # let the grid and the preview draw
    return "\n".join([main.inner_text(), *grid_texts(page)])


@pytest.mark.parametrize(
    ("extension", "content"),
    [("geojson", BAD_GEOJSON), ("kml", BAD_KML), ("csv", bad_csv())],
)
def test_hostile_survey_files_never_run_in_the_import_report(
    page: Page, planner_app, extension: str, content: bytes
):
    open_import_page(page, planner_app)
    name = f"{UPLOAD_STEM}.{extension}"
    upload(page, name, content)
    text = report_text(page)
    assert_literal(text, f"the report of the {extension} file")
    assert_nothing_ran(page)
    # The layer id box echoes a hostile id in the report and the new-layer line.
    layer_box = page.get_by_role("textbox", name=t("import.layer", "en"))
    layer_box.fill(HOSTILE)
    layer_box.press("Enter")
    line = t("import.new_layer", "en", layer=HOSTILE)
    expect(page.get_by_text(line, exact=True)).to_be_visible(timeout=WAIT_MS)
    page.wait_for_timeout(1000)
    assert_literal("\n".join(grid_texts(page)), "the report of a hostile layer id")
    assert_nothing_ran(page)


#: A hostile survey the report accepts: markup only in names and values, an attribute named
#: with it, a square at Đồng Đăng station (inside the province). The map's tooltip shows it
#: (an imported layer is a context layer: no panel, no dashboard).
CLEAN_ID = "hostile-1"
CLEAN_GEOJSON = geojson(
    [
        (
            {
                "id": CLEAN_ID,
                **{f"name_{lang}": HOSTILE for lang in ("vi", "en", "zh")},
                "note_en": HOSTILE,
                HOSTILE: HOSTILE,
            },
            square(106.697, 21.943),
        )
    ]
)


def test_a_hostile_survey_imported_never_runs_in_the_confirmation_or_on_the_map(
    page: Page, planner_app
):
    open_import_page(page, planner_app)
    upload(page, f"{UPLOAD_STEM}.geojson", CLEAN_GEOJSON)
    main = page.get_by_test_id("stMain")
    confirm = main.get_by_role("button", name=t("import.confirm", "en"))
    expect(confirm).to_be_visible(timeout=WAIT_MS)
    page.wait_for_timeout(1000)  # let the preview draw
    assert_nothing_ran(page)
    confirm.click()
    expect(main.get_by_test_id("stAlertContentSuccess")).to_be_visible(timeout=WAIT_MS)
    assert_nothing_ran(page)

    # The layer is switched on: the map draws it, its tooltip holds the text as typed.
    page.get_by_test_id("stSidebar").get_by_text(t("nav.map", "en"), exact=True).click()
    expect(main.get_by_role("heading", name=t("import.title", "en"))).to_have_count(0)
    expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=WAIT_MS)  # the preview is gone
    frame = map_frame(page)
    tips = hover_tooltips(frame, CLEAN_ID)
    assert any(HOSTILE in tip for tip in tips), tips
    assert_nothing_ran(page)
