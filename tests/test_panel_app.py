"""The detail panel and the dashboard through AppTest, on a tiny invented layer set.

The layer set is written by :func:`write_layers` into a temporary folder and the app is
pointed at it with ``$LSZ_REGISTRY`` (as ``tests/test_app.py`` does with a copy of
``layers/``), so no shipped id or figure appears here: the registry declares its own
distance targets (a gate and the expressways). Names, shapes, dates and figures are
invented; they sit near Đồng Đăng only so that they pass the area-of-use checks.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from geo import style
from geo.i18n import LANGUAGES, t
from geo.text import format_day
from tests.app_fixtures import (
    APP,
    SOURCES,
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

TIMEOUT = 120
AS_OF = "2026-06-01"


def as_of_text(lang: str) -> str:
    """The fixture's "as of" date as the page writes it in ``lang``."""
    return format_day(date.fromisoformat(AS_OF), lang)


GATE_ID = "gate-fixture"
#: What the fixture registry measures distances to, and the panel's label of each.
DISTANCE_LABELS = {
    "gate": {lang: f"Fixture distance to the gate ({lang})" for lang in LANGUAGES},
    "roads": {lang: f"Fixture distance to a road ({lang})" for lang in LANGUAGES},
}
DISTANCE_TARGETS = [
    {"id": "gate", "label": DISTANCE_LABELS["gate"], "layer": "gates", "feature": GATE_ID},
    {"id": "roads", "label": DISTANCE_LABELS["roads"], "layer": "expressways", "feature": None},
]


INDICATORS = [
    {
        "id": "turnover",
        "label": {lang: f"Fixture turnover ({lang})" for lang in LANGUAGES},
        "value": 12345.6,
        "value_low": None,
        "unit": "bn_usd",
        "change_pct": 30,
        "period": "2024",
        "date": "2025-03-31",
        "date_precision": "day",
        "target": False,
        **texts("scope", "all goods (fixture)"),
        "source": "src-web",
        **texts("note", "A *statement* [x](javascript:y), not a statistic."),
    },
    {
        "id": "turnover_target",
        "label": {lang: f"Fixture goal ({lang})" for lang in LANGUAGES},
        "value": 20000,
        "value_low": None,
        "unit": "bn_usd",
        "change_pct": None,
        "period": "2030",
        "date": "2025-12-31",
        "date_precision": "year",
        "target": True,
        **texts("scope", None),
        "source": "src-paper",
        **texts("note", None),
    },
]

#: A line through the middle of the unplaced zone: a plain distance would say 0 km.
ROAD = [[106.700, 21.940], [106.710, 21.960]]
UNPLACED_ZONE = [[106.702, 21.945], [106.708, 21.945], [106.708, 21.955], [106.702, 21.955]]
PLACED_ZONE = [[106.730, 21.930], [106.740, 21.930], [106.740, 21.940], [106.730, 21.940]]
GATE = [106.711, 21.970]


def default_layers() -> dict[str, list[dict]]:
    return {
        "zones": [
            project(
                "zone-placed",
                "cargo_transit_zone",
                "schematic",
                polygon(PLACED_ZONE),
                area_ha=43986.3,
                area_source="src-paper",
                investment_vnd_bn=43986.3,
                investment_source="src-web",
                milestones=[
                    milestone("2024-12-11", "opening", "Fixture opening", "operational"),
                    milestone("2027-12-31", "target", "Fixture target", None, "src-paper", "year"),
                ],
            ),
            project(
                "zone-unplaced",
                "non_tariff_zone",
                "illustrative",
                polygon(UNPLACED_ZONE),
                status="planned",
            ),
        ],
        "gates": [
            project(
                GATE_ID,
                "international_gate",
                "digitised",
                point(GATE),
            )
        ],
        "expressways": [
            project(
                "road-a",
                "expressway",
                "schematic",
                {"type": "LineString", "coordinates": ROAD},
                status="partly_open",
                length_km=2.4,
                length_source="src-web",
                investment_vnd_bn=14331.6,
                investment_source="src-web",
                progress_pct=60,
                progress_as_of="2025-06-30",
                progress_source="src-web",
                progress_history=[
                    {
                        "date": "2024-12-31",
                        "date_precision": "day",
                        "progress_pct": 20,
                        "open_length_km": None,
                        "source": "src-web",
                        **texts("note", None),
                    },
                    {
                        "date": "2025-06-30",
                        "date_precision": "day",
                        "progress_pct": 60,
                        "open_length_km": 1.5,
                        "source": "src-web",
                        **texts("note", None),
                    },
                ],
                milestones=[
                    milestone("2024-04-21", "groundbreaking", "Road start", "under_construction"),
                    milestone("2025-06-30", "partial_opening", "Fixture part open", "partly_open"),
                ],
            )
        ],
    }


LAYER_META = {
    "zones": ("polygon", "zones", "zone", "project"),
    "gates": ("point", "gates", "gate", "project"),
    "expressways": ("line", "roads", "expressway", "project"),
}


def write_layers(folder: Path, layers: dict[str, list[dict]]) -> Path:
    """Write registry, GeoJSON, sources.json and indicators.json; return the registry path."""
    return write_layer_set(
        folder, layers, LAYER_META, distance_targets=DISTANCE_TARGETS, indicators=INDICATORS
    )


@pytest.fixture
def fixture_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """Return ``start(query, edit=None)``: the app on the fixture set, after ``edit(layers)``."""

    def start(query: dict[str, str], edit: Callable[[dict], None] | None = None) -> AppTest:
        layers = default_layers()
        if edit is not None:
            edit(layers)
        monkeypatch.setenv(REGISTRY_ENV, str(write_layers(tmp_path / "layers", layers)))
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        for key, value in {"date": AS_OF, **query}.items():
            at.query_params[key] = value
        run(at)
        assert not at.error, [e.value for e in at.error]
        return at

    return start


def figures(at: AppTest) -> str:
    """The panel's list of figures (the Markdown block that holds the accuracy line)."""
    return next(plain(m.value) for m in at.markdown if t("panel.accuracy", "en") in plain(m.value))


def figure_line(at: AppTest, label_key: str, lang: str = "en") -> str:
    """The line of one figure: a message key, or a distance target of the fixture registry."""
    label = DISTANCE_LABELS[label_key][lang] if label_key in DISTANCE_LABELS else t(label_key, lang)
    return next(line for line in figures(at).splitlines() if label in line)


# --------------------------------------------------------------------------- distances


def test_placed_zone_has_distances_in_km(fixture_app):
    at = fixture_app({"lang": "en", "feature": "zone-placed"})
    assert figure_line(at, "gate").endswith(" km")
    assert figure_line(at, "roads").endswith(" km")


def test_illustrative_zone_has_no_distance_not_even_0_km(fixture_app):
    at = fixture_app({"lang": "en", "feature": "zone-unplaced"})
    for key in ("gate", "roads"):
        line = figure_line(at, key)
        assert "km" not in line
        assert t("panel.distance_unknown_self", "en") in line


def test_no_distance_to_a_gate_whose_position_is_not_known(fixture_app):
    def unplace_gate(layers: dict) -> None:
        layers["gates"][0]["properties"]["geometry_accuracy"] = "illustrative"

    at = fixture_app({"lang": "en", "feature": "zone-placed"}, unplace_gate)
    line = figure_line(at, "gate")
    assert "km" not in line and t("panel.distance_unknown_target", "en") in line
    assert figure_line(at, "roads").endswith(" km")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_position_not_known_is_said_in_the_ui_language(fixture_app, lang):
    at = fixture_app({"lang": lang, "feature": "zone-unplaced"})
    shown = plain("\n".join(m.value for m in at.markdown))
    assert t("panel.distance_unknown_self", lang) in shown


# --------------------------------------------------------------------------- milestones


def milestone_table(at: AppTest):
    (table,) = at.table
    return table.value


def test_milestone_table_names_sources_by_publisher_and_date_with_their_link(fixture_app):
    at = fixture_app({"lang": "en", "feature": "zone-placed"})
    source = milestone_table(at)[t("panel.source", "en")].tolist()
    assert source == [
        "[example\\.org, 2025\u201103\u201104](https://example.org/fixture-article)",
        "Fixture committee",
    ]
    assert not any("src-" in cell for cell in source)


def test_milestone_table_has_three_columns_and_dates_as_precise_as_published(fixture_app):
    at = fixture_app({"lang": "en", "feature": "zone-placed"})
    table = milestone_table(at)
    assert list(table.columns) == [
        t(k, "en") for k in ("panel.date", "panel.event", "panel.source")
    ]
    # The target is known to the year only: no invented 31 December.
    assert [plain(d).replace("\u00a0", " ") for d in table[t("panel.date", "en")]] == [
        format_day(date(2024, 12, 11), "en"),
        "2027",
    ]
    assert plain(table[t("panel.event", "en")][1]) == t(
        "panel.milestone_target_row", "en", label="Fixture target"
    )


def test_markup_in_a_milestone_is_shown_as_text(fixture_app):
    def markup(layers: dict) -> None:
        props = layers["zones"][0]["properties"]
        props["milestones"][0]["label_en"] = "<img src=x onerror=alert(1)> [x](javascript:y)"

    at = fixture_app({"lang": "en", "feature": "zone-placed"}, markup)
    cell = milestone_table(at)[t("panel.event", "en")][0]
    assert cell == "\\<img src=x onerror=alert\\(1\\)\\> \\[x\\]\\(javascript\\:y\\)"


def charts(at: AppTest) -> list[tuple[dict, list[dict]]]:
    """Every Altair chart of the page: its spec and every row of its data sets."""

    def walk(node):
        for child in getattr(node, "children", {}).values():
            yield child
            yield from walk(child)

    result = []
    for element in walk(at._tree):
        if element.type != "vega_lite_chart":
            continue
        rows = []
        for named in element.proto.datasets:
            frame = pa.ipc.open_stream(named.data.data).read_pandas()
            rows += frame.to_dict("records")
        result.append((json.loads(element.proto.spec), rows))
    return result


def x_titles(spec: dict) -> list[str]:
    layers = spec.get("layer", [spec])
    return [
        layer["encoding"]["x"].get("title") for layer in layers if "x" in layer.get("encoding", {})
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_milestone_chart_labels_each_event_and_its_axis_in_the_ui_language(fixture_app, lang):
    at = fixture_app({"lang": lang, "feature": "zone-placed"})
    (spec, rows) = charts(at)[0]
    texts = {row.get("text") for row in rows}
    label = "Fixture opening" if lang == "en" else f"Fixture opening ({lang})"
    assert f"{format_day(date(2024, 12, 11), lang)} · {label}" in texts
    assert t("panel.as_of_mark", lang, date=as_of_text(lang)) in texts
    assert t("panel.date", lang) in x_titles(spec)


# --------------------------------------------------------------------------- dashboard


def metric(at: AppTest, key: str, lang: str = "en") -> str:
    return next(m.value for m in at.metric if m.label == t(key, lang))


def test_dashboard_figures_are_whole_with_their_basis_shown_not_hidden(fixture_app):
    at = fixture_app({"lang": "en", "page": "dashboard"})
    # 43,986.3 + 14,331.6: the whole figure, unit included.
    assert metric(at, "dashboard.total_investment") == t(
        "panel.unit_vnd_bn", "en", value="58,317.9"
    )
    assert metric(at, "dashboard.zone_area") == t("panel.unit_ha", "en", value="43,986.3")
    captions = [c.value for c in at.caption]
    assert t("dashboard.investment_note", "en", known=2, total=4) in captions
    assert t("dashboard.area_note", "en", known=1, total=2) in captions
    assert t("dashboard.as_of", "en", date=as_of_text("en")) in captions


def progress_charts(at: AppTest) -> list[tuple[dict, list[dict]]]:
    """The two progress charts: spec and series rows (not the rows of their end labels)."""
    return [
        (spec, [r for r in rows if "label_at" not in r])
        for spec, rows in charts(at)
        if any("published" in r for r in rows)
    ]


def end_labels(at: AppTest) -> list[str]:
    return [r["project"] for _, rows in charts(at) for r in rows if "label_at" in r]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_progress_charts_are_labelled_in_the_ui_language(fixture_app, lang):
    at = fixture_app({"lang": lang, "page": "dashboard"})
    (pct_spec, pct_rows), (km_spec, _) = progress_charts(at)
    for spec in (pct_spec, km_spec):
        assert t("panel.date", lang) in x_titles(spec)
    y_titles = {
        layer["encoding"]["y"].get("title")
        for spec in (pct_spec, km_spec)
        for layer in spec["layer"]
        if "title" in layer["encoding"].get("y", {})
    }
    assert y_titles == {t("dashboard.progress_pct", lang), t("dashboard.open_km", lang)}
    assert {r["project"] for r in pct_rows} == {f"road-a {lang}"}
    assert end_labels(at) == [f"road-a {lang}"] * 2  # one name per line, on each chart
    assert t("dashboard.held_note", lang, date=as_of_text(lang)) in [c.value for c in at.caption]


def test_progress_is_a_line_of_published_points_held_to_the_as_of_date(fixture_app):
    at = fixture_app({"lang": "en", "page": "dashboard"})
    (_, pct_rows), (_, km_rows) = progress_charts(at)
    points = [(str(r["date"])[:10], r["value"], r["published"]) for r in pct_rows]
    assert points == [
        ("2024-12-31", 20.0, True),
        ("2025-06-30", 60.0, True),
        (AS_OF, 60.0, False),
    ]
    assert [(str(r["date"])[:10], r["value"]) for r in km_rows] == [
        ("2025-06-30", 1.5),
        (AS_OF, 1.5),
    ]
    # Coloured by the project's status on the date, with the map's colours.
    assert {r["colour"] for r in pct_rows} == {style.status_colour("partly_open")}
    assert {r["source"] for r in pct_rows} == {"example.org, 2025-03-04"}


def test_trade_figures_are_shown_whole_with_date_and_linked_source(fixture_app):
    at = fixture_app({"lang": "en", "page": "dashboard"})
    (table,) = at.table
    row = table.value.iloc[0]
    value = t("unit.bn_usd", "en", value="12,345.6") + " (+30 %)"
    assert plain(row[t("dashboard.value", "en")]) == value.replace(" ", "\u00a0")
    assert plain(row[t("dashboard.date", "en")]).replace("\u00a0", " ") == format_day(
        date(2025, 3, 31), "en"
    )
    assert row[t("dashboard.source", "en")] == (
        "[example\\.org, 2025\\-03\\-04](https://example.org/fixture-article)"
    )


def test_a_trade_target_says_so_and_its_date_is_as_precise_as_published(fixture_app):
    at = fixture_app({"lang": "vi", "page": "dashboard"})
    row = at.table[0].value.iloc[1]
    assert plain(row[t("dashboard.indicator", "vi")]) == t(
        "panel.milestone_target_row", "vi", label="Fixture goal (vi)"
    )
    assert plain(row[t("dashboard.date", "vi")]) == "2025"
    assert plain(row[t("dashboard.source", "vi")]) == "Fixture committee"


def test_trade_scope_and_note_are_kept_as_plain_text(fixture_app):
    at = fixture_app({"lang": "en", "page": "dashboard"})
    details = at.dataframe[0].value.iloc[0]
    assert details[t("dashboard.note", "en")] == INDICATORS[0]["note_en"]
    assert details[t("dashboard.scope", "en")] == "all goods (fixture)"
    assert details[t("dashboard.source", "en")] == SOURCES["src-web"]["title"]


def test_end_labels_of_close_lines_are_moved_apart_upwards_never_below_their_line():
    from ui.dashboard import _dodge

    placed = _dodge([91.1, 83.5, 20.0], gap=14.0)
    assert placed == [97.5, 83.5, 20.0]
    assert all(p >= v for p, v in zip(placed, [91.1, 83.5, 20.0], strict=True))
