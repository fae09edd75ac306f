"""Where ``geo.mapview`` spends its time, and what the obvious fixes would save.

``python -m bench.profile_builder [--sizes 1000 10000] [--repeat 3] [--histories]``

1. ``cProfile`` of ``project_groups`` at the largest size (top functions by own time
   and by cumulative time) → ``bench/results/profile_project_groups_<N>.txt``;
2. the per-feature steps of ``_project_collection`` timed one at a time over all
   parcels (median of ``--repeat``), each beside a vectorised alternative;
3. :func:`bench.prototype.fast_project_collection`, a bench-only rewrite of
   ``_project_collection`` that keeps the per-feature text and style logic (it calls
   the same ``geo`` functions) and must give *identical* features, labels and
   styles: its time beside the real one (whatever ``geo/mapview.py`` is now);
4. the bytes of the ``DataLayer`` JSON with folium's ``tojson`` (ASCII escapes, ``", "``
   separators) and with compact UTF-8 JSON.

Everything goes to ``bench/results/profile_builder.csv`` and the text report; nothing
is asserted (the identity check of step 3 is reported, not enforced).
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import gc
import io
import json
import pstats
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import shapely
from jinja2.utils import htmlsafe_json_dumps
from shapely.geometry import mapping

from bench.prototype import fast_project_collection, rounded_geometries
from bench.synthetic import synthetic_layers
from bench.variants import AS_OF, LANG, map_layers
from geo import map_data, mapview
from geo.feature_text import label_text, tooltip_text
from geo.mapview import project_groups
from geo.timeline import status_on

RESULTS = Path(__file__).resolve().parent / "results"
CSV_PATH = RESULTS / "profile_builder.csv"


def _median_time(func: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def profile_text(n: int, histories: bool) -> str:
    """Return cProfile's top entries for ``project_groups`` over ``n`` parcels."""
    layers = map_layers(synthetic_layers(n, parcel_histories=histories))
    profiler = cProfile.Profile()
    profiler.enable()
    project_groups(layers, lang=LANG, as_of=AS_OF)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    out.write(f"project_groups over {n} parcels + 3 roads + 10 gates, as_of {AS_OF}\n")
    out.write("\n== by own time ==\n")
    stats.sort_stats("tottime").print_stats(25)
    out.write("\n== by cumulative time ==\n")
    stats.sort_stats("cumtime").print_stats(30)
    return out.getvalue()


def steps(n: int, repeat: int, histories: bool) -> list[dict[str, Any]]:
    """Time each per-feature step of ``_project_collection`` over the ``n`` parcels."""
    data = synthetic_layers(n, parcel_histories=histories)
    gdf = data.parcels
    geoms = list(gdf.geometry)
    props_fast = gdf.drop(columns="geometry").to_dict("index")
    props = [{**p, "id": fid} for fid, p in props_fast.items()]
    as_of = date(AS_OF.year, AS_OF.month, AS_OF.day)

    def iterrows_only() -> None:
        for _ in gdf.iterrows():
            pass

    def iterrows_drop_to_dict() -> None:
        # What geo.mapview did per row before commit 5cf2c80.
        for fid, row in gdf.iterrows():
            _ = {**row.drop(labels="geometry").to_dict(), "id": fid}

    def to_dict_records() -> None:
        records = gdf.drop(columns="geometry").to_dict("records")
        for fid, p in zip(gdf.index, records, strict=True):
            p["id"] = fid

    def status_all() -> None:
        for p in props:
            status_on(p, as_of)

    def tooltip_all() -> None:
        for p in props:
            tooltip_text(p, "project", LANG, as_of)

    def label_all() -> None:
        for p in props:
            label_text(p, LANG, as_of)

    def rounded_each() -> None:
        for g in geoms:
            map_data._rounded(g)

    def rounded_vectorised() -> None:
        rounded_geometries(gdf.geometry.values)

    def mapping_only() -> None:
        for g in geoms:
            mapping(g)

    def repr_point_each() -> None:
        for g in geoms:
            g.representative_point()

    def repr_point_vectorised() -> None:
        shapely.point_on_surface(gdf.geometry.values)

    def style_key_each() -> None:
        collection = map_data.LayerData()
        style = {
            "color": "#868e96",
            "weight": 2.5,
            "opacity": 0.95,
            "fillColor": "#868e96",
            "fillOpacity": 0.35,
            "fill": True,
            "dashArray": "6 4",
        }
        for _ in geoms:
            collection.style_id(dict(style))

    timed = {
        "iterrows (loop only)": iterrows_only,
        "iterrows + row.drop('geometry').to_dict()  [before 5cf2c80]": iterrows_drop_to_dict,
        "gdf.drop(columns='geometry').to_dict('records')  [since 5cf2c80]": to_dict_records,
        "status_on per feature": status_all,
        "tooltip_text per feature": tooltip_all,
        "label_text per feature": label_all,
        "geo.map_data._rounded per geometry  [current]": rounded_each,
        "np.round + set_coordinates + to_geojson, whole layer  [alternative]": rounded_vectorised,
        "shapely mapping() per geometry (no rounding)": mapping_only,
        "representative_point per geometry  [current]": repr_point_each,
        "shapely.point_on_surface vectorised  [alternative]": repr_point_vectorised,
        "LayerData.style_id (repr(sorted(...)) key) per feature": style_key_each,
    }
    rows = []
    for label, func in timed.items():
        seconds = _median_time(func, repeat)
        rows.append({"n": n, "histories": histories, "what": label, "seconds": round(seconds, 4)})
        print(f"N={n:>6} {seconds:8.3f} s  {label}")
    return rows


def _collections_equal(a: map_data.LayerData, b: map_data.LayerData) -> tuple[bool, str]:
    if a.styles != b.styles:
        return False, "styles differ"
    if len(a.features) != len(b.features) or len(a.labels) != len(b.labels):
        return False, f"counts differ: {len(a.features)}/{len(b.features)} features"
    # Compare as the browser sees them: the JSON folium writes.
    ja = json.dumps(a.features, sort_keys=True)
    jb = json.dumps(b.features, sort_keys=True)
    if ja != jb:
        diffs = sum(
            json.dumps(x, sort_keys=True) != json.dumps(y, sort_keys=True)
            for x, y in zip(a.features, b.features, strict=True)
        )
        return False, f"{diffs} features differ"
    if json.dumps(a.labels, sort_keys=True) != json.dumps(b.labels, sort_keys=True):
        return False, "labels differ"
    return True, "identical"


def prototype(n: int, repeat: int, histories: bool) -> list[dict[str, Any]]:
    """Time the real ``_project_collection`` and the prototype; check they agree."""
    layers = map_layers(synthetic_layers(n, parcel_histories=histories))
    rows = []
    for layer in layers:
        real = mapview._project_collection(layer, lang=LANG, as_of=AS_OF, feature_ids=None)
        fast = fast_project_collection(layer, lang=LANG, as_of=AS_OF, feature_ids=None)
        _, why = _collections_equal(real, fast)
        t_real = _median_time(
            lambda layer=layer: mapview._project_collection(
                layer, lang=LANG, as_of=AS_OF, feature_ids=None
            ),
            repeat,
        )
        t_fast = _median_time(
            lambda layer=layer: fast_project_collection(
                layer, lang=LANG, as_of=AS_OF, feature_ids=None
            ),
            repeat,
        )
        print(
            f"N={n:>6} {layer.spec.id:>6}: _project_collection {t_real:.3f} s, "
            f"prototype {t_fast:.3f} s ({t_real / max(t_fast, 1e-9):.1f}× faster); output {why}"
        )
        rows.append(
            {
                "n": n,
                "histories": histories,
                "what": f"_project_collection [{layer.spec.id}]",
                "seconds": round(t_real, 4),
                "note": "",
            }
        )
        rows.append(
            {
                "n": n,
                "histories": histories,
                "what": f"prototype [{layer.spec.id}]",
                "seconds": round(t_fast, 4),
                "note": why,
            }
        )
    return rows


def json_bytes(n: int, histories: bool) -> list[dict[str, Any]]:
    """Bytes of the parcels' DataLayer data as folium writes it, and compact UTF-8."""
    layer = map_layers(synthetic_layers(n, parcel_histories=histories))[0]
    collection = mapview._project_collection(layer, lang=LANG, as_of=AS_OF, feature_ids=None)
    data = {"type": "FeatureCollection", "features": collection.features}
    folium_json = str(htmlsafe_json_dumps(data, sort_keys=True))
    compact = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # The same HTML safety as htmlsafe_json_dumps, without ASCII escapes.
    compact = (
        compact.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("'", "\\u0027")
    )  # fmt: skip
    rows = []
    for label, text in (
        ("DataLayer JSON, folium tojson (ASCII escapes, ', ' separators)  [current]", folium_json),
        ("DataLayer JSON, compact UTF-8 (ensure_ascii=False, ',' ':')  [alternative]", compact),
    ):
        size = len(text.encode())
        rows.append({"n": n, "histories": histories, "what": label, "bytes": size})
        print(f"N={n:>6} {size / 1e6:8.2f} MB  {label}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--histories", action="store_true", help="parcels with milestones and progress history"
    )
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    largest = max(args.sizes)
    suffix = "_histories" if args.histories else ""
    profile_path = RESULTS / f"profile_project_groups_{largest}{suffix}.txt"
    profile_path.write_text(profile_text(largest, args.histories))
    print(f"wrote {profile_path}")
    rows: list[dict[str, Any]] = []
    for n in args.sizes:
        rows += steps(n, args.repeat, args.histories)
        rows += prototype(n, args.repeat, args.histories)
        rows += json_bytes(n, args.histories)
    kept = []
    if CSV_PATH.exists():
        with CSV_PATH.open(newline="") as f:
            kept = [
                r for r in csv.DictReader(f)
                if not (int(r["n"]) in args.sizes and r["histories"] == str(args.histories))
            ]  # fmt: skip
    fields = ["n", "histories", "what", "seconds", "bytes", "note"]
    with CSV_PATH.open("w", newline="") as f:
        writer = csv.DictWriter(f, fields)
        writer.writeheader()
        writer.writerows({k: r.get(k, "") for k in fields} for r in kept + rows)
    print(f"wrote {CSV_PATH}")


if __name__ == "__main__":
    main()
