"""The view state in the query string: parsing, ignoring, round trip."""

from datetime import date

import pytest

from geo.vocabulary import STATUSES
from ui.query import ViewState, parse_query, to_query

LAYERS = ["zones", "gates", "expressways", "provinces", "railways"]
DEFAULT = ["zones", "gates", "expressways", "provinces"]
FEATURES = {"zone-cargo-transit", "gate-huu-nghi"}
BOUNDS = (date(2010, 7, 8), date(2026, 11, 23))
TODAY = date(2026, 11, 23)


def parse(params):
    return parse_query(
        params,
        layer_ids=LAYERS,
        default_layers=DEFAULT,
        feature_ids=FEATURES,
        date_bounds=BOUNDS,
        today=TODAY,
    )


def test_empty_query_gives_defaults():
    state, ignored = parse({})
    assert state == ViewState(layers=tuple(DEFAULT), as_of=TODAY)
    assert state.lang == "vi" and state.page == "map" and ignored == []


@pytest.mark.parametrize(
    "state",
    [
        ViewState(layers=tuple(DEFAULT), as_of=TODAY),
        ViewState(page="dashboard", lang="zh", layers=("zones",), as_of=date(2024, 5, 1)),
        ViewState(
            lang="en",
            layers=(),
            feature="gate-huu-nghi",
            as_of=date(2012, 1, 1),
            statuses=("operational", "partly_open"),
            search="đồng đăng",
        ),
        ViewState(
            layers=("zones", "railways"), feature="zone-cargo-transit", as_of=TODAY, statuses=()
        ),
        ViewState(layers=tuple(DEFAULT), as_of=TODAY, groups=("roads",), basemap="none"),
        ViewState(layers=tuple(DEFAULT), as_of=TODAY, groups=()),
    ],
)
def test_round_trip(state):
    parsed, ignored = parse(to_query(state, default_layers=DEFAULT, today=TODAY))
    assert ignored == []
    # Statuses come back in vocabulary order.
    assert parsed == ViewState(
        **{**state.__dict__, "statuses": tuple(s for s in STATUSES if s in state.statuses)}
    )


def test_unknown_values_are_ignored_and_reported():
    state, ignored = parse(
        {
            "lang": "fr",
            "page": "admin",
            "layers": "zones,nope",
            "feature": "x<script>",
            "status": "operational,finished",
        }
    )
    assert state.lang == "vi" and state.page == "map"
    assert state.layers == ("zones",)
    assert state.feature is None
    assert state.statuses == ("operational",)
    keys = [(i.key, i.values["value"]) for i in ignored]
    assert keys == [
        ("warning.unknown_page", "admin"),
        ("warning.unknown_language", "fr"),
        ("warning.unknown_layer", "nope"),
        ("warning.unknown_feature", "x<script>"),
        ("warning.unknown_status", "finished"),
    ]


def test_bad_date_is_ignored():
    state, ignored = parse({"date": "23/11/2026"})
    assert state.as_of == TODAY
    assert [i.key for i in ignored] == ["warning.bad_date"]


@pytest.mark.parametrize(("raw", "shown"), [("1999-01-01", BOUNDS[0]), ("2040-01-01", BOUNDS[1])])
def test_date_outside_the_data_is_clamped_and_reported(raw, shown):
    state, ignored = parse({"date": raw})
    assert state.as_of == shown
    assert ignored[0].key == "warning.date_clamped"
    assert ignored[0].values["shown"] == shown.isoformat()


def test_unknown_group_and_basemap_are_ignored_and_reported():
    state, ignored = parse({"groups": "roads,context", "basemap": "satellite"})
    assert state.groups == ("roads",)
    assert state.basemap == "offline"
    assert [(i.key, i.values["value"]) for i in ignored] == [
        ("warning.unknown_group", "context"),
        ("warning.unknown_basemap", "satellite"),
    ]


def test_the_offline_basemap_is_the_default_and_tiles_need_a_known_network(monkeypatch):
    monkeypatch.delenv("LSZ_ONLINE_BASEMAPS", raising=False)
    assert parse({})[0].basemap == "offline"
    assert "basemap" not in to_query(parse({})[0], default_layers=DEFAULT, today=TODAY)
    state, ignored = parse({"basemap": "osm"})
    assert state.basemap == "offline"
    assert [(i.key, i.values["value"]) for i in ignored] == [("warning.unknown_basemap", "osm")]
    monkeypatch.setenv("LSZ_ONLINE_BASEMAPS", "1")
    state, ignored = parse({"basemap": "osm"})
    assert (state.basemap, ignored) == ("osm", [])
    assert parse({})[0].basemap == "offline"  # online tiles are never the default


@pytest.mark.parametrize(
    ("param", "field", "default"),
    [
        ("groups", "groups", ViewState().groups),
        ("status", "statuses", STATUSES),
        ("layers", "layers", tuple(DEFAULT)),
    ],
)
def test_only_unknown_values_give_the_default_not_an_empty_view(param, field, default):
    state, ignored = parse({param: "zzz"})
    assert getattr(state, field) == default
    assert [i.values["value"] for i in ignored] == ["zzz"]


def test_an_empty_list_is_a_choice_and_stays_empty():
    state, ignored = parse({"status": "", "groups": ""})
    assert state.statuses == () and state.groups == ()
    assert ignored == []
