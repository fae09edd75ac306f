"""Property-based fuzzing: any input ends in a result or a typed ``GeoError``, quickly.

Hypothesis feeds the importers arbitrary bytes under every supported extension and mutated
copies of valid files (a byte overwritten, inserted or cut off), the validators arbitrary
property dictionaries and the query-string parser arbitrary parameters. Each property holds
when the call returns or raises a :class:`geo.errors.GeoError` subclass; any other exception
fails the test with the input that caused it (hypothesis shrinks it).

Bounded and stable: sizes are capped (a few kB of bytes, small dictionaries), every example
runs under a 20-second alarm (a hang fails as ``Hang``, instead of Hypothesis' wall-clock
``deadline``, which would flake on the shared two-core machine), example counts are modest
and ``derandomize=True`` draws the same examples on every run, so CI sees one fixed set.
"""

from __future__ import annotations

import io
import json
import signal
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from geo.collection_checks import validate_feature_collection
from geo.errors import GeoError
from geo.field_checks import validate_properties
from geo.importing.limits import Limits
from geo.importing.read import SUPPORTED_EXTENSIONS, read_file
from ui.query import parse_query

T = TypeVar("T")
PER_EXAMPLE_S = 20
FUZZ = settings(
    max_examples=120,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
#: Small limits, so a mutated count cannot make one example read for long.
LIMITS = Limits(
    max_file_mb=1,
    max_features=500,
    max_vertices_per_feature=5_000,
    max_vertices_total=20_000,
    max_zip_members=20,
    max_uncompressed_mb=4,
)


class Hang(AssertionError):
    """An example ran past :data:`PER_EXAMPLE_S`."""


@contextmanager
def bounded(seconds: int = PER_EXAMPLE_S) -> Iterator[None]:
    """Fail with :class:`Hang` if the block runs longer than ``seconds``."""

    def alarm(_signum: int, _frame: object) -> None:
        raise Hang(f"an example ran longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def result_or_geo_error(call: Callable[[], T]) -> T | GeoError:
    """Run ``call``: return its result or the GeoError it raised; anything else propagates."""
    with bounded():
        try:
            return call()
        except GeoError as exc:
            assert str(exc), "a GeoError must carry a message"
            return exc


# ---------------------------------------------------------------------- valid seeds

GEOJSON = json.dumps(
    {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"id": "a-1", "name": "Khu A", "area_ha": 12.5},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[106.7, 21.9], [106.8, 21.9], [106.8, 22.0], [106.7, 21.9]]],
                },
            },
            {
                "type": "Feature",
                "properties": {"id": "a-2", "name": "Cổng"},
                "geometry": {"type": "Point", "coordinates": [106.75, 21.95]},
            },
        ],
    },
    ensure_ascii=False,
).encode()
#: One geometry kind, importable as a new layer as it is.
POINTS = json.dumps(
    {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"id": f"well-{n}", "name": f"Giếng {n}", "depth_m": 10 + n},
                "geometry": {"type": "Point", "coordinates": [106.7 + n / 100, 21.9]},
            }
            for n in range(3)
        ],
    },
    ensure_ascii=False,
).encode()
KML = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
    "<Placemark><name>Cổng</name><Point><coordinates>106.75,21.95</coordinates></Point>"
    "</Placemark><Placemark><name>Đường</name><LineString><coordinates>106.7,21.9 "
    "106.8,21.9</coordinates></LineString></Placemark></Document></kml>"
).encode()
CSV = "id,name,lon,lat\ng-1,Cổng Hữu Nghị,106.7,21.9\ng-2,Tân Thanh,106.6,21.8\n".encode()


def kmz() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("doc.kml", KML)
    return buffer.getvalue()


def shapefile_zip(folder: Path) -> bytes:
    import geopandas
    from shapely import Point

    frame = geopandas.GeoDataFrame(
        {"id": ["p-1", "p-2"], "name": ["Một", "Hai"]},
        geometry=[Point(106.7, 21.9), Point(106.8, 22.0)],
        crs="EPSG:4326",
    )
    frame.to_file(folder / "points.shp", engine="pyogrio")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for part in sorted(folder.glob("points.*")):
            zf.write(part, part.name)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Valid files of each text and archive format, keyed by extension."""
    folder = tmp_path_factory.mktemp("seeds")
    seeds = {
        ".geojson": GEOJSON,
        ".kml": KML,
        ".csv": CSV,
        ".kmz": kmz(),
        ".zip": shapefile_zip(folder),
    }
    for suffix, content in seeds.items():  # the seeds themselves read cleanly
        path = folder / f"seed{suffix}"
        path.write_bytes(content)
        assert read_file(path, limits=LIMITS), suffix
    return seeds


@st.composite
def mutated(draw: st.DrawFn, content: bytes) -> bytes:
    """``content`` with a few bytes overwritten, inserted, deleted or the tail cut off."""
    data = bytearray(content)
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, max(len(data) - 1, 0)))
        how = draw(st.sampled_from(["overwrite", "insert", "delete", "truncate"]))
        if how == "overwrite" and data:
            data[where] = draw(st.integers(0, 255))
        elif how == "insert":
            data[where:where] = draw(st.binary(min_size=1, max_size=16))
        elif how == "delete":
            del data[where : where + draw(st.integers(1, 16))]
        else:
            del data[where:]
    return bytes(data)


# ---------------------------------------------------------------------- importers


@FUZZ
@given(suffix=st.sampled_from(SUPPORTED_EXTENSIONS), content=st.binary(max_size=4096))
def test_read_file_on_arbitrary_bytes_returns_or_raises_a_geo_error(
    tmp_path: Path, suffix: str, content: bytes
) -> None:
    path = tmp_path / f"upload{suffix}"
    path.write_bytes(content)
    outcome = result_or_geo_error(lambda: read_file(path, limits=LIMITS))
    if not isinstance(outcome, GeoError):
        assert outcome, "a file read without error has at least one layer"


@pytest.mark.parametrize("suffix", [".geojson", ".kml", ".csv", ".kmz", ".zip"])
def test_read_file_on_mutated_valid_files_returns_or_raises_a_geo_error(
    tmp_path: Path, seeds: dict[str, bytes], suffix: str
) -> None:
    @settings(FUZZ, max_examples=60)
    @given(content=mutated(seeds[suffix]))
    def check(content: bytes) -> None:
        path = tmp_path / f"upload{suffix}"
        path.write_bytes(content)
        result_or_geo_error(lambda: read_file(path, limits=LIMITS))

    check()


# ---------------------------------------------------------------------- validators

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
#: Field names the validators know, so the fuzzer reaches their checks, and any other text.
FIELD_NAMES = st.sampled_from(
    [
        "id", "name_vi", "name_en", "name_zh", "status", "progress_pct", "area_ha",
        "length_km", "milestones", "history", "sources", "source", "as_of", "kind",
        "group", "note_en", "illustrative", "schematic", "lot_id", "use", "date",
    ]
) | st.text(max_size=12)  # fmt: skip
PROPERTIES = st.dictionaries(FIELD_NAMES, JSON_VALUES, max_size=10)


@FUZZ
@given(
    props=PROPERTIES | JSON_VALUES,
    schema=st.sampled_from(["project", "context", "lot"]),
)
def test_validate_properties_returns_problems_for_any_value(props: Any, schema: str) -> None:
    with bounded():
        problems = validate_properties(
            props, schema=schema, file="fuzz.geojson", feature_index=0, source_ids={"survey"}
        )
    assert isinstance(problems, list)
    for problem in problems:
        assert str(problem).startswith("fuzz.geojson")


GEOMETRIES = st.one_of(
    JSON_VALUES,
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(["Point", "LineString", "Polygon", "MultiPolygon", "x"]),
            "coordinates": JSON_VALUES,
        }
    ),
)
FEATURES = st.one_of(
    JSON_VALUES,
    st.fixed_dictionaries(
        {"type": st.just("Feature"), "properties": PROPERTIES, "geometry": GEOMETRIES}
    ),
)
COLLECTIONS = st.one_of(
    JSON_VALUES,
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(["FeatureCollection", "Feature"]),
            "features": st.lists(FEATURES, max_size=4) | JSON_VALUES,
        },
        optional={"crs": JSON_VALUES},
    ),
)


@FUZZ
@given(
    doc=COLLECTIONS,
    kind=st.sampled_from(["polygon", "line", "point"]),
    schema=st.sampled_from(["project", "context", "lot"]),
)
def test_validate_feature_collection_returns_problems_for_any_document(
    doc: Any, kind: str, schema: str
) -> None:
    outcome = result_or_geo_error(
        lambda: validate_feature_collection(
            doc, file="fuzz.geojson", geometry_kind=kind, schema=schema, source_ids={"survey"}
        )
    )
    assert isinstance(outcome, list | GeoError)


# ---------------------------------------------------------------------- query string

QUERY_KEYS = st.sampled_from(
    ["page", "lang", "layers", "feature", "date", "status", "groups", "q", "basemap"]
) | st.text(max_size=10)
QUERY_VALUES = st.text(max_size=60) | st.sampled_from(
    ["map", "dashboard", "vi", "zones,roads", "2031-02-30", "9999-12-31", "0001-01-01", ",,,"]
)


@FUZZ
@given(params=st.dictionaries(QUERY_KEYS, QUERY_VALUES, max_size=9))
def test_parse_query_returns_a_known_state_for_any_parameters(params: dict[str, str]) -> None:
    layers = ("zones", "roads", "gates")
    bounds = (date(2020, 1, 1), date(2035, 12, 31))
    with bounded():
        state, ignored = parse_query(
            params,
            layer_ids=layers,
            default_layers=("zones",),
            feature_ids={"zone-a", "gate-b"},
            date_bounds=bounds,
            today=date(2026, 12, 2),
        )
    assert set(state.layers) <= set(layers)
    assert state.feature in (None, "zone-a", "gate-b")
    assert bounds[0] <= state.as_of <= bounds[1]
    assert state.page in ("map", "dashboard")
    assert all(isinstance(item.key, str) for item in ignored)


# ---------------------------------------------------------------------- tour loader

TOUR_KEYS = st.sampled_from(
    [
        "id", "title_vi", "title_en", "title_zh", "text_vi", "text_en", "text_zh",
        "feature", "layers", "centre", "zoom", "as_of", "figures",
    ]
) | st.text(max_size=8)  # fmt: skip
ORIGINS = st.fixed_dictionaries({"indicator": JSON_VALUES | st.just("ind-1")}) | (
    st.fixed_dictionaries(
        {
            "feature": JSON_VALUES | st.just("z-1"),
            "field": JSON_VALUES | st.sampled_from(["area_ha", "length_km", "progress_pct"]),
        }
    )
)
FIGURE = st.dictionaries(
    st.sampled_from(["value", "unit", "label", "source", "from"]) | st.text(max_size=6),
    JSON_VALUES | ORIGINS,
    max_size=6,
)
STOP_VALUES = JSON_VALUES | st.lists(FIGURE, max_size=3) | st.sampled_from(["zones", "z-1"])
TOURS = JSON_VALUES | st.fixed_dictionaries(
    {"stops": st.lists(st.dictionaries(TOUR_KEYS, STOP_VALUES, max_size=12), max_size=4)}
)


class Indicator:
    value = 12.5
    unit = "ha"
    source = "survey"


@FUZZ
@given(doc=TOURS)
def test_parse_tour_returns_stops_and_problems_for_any_document(doc: Any) -> None:
    from geo.tour import parse_tour

    with bounded():
        stops, problems = parse_tour(
            doc,
            layer_ids={"zones", "roads"},
            features={"z-1": {"id": "z-1", "area_ha": 12.5, "layer": "zones"}},
            indicators={"ind-1": Indicator()},
            source_ids={"survey"},
        )
    assert [stop.number for stop in stops] == list(range(1, len(stops) + 1))
    for problem in problems:
        assert str(problem).startswith("tour.json")


# ---------------------------------------------------------------------- import pipeline


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory: pytest.TempPathFactory):
    from geo.store import open_store

    folder = tmp_path_factory.mktemp("fuzzstore")
    with open_store(f"sqlite:///{folder}/fuzz.gpkg") as store:
        yield store


def test_a_mutated_import_is_written_whole_or_not_at_all(tmp_path: Path, fuzz_store: Any) -> None:
    from geo.importing.pipeline import analyse, commit

    store = fuzz_store
    outcomes: list[str] = []

    @settings(FUZZ, max_examples=40)
    @given(content=mutated(POINTS))
    @example(content=POINTS)  # the file as it was: written
    def check(content: bytes) -> None:
        path = tmp_path / "survey.geojson"
        path.write_bytes(content)
        before = store.snapshot()
        with bounded():
            try:
                report = analyse(path, entries=store.entries())
                version = commit(report, store)
            except GeoError:
                after = store.snapshot()
                assert after.stamp == before.stamp, "a refused import changed the store"
                outcomes.append("refused")
                return
        layer = store.features(report.layer_id)
        assert len(layer) == report.features, "an accepted import is stored whole"
        assert store.versions()[report.layer_id] == version
        outcomes.append("written")

    check()
    assert {"refused", "written"} <= set(outcomes), "the examples never reached one outcome"


# ---------------------------------------------------------------------- enquiries

ENQUIRY_VALUES = (
    JSON_VALUES
    | st.text(max_size=5000)
    | st.sampled_from(
        ["vi", "en", "zh", "lot-a", "an@example.vn", "+84 205 123 456", "<script>x</script>"]
    )
)


@FUZZ
@given(
    fields=st.dictionaries(
        st.sampled_from(["lot_id", "name", "organisation", "email", "phone", "message", "language"])
        | st.text(max_size=8),
        ENQUIRY_VALUES,
        max_size=9,
    )
)
def test_validate_enquiry_returns_problems_for_any_fields(fields: dict[str, Any]) -> None:
    from geo.store.enquiries import ENQUIRY_FIELDS, ENQUIRY_LIMITS, validate_enquiry

    with bounded():
        problems = validate_enquiry(fields, lot_ids={"lot-a"})
    assert len({p.field for p in problems}) == len(problems)  # at most one per field
    assert {p.field for p in problems} <= set(ENQUIRY_FIELDS)
    if not problems:  # accepted: within every limit
        for name, limit in ENQUIRY_LIMITS.items():
            value = fields.get(name)
            assert not isinstance(value, str) or len(value.strip()) <= limit
