"""The investor page through AppTest, on a tiny invented layer set and a temporary store.

filter → table → map selection → panel → compare → enquiry (then a new AppTest on the same
store finds it: the app "restarted") → export. The layers are written by
:func:`write_lot_layers` (zones, gates, an expressway, five lots and the distance targets,
all invented, near Đồng Đăng only to pass the area-of-use checks) and the app reads them with
``$LSZ_REGISTRY``; enquiries go to a GeoPackage store in a temporary ``$LSZ_DATA_DIR``.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pyogrio
import pypdf
import pytest
import streamlit as st
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from geo.i18n import LANGUAGES, t
from geo.store import open_store, store_url
from geo.text import escape_markdown
from tests.app_fixtures import (
    APP,
    milestone,
    plain,
    point,
    polygon,
    project,
    run,
    texts,
    write_layer_set,
)
from ui.data import REGISTRY_ENV
from ui.state import (
    ENQUIRY_FORM_KEY,
    LOT_MAP_KEY,
    LOT_TABLE_KEY,
    investor_key,
    view_key,
    widget_key,
)

TIMEOUT = 180

#: A placed (schematic) zone, 2 × 2 lots inside it, and an unplaced (illustrative) zone.
ZONE = [[106.730, 21.930], [106.740, 21.930], [106.740, 21.940], [106.730, 21.940]]
UNPLACED = [[106.700, 21.945], [106.706, 21.945], [106.706, 21.951], [106.700, 21.951]]
GATE = [106.711, 21.970]
STATION = [106.700, 21.950]
ROAD = [[106.745, 21.920], [106.745, 21.950]]


def box(x0: float, y0: float, x1: float, y1: float) -> dict:
    return polygon([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])


def lot(fid: str, code: str, zone: str, geometry: dict, **props: Any) -> dict:
    """An invented lot with every field of the lot schema."""
    base: dict[str, Any] = {
        "id": fid,
        "code": code,
        "road": "F1",
        "zone_id": zone,
        "land_use": "SKK",
        "availability": "available",
        "tenant": None,
        "rent_usd_m2_term": 80,
        "lease_end_year": 2071,
        "min_plot_m2": 5000,
        "management_fee_usd_m2_month": None,
        "warehouse_rent_usd_m2_month": None,
        **texts("utilities", None),
        **texts("incentives", None),
        "incentives_source": None,
        **texts("contact", "Fixture board, desk 2"),
        "contact_source": "src-paper",
        "area_ha": None,
        "area_source": None,
        "geometry_accuracy": "illustrative",
        "illustrative_fields": ["geometry", "code", "availability", "rent_usd_m2_term"],
        **texts("illustrative_basis", "Invented for the fixture."),
        "sources": ["src-web"],
    }
    base.update(props)
    return {"type": "Feature", "properties": base, "geometry": geometry}


def default_layers() -> dict[str, list[dict]]:
    return {
        "zones": [
            project(
                "zone-fixture",
                "cargo_transit_zone",
                "schematic",
                polygon(ZONE),
                milestones=[milestone("2024-12-11", "opening", "Fixture opening", "operational")],
            ),
            project("zone-unplaced", "non_tariff_zone", "illustrative", polygon(UNPLACED)),
        ],
        "gates": [
            project("gate-fixture", "international_gate", "digitised", point(GATE)),
            project("station-fixture", "national_gate", "digitised", point(STATION)),
        ],
        "expressways": [
            project(
                "road-a",
                "expressway",
                "schematic",
                {"type": "LineString", "coordinates": ROAD},
            )
        ],
        "lots": [
            lot("lot-f-a1", "A-1", "zone-fixture", box(106.730, 21.930, 106.735, 21.935)),
            lot(
                "lot-f-a2",
                "A-2",
                "zone-fixture",
                box(106.735, 21.930, 106.740, 21.935),
                land_use="TMD",
                rent_usd_m2_term=110,
            ),
            lot(
                "lot-f-b1",
                "B-1",
                "zone-fixture",
                box(106.730, 21.935, 106.735, 21.940),
                availability="leased",
                tenant="Fixture Logistics <b>Ltd</b>",
                illustrative_fields=["geometry", "code", "availability", "tenant"],
                rent_usd_m2_term=None,
            ),
            lot(
                "lot-f-b2",
                "B-2",
                "zone-fixture",
                box(106.735, 21.935, 106.740, 21.940),
                availability="reserved",
                geometry_accuracy="digitised",
                illustrative_fields=[],
                **texts("illustrative_basis", None),
                area_ha=28.6,
                area_source="src-paper",
            ),
            lot("lot-u-1", "U-1", "zone-unplaced", box(106.701, 21.946, 106.705, 21.950)),
        ],
    }


LAYER_META = {
    "zones": ("polygon", "zones", "zone", "project"),
    "gates": ("point", "gates", "gate", "project"),
    "expressways": ("line", "roads", "expressway", "project"),
    "lots": ("polygon", "zones", "lot", "lot"),
}
#: What the fixture measures every lot to (as ``layers/lot_distance_targets.json`` does).
TARGETS = [
    {
        "id": "gate",
        "column": "distance_gate_m",
        "layer": "gates",
        "feature": None,
        "label": {lang: f"Fixture gate distance ({lang})" for lang in LANGUAGES},
    },
    {
        "id": "road",
        "column": "distance_road_m",
        "layer": "expressways",
        "feature": None,
        "label": {lang: f"Fixture road distance ({lang})" for lang in LANGUAGES},
    },
    {
        "id": "station",
        "column": "distance_station_m",
        "layer": "gates",
        "feature": "station-fixture",
        "label": {lang: f"Fixture station distance ({lang})" for lang in LANGUAGES},
    },
]


def write_lot_layers(folder: Path, layers: dict[str, list[dict]]) -> Path:
    """Write the registry, the layers, sources and distance targets; return the registry."""
    registry = write_layer_set(folder, layers, LAYER_META)
    targets = {"targets": TARGETS}
    (folder / "lot_distance_targets.json").write_text(json.dumps(targets), "utf-8")
    return registry


@pytest.fixture
def store_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app on the fixture layers, its enquiries in a GeoPackage in a temporary folder."""
    monkeypatch.setenv(REGISTRY_ENV, str(write_lot_layers(tmp_path / "layers", default_layers())))
    monkeypatch.setenv("LSZ_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return tmp_path / "data"


def start(lang: str = "en") -> AppTest:
    """A new app session on the investor page (a new AppTest: nothing kept from another)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["page"] = "investor"
    at.query_params["lang"] = lang
    return run(at)


def results_table(at: AppTest):
    """The results table (the dataframe keyed ``lot_table``)."""
    (table,) = [d for d in at.dataframe if d.key == LOT_TABLE_KEY]
    return table.value


def codes(at: AppTest, lang: str = "en") -> list[str]:
    return results_table(at)[t("investor.col.code", lang)].tolist()


def selected_rows(at: AppTest) -> list[int]:
    return list(at.session_state[LOT_TABLE_KEY]["selection"]["rows"])


def shown_texts(at: AppTest) -> str:
    return "\n".join(
        [e.value for e in at.text]
        + [e.value for e in at.info]
        + [e.value for e in at.warning]
        + [e.value for e in at.success]
        + [e.value for e in at.error]
        + [e.value for e in at.caption]
    )


def widget(at: AppTest, kind: str, name: str, lang: str = "en") -> Any:
    return getattr(at, kind)(key=widget_key(name, lang))


def facts(at: AppTest, lang: str = "en") -> dict[str, tuple[str, str]]:
    """The lot panel's facts: label → (value, basis)."""
    fact, value, basis = (t(f"investor.lot.col.{c}", lang) for c in ("fact", "value", "basis"))
    (frame,) = [d.value for d in at.dataframe if list(d.value.columns) == [fact, value, basis]]
    return {row[fact]: (row[value], row[basis]) for _, row in frame.iterrows()}


# --------------------------------------------------------------------------- the page


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_says_for_reference_only_in_every_language(store_dir, lang):
    at = start(lang)
    warnings = [w.value for w in at.warning]
    assert warnings.count(t("investor.reference_only", lang)) == 2  # top and bottom
    assert codes(at, lang) == ["A-1", "A-2", "B-1", "B-2", "U-1"]


def test_illustrative_values_are_marked_in_the_table(store_dir):
    table = results_table(start())
    marks = dict(zip(table[t("investor.col.code", "en")], table["≈"], strict=True))
    assert marks["A-1"] == t("investor.lot.illustrative_mark", "en")
    assert marks["B-2"] == ""  # a digitised lot with nothing illustrative
    area = dict(zip(table["Lot"], table[t("investor.col.area_m2", "en")], strict=True))
    assert area["B-2"] == 286_000  # the official 28.6 ha, not the 28.60 ha drawn
    assert area["A-1"] == 285_989 and area["U-1"] == 183_013  # geodesic, of the drawn squares


def test_no_distance_is_shown_for_a_lot_whose_position_is_not_known(store_dir):
    table = results_table(start())
    column = t("investor.col.distance_km", "en", target=TARGETS[0]["label"]["en"])
    by_code = dict(zip(table["Lot"], table[column], strict=True))
    assert by_code["A-1"] > 0  # an illustrative lot in a placed zone: placed as its zone
    assert by_code["U-1"] != by_code["U-1"]  # NaN: its zone is illustrative too


# --------------------------------------------------------------------------- filters


def test_filters_narrow_the_table_and_keep_their_values_across_a_language_switch(store_dir):
    at = start()
    widget(at, "multiselect", "investor.availabilities").set_value(["available"])
    run(at)
    assert codes(at) == ["A-1", "A-2", "U-1"]
    widget(at, "multiselect", "investor.land_uses").set_value(["SKK"])
    run(at)
    assert codes(at) == ["A-1", "U-1"]
    gate_km = widget(at, "number_input", "investor.max_km.gate")
    gate_km.set_value(20.0)
    run(at)
    assert codes(at) == ["A-1"]  # U-1 has no known distance: never "within 20 km"
    at.selectbox(key="w.lang").set_value("vi")
    run(at)
    assert codes(at, "vi") == ["A-1"]
    assert at.session_state[investor_key("availabilities")] == ("available",)
    assert widget(at, "multiselect", "investor.land_uses", "vi").value == ["SKK"]


def test_a_filter_that_matches_nothing_says_which_filter_excluded_every_lot(store_dir):
    at = start()
    widget(at, "number_input", "investor.max_km.station").set_value(0.0)
    run(at)
    assert not [d for d in at.dataframe if d.key == LOT_TABLE_KEY]
    shown = shown_texts(at)
    assert t("investor.no_match", "en") in shown
    station = TARGETS[2]["label"]["en"]
    assert t("investor.excluded_by", "en", filters=station) in shown


def test_filters_that_exclude_everything_only_together_say_so(store_dir):
    at = start()
    widget(at, "multiselect", "investor.availabilities").set_value(["leased"])
    widget(at, "multiselect", "investor.land_uses").set_value(["TMD"])
    run(at)
    shown = shown_texts(at)
    assert t("investor.only_together", "en") in shown
    assert t("investor.passes", "en", filter=t("investor.filter.land_use", "en"), count=1) in shown


# --------------------------------------------------------------------------- selection


def test_a_row_click_selects_the_lot_opens_its_panel_and_moves_the_map(store_dir):
    at = start()
    at.session_state[LOT_TABLE_KEY] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    run(at)
    assert at.session_state[view_key("lot")] == "lot-f-a2"
    assert selected_rows(at) == [1]
    assert escape_markdown(t("investor.lot.panel_title", "en", code="A-2")) in [
        s.value for s in at.subheader
    ]
    shown = facts(at)
    assert shown[t("investor.lot.field.rent_usd_m2_term", "en")] == (
        "110 USD/m²",
        t("investor.lot.basis.illustrative", "en"),
    )


def test_a_lot_clicked_on_the_map_selects_its_row(store_dir):
    at = start()
    at.session_state[LOT_MAP_KEY] = {"last_active_drawing": {"properties": {"id": "lot-f-b2"}}}
    run(at)
    assert at.session_state[view_key("lot")] == "lot-f-b2"
    assert selected_rows(at) == [3]
    # The selection follows the row when a filter moves it.
    widget(at, "multiselect", "investor.availabilities").set_value(["reserved"])
    run(at)
    assert codes(at) == ["B-2"] and selected_rows(at) == [0]


def test_a_link_opens_the_lot_it_names_and_a_selection_is_written_to_the_link(store_dir):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(page="investor", lang="en", lot="lot-f-b1")
    run(at)
    assert selected_rows(at) == [2]
    assert escape_markdown(t("investor.lot.panel_title", "en", code="B-1")) in [
        s.value for s in at.subheader
    ]
    select(at, "lot-f-a1")
    run(at)  # the address bar is written before the page is drawn
    assert at.query_params["lot"] == "lot-f-a1"


def test_a_link_to_an_unknown_lot_is_ignored_and_said(store_dir):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(page="investor", lang="en", lot="lot-gone")
    run(at)
    assert selected_rows(at) == []
    assert any("lot-gone" in plain(w.value) for w in at.warning)


def test_the_panel_gives_every_fact_its_source_or_its_illustrative_label(store_dir):
    at = start()
    at.session_state[LOT_MAP_KEY] = {"last_active_drawing": {"properties": {"id": "lot-f-b2"}}}
    run(at)
    shown = facts(at)
    assert shown[t("investor.lot.field.area", "en")] == (
        t("investor.lot.area_value", "en", ha="28.6", m2="286,000"),
        "Fixture committee",
    )
    contact = shown[t("investor.lot.field.contact", "en")]
    assert contact == ("Fixture board, desk 2", "Fixture committee")
    assert shown[t("investor.lot.field.availability", "en")] == (
        "Reserved",
        "example.org, 2025-03-04",
    )
    assert shown[t("investor.lot.field.management_fee_usd_m2_month", "en")] == (
        t("investor.lot.not_published", "en"),
        "",
    )
    gate = shown[TARGETS[0]["label"]["en"]]
    assert gate[0].endswith(" km") and gate[1] == t("investor.lot.basis.distance", "en")


def test_markup_in_lot_data_is_shown_as_text(store_dir):
    at = start()
    at.session_state[LOT_MAP_KEY] = {"last_active_drawing": {"properties": {"id": "lot-f-b1"}}}
    run(at)
    tenant = facts(at)[t("investor.lot.field.tenant", "en")]
    assert tenant == ("Fixture Logistics <b>Ltd</b>", t("investor.lot.basis.illustrative", "en"))
    assert not any("<b>" in m.value for m in at.markdown)


# --------------------------------------------------------------------------- compare


def select(at: AppTest, lot_id: str) -> AppTest:
    at.session_state[LOT_MAP_KEY] = {"last_active_drawing": {"properties": {"id": lot_id}}}
    return run(at)


def compare_add(at: AppTest) -> AppTest:
    at.button(key=widget_key("investor.compare_add", "en")).click()
    return run(at)


def test_up_to_three_lots_are_compared_and_a_fourth_is_refused(store_dir):
    at = start()
    for lot_id in ("lot-f-a1", "lot-f-a2", "lot-f-b2"):
        compare_add(select(at, lot_id))
    assert at.session_state[investor_key("compare")] == ["lot-f-a1", "lot-f-a2", "lot-f-b2"]
    header = t("investor.lot.col.fact", "en")
    (table,) = [
        d.value for d in at.dataframe if list(d.value.columns) == [header, "A-1", "A-2", "B-2"]
    ]
    rent = table.set_index(header).loc[t("investor.lot.field.rent_usd_m2_term", "en")]
    assert rent["A-1"] == "80 USD/m² (illustrative)" and rent["A-2"] == "110 USD/m² (illustrative)"
    compare_add(select(at, "lot-f-b1"))
    assert t("investor.lot.compare_full", "en", limit=3) in [w.value for w in at.warning]
    assert at.session_state[investor_key("compare")] == ["lot-f-a1", "lot-f-a2", "lot-f-b2"]
    at.button(key=widget_key("investor.compare_remove.lot-f-a2", "en")).click()
    run(at)
    assert at.session_state[investor_key("compare")] == ["lot-f-a1", "lot-f-b2"]


#: A lot code that Markdown would turn into a link, an image and bold text.
MARKUP_CODE = "**C** [x](javascript:alert(1)) ![i](i.png)"


def test_a_lot_code_with_markup_is_escaped_in_the_panel_heading_and_the_remove_button(
    tmp_path, monkeypatch
):
    layers = default_layers()
    layers["lots"][0]["properties"]["code"] = MARKUP_CODE
    monkeypatch.setenv(REGISTRY_ENV, str(write_lot_layers(tmp_path / "layers", layers)))
    monkeypatch.setenv("LSZ_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    at = compare_add(select(start(), "lot-f-a1"))
    escaped = escape_markdown(MARKUP_CODE)
    headings = [h.value for h in at.subheader]
    assert t("investor.lot.panel_title", "en", code=escaped) in headings, headings
    remove = at.button(key=widget_key("investor.compare_remove.lot-f-a1", "en"))
    assert remove.label == t("investor.lot.compare_remove", "en", code=escaped)
    assert not any(MARKUP_CODE in h for h in headings)


def test_a_distance_label_with_markup_is_escaped_in_its_column_help_and_its_filter(
    tmp_path, monkeypatch
):
    registry = write_lot_layers(tmp_path / "layers", default_layers())
    targets = [{**TARGETS[0], "label": dict.fromkeys(LANGUAGES, MARKUP_CODE)}, *TARGETS[1:]]
    (registry.parent / "lot_distance_targets.json").write_text(
        json.dumps({"targets": targets}), "utf-8"
    )
    monkeypatch.setenv(REGISTRY_ENV, str(registry))
    monkeypatch.setenv("LSZ_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    at = start()
    (table,) = [d for d in at.dataframe if d.key == LOT_TABLE_KEY]
    label = t("investor.col.distance_km", "en", target=MARKUP_CODE)
    assert label in results_table(at).columns  # the header: drawn as plain text
    # The help is shown as Markdown on hovering the header.
    columns = json.loads(table.proto.columns)
    assert columns[label]["help"] == escape_markdown(label), columns[label]
    # The distance filter's label renders Markdown too.
    escaped = t("investor.filter.max_distance", "en", target=escape_markdown(MARKUP_CODE))
    assert escaped in [n.label for n in at.number_input]


# --------------------------------------------------------------------------- enquiry


ENQUIRY = {
    "name": "Trần <i>Bình</i>",
    "organisation": "Fixture Co. [x](javascript:alert(1))",
    "email": "binh@example.vn",
    "phone": "+84 912 345 678",
    "message": "**Giá** thuê?\nCảm ơn.",
}


def fill_enquiry(at: AppTest, values: dict[str, str], lang: str = "en") -> AppTest:
    for name, value in values.items():
        kind = "text_area" if name == "message" else "text_input"
        widget(at, kind, f"enquiry.{name}", lang).input(value)
    (submit,) = [b for b in at.button if b.proto.is_form_submitter and ENQUIRY_FORM_KEY in b.id]
    submit.click()
    return run(at)


def test_an_invalid_enquiry_is_refused_with_clear_messages_and_nothing_stored(store_dir):
    at = select(start(), "lot-f-a1")
    fill_enquiry(at, {**ENQUIRY, "name": "", "email": "binh@"})
    errors = [plain(e.value) for e in at.error]
    assert t("enquiry.invalid", "en") in errors
    assert "Name: required; nothing was entered" in errors
    assert "Email: expected an address such as name@example.com; found 'binh@'" in errors
    with open_store(store_url(), seed=None) as store:
        assert store.enquiries() == []


def test_an_enquiry_is_stored_confirmed_and_found_after_a_restart(store_dir):
    at = select(start(), "lot-f-a2")
    fill_enquiry(at, ENQUIRY)
    (confirmation,) = [plain(s.value) for s in at.success]
    assert confirmation.startswith("Enquiry received. Your reference number: LSZ-")
    reference = confirmation.rsplit(" ", 1)[1]
    # The app "restarts": its cached store connection and data are dropped; the enquiry is
    # in the store file, exactly as typed (tests/store/test_enquiry_app.py finds it on the
    # planners' page, logged in, on both back ends).
    st.cache_resource.clear()
    st.cache_data.clear()
    with open_store(store_url(), seed=None) as store:
        stored = store.enquiry(reference)
    assert stored is not None and stored.lot_id == "lot-f-a2" and not stored.answered
    assert (stored.name, stored.organisation, stored.message) == (
        ENQUIRY["name"],
        ENQUIRY["organisation"],
        ENQUIRY["message"],
    )
    # Nothing typed is rendered as Markdown on the page that took it.
    assert not any("Bình" in m.value or "Giá" in m.value for m in at.markdown)
    # Another visitor's page never shows it, nor does the planners' page without a login.
    other = start()
    assert reference not in shown_texts(other)
    assert not any(reference in d.value.to_string() for d in other.dataframe)
    public = AppTest.from_file(APP, default_timeout=TIMEOUT)
    public.query_params.update(page="enquiries", lang="en")
    run(public)
    assert t("enquiry.planners_only", "en") in [i.value for i in public.info]
    assert not public.dataframe and reference not in shown_texts(public)


# --------------------------------------------------------------------------- export


@pytest.fixture
def deferred_files(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], bytes]]:
    """What each made-on-click download button would run, by file name (real registration)."""
    deferred: dict[str, Callable[[], bytes]] = {}
    real = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        deferred[str(file_name)] = data_callable
        return real(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return deferred


def test_the_filtered_selection_downloads_in_every_format_and_each_file_parses(
    store_dir, deferred_files, tmp_path
):
    at = start()
    widget(at, "multiselect", "investor.availabilities").set_value(["available", "reserved"])
    run(at)
    assert codes(at) == ["A-1", "A-2", "B-2", "U-1"]
    buttons = {b.proto.label: b for b in at.get("download_button")}
    assert set(buttons) == {
        t(f"investor.export.{f}", "en") for f in ("geojson", "csv", "xlsx", "gpkg")
    }
    wanted = {"lot-f-a1", "lot-f-a2", "lot-f-b2", "lot-u-1"}
    offered_files = {name: make() for name, make in deferred_files.items()}
    geojson = json.loads(offered_files["lots.geojson"])
    assert {f["properties"]["id"] for f in geojson["features"]} == wanted
    csv_text = offered_files["lots.csv"]
    assert csv_text.startswith(codecs.BOM_UTF8)
    rows = list(csv.DictReader(io.StringIO(csv_text.decode("utf-8-sig"))))
    lot_rows = [r for r in rows if r.get("id") in wanted]
    assert len(lot_rows) == 4 and all(r["WKT"].startswith("POLYGON") for r in lot_rows)
    assert all(r["notice"].startswith(t("export.notice", "en")) for r in lot_rows)
    book = openpyxl.load_workbook(io.BytesIO(offered_files["lots.xlsx"]), read_only=True)
    first = book.worksheets[0]
    header = [c.value for c in next(first.iter_rows(max_row=1))]
    ids = {row[header.index("id")] for row in first.iter_rows(min_row=2, values_only=True)}
    assert wanted <= ids
    (tmp_path / "lots.gpkg").write_bytes(offered_files["lots.gpkg"])
    frame = pyogrio.read_dataframe(tmp_path / "lots.gpkg")
    assert set(frame["id"]) == wanted and frame.crs.to_epsg() == 4326


def test_the_selected_lot_downloads_as_a_one_page_pdf_sheet(store_dir, deferred_files):
    at = select(start(), "lot-f-a2")
    pdf_label = t("investor.export.pdf", "en")
    (button,) = [b for b in at.get("download_button") if b.proto.label == pdf_label]
    assert button.proto.deferred_file_id
    pdf = pypdf.PdfReader(io.BytesIO(deferred_files["lots-A-2.pdf"]()))
    assert len(pdf.pages) == 1
    text = pdf.pages[0].extract_text()
    assert "A-2" in text and t("export.notice", "en") in text


# --------------------------------------------------------------------------- the whole path


def test_one_visit_filter_table_map_panel_compare_enquiry_export(store_dir, deferred_files):
    """One session through the whole path, then the enquiry found after a restart."""
    at = start()
    # Filter: available lots only.
    widget(at, "multiselect", "investor.availabilities").set_value(["available"])
    run(at)
    assert codes(at) == ["A-1", "A-2", "U-1"]
    # Table: a row click selects A-2 and opens its panel.
    at.session_state[LOT_TABLE_KEY] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    run(at)
    assert at.session_state[view_key("lot")] == "lot-f-a2"
    assert escape_markdown(t("investor.lot.panel_title", "en", code="A-2")) in [
        s.value for s in at.subheader
    ]
    compare_add(at)
    # Map: a click on A-1 selects its row.
    select(at, "lot-f-a1")
    assert selected_rows(at) == [0]
    assert facts(at)[t("investor.lot.field.code", "en")][0] == "A-1"
    # Compare: side by side.
    compare_add(at)
    assert at.session_state[investor_key("compare")] == ["lot-f-a2", "lot-f-a1"]
    # Enquiry about the selected lot.
    fill_enquiry(at, ENQUIRY)
    (confirmation,) = [plain(s.value) for s in at.success]
    reference = confirmation.rsplit(" ", 1)[1]
    # Export: the three lots shown, as GeoJSON.
    geojson = json.loads(deferred_files["lots.geojson"]())
    assert sorted(f["properties"]["id"] for f in geojson["features"]) == [
        "lot-f-a1",
        "lot-f-a2",
        "lot-u-1",
    ]
    # Restart: the enquiry is in the store, about the lot selected on the map.
    st.cache_resource.clear()
    st.cache_data.clear()
    with open_store(store_url(), seed=None) as store:
        stored = store.enquiry(reference)
    assert stored is not None and stored.lot_id == "lot-f-a1"
