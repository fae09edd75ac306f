"""The tiles fixture page in AppTest: a re-run does not wait for a tile build.

The page (tests/e2e/tiles_fixture_app.py, the map page's tiled pieces) gets a build
registry whose build blocks on an event and then really builds with tippecanoe: the
first run must come back with the "being built" message and no tiled layer while the
build is still blocked, and the run after the build shows the layer.
"""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo.text import escape_markdown
from geo.tile_builds import TileBuilds
from geo.tiles import ensure_archive
from tests.test_tile_builds import WAIT_S, GatedBuild
from ui import state as ui_state

FIXTURE = Path(__file__).parent / "e2e" / "tiles_fixture_app.py"
BUILDS_KEY = "lsz_test_tile_builds"


def _texts(at: AppTest) -> list[str]:
    return [el.value for el in at.text]


def test_a_rerun_returns_while_the_tiles_build_and_the_next_one_draws_them(tmp_path, monkeypatch):
    monkeypatch.setenv("LSZ_TILES_FIXTURE_LOTS", "60")
    build = GatedBuild(tmp_path)
    builds = TileBuilds(build)
    at = AppTest.from_file(str(FIXTURE), default_timeout=WAIT_S)
    at.session_state[BUILDS_KEY] = builds
    at.run()
    assert not at.exception
    assert build.started.wait(WAIT_S) and not build.gate.is_set()  # the build is blocked
    assert [el.value for el in at.info] == [
        escape_markdown("Tiles for Lots are being built (60 features) — shown when ready.")
    ]
    assert not any(text.startswith("tiles fixture ready") for text in _texts(at))
    at.run()  # a second re-run while it builds: same message, no second build
    assert len(at.info) == 1 and build.calls == [("e2e_lots", ("e2e-fixture", 60))]

    build.gate.set()
    assert builds.wait("e2e_lots", ("e2e-fixture", 60), WAIT_S).state == "ready"
    at.run()
    assert not at.exception and not at.info and not at.error
    ready = [text for text in _texts(at) if text.startswith("tiles fixture ready: ")]
    assert len(ready) == 1 and ready[0] != "tiles fixture ready: "  # one tiled group drawn
    assert list(tmp_path.glob("e2e_lots-*.pmtiles"))


def test_a_failed_build_shows_its_error_and_a_retry_builds_again(tmp_path, monkeypatch):
    monkeypatch.setenv("LSZ_TILES_FIXTURE_LOTS", "20")
    calls = []

    def build(gdf, layer_id, stamp):
        calls.append(stamp)
        if len(calls) == 1:
            raise OSError("disk full")
        return ensure_archive(gdf, layer_id, stamp, tiles_dir=tmp_path, url_prefix="/t")

    builds = TileBuilds(build)
    at = AppTest.from_file(str(FIXTURE), default_timeout=WAIT_S)
    at.session_state[BUILDS_KEY] = builds
    at.run()
    builds.wait("e2e_lots", ("e2e-fixture", 20), WAIT_S)
    at.run()
    assert [el.value for el in at.error] == [
        escape_markdown("Tiles for Lots could not be built: OSError: disk full")
    ]
    at.button(key=ui_state.tiles_retry_key("e2e_lots")).click().run()
    builds.wait("e2e_lots", ("e2e-fixture", 20), WAIT_S)
    at.run()
    assert not at.error and calls == [("e2e-fixture", 20)] * 2
    assert any(text.startswith("tiles fixture ready: ") for text in _texts(at))


def _parcels_page(min_features: int) -> None:
    """A map page (ui.map_panel.map_view) with one imported parcel layer (a context layer)."""
    import dataclasses
    from datetime import date

    import streamlit as st

    from geo.registry import Registry, load_registry
    from tests.lot_grid import lot_grid
    from ui.data import AppData
    from ui.map_panel import map_view
    from ui.query import ViewState

    shipped = load_registry()
    spec = dataclasses.replace(
        shipped.get("provinces"),
        id="parcels",
        title={"vi": "Thửa đất", "en": "Parcels", "zh": "地块"},
        credits=(),
    )
    parcels = lot_grid(30).drop(columns=["status", "availability", "milestones"])
    data = AppData(
        registry=Registry((spec,), extent=shipped.extent),
        layers={"parcels": parcels},
        errors={},
        sources={},
        indicators=[],
        indicator_error=None,
        stamp=("store", "test", ("g1", (("parcels", 1),))),
    )
    state = ViewState(layers=("parcels",), as_of=date(2026, 6, 30), lang="en", basemap="none")
    builds = st.session_state.get("builds")
    map_view(data, state, [], tiled_min_features=min_features, builds=builds)


def _map_args(at: AppTest) -> str:
    """The arguments the page sent to the map component (its script and feature groups)."""
    (component,) = [el for el in at.main if type(el).__name__ == "UnknownElement"]
    args = json.loads(component.proto.json_args)
    return args["script"] + args["feature_group"]


def test_an_imported_parcel_layer_over_the_threshold_is_tiled_not_inline(tmp_path):
    build = GatedBuild(tmp_path)
    builds = TileBuilds(build)
    at = AppTest.from_function(_parcels_page, args=(10,), default_timeout=WAIT_S)
    at.session_state["builds"] = builds
    at.run()
    assert not at.exception
    assert [el.value for el in at.info] == [
        escape_markdown("Tiles for Parcels are being built (30 features) — shown when ready.")
    ]
    assert "lot-00007" not in _map_args(at)  # not drawn inline meanwhile either
    build.gate.set()
    ready = builds.wait("parcels", ("store", "test", "g1", 1), WAIT_S)
    assert ready.state == "ready"
    at.run()
    args = _map_args(at)
    assert not at.info and ready.archive.url in args and "lot-00007" not in args
    assert '"pane":"lsz-polygon-context"' in args


def test_the_threshold_splits_context_layers_as_it_splits_project_layers():
    from geo.map_data import MapLayer
    from geo.registry import load_registry
    from tests.lot_grid import lot_grid
    from ui.tiled import split_tiled

    parcels = MapLayer(load_registry().get("provinces"), lot_grid(30))
    assert split_tiled([parcels], 10) == ([], [parcels])
    assert split_tiled([parcels]) == ([parcels], [])  # the default: inline under 2,000
