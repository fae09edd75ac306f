"""Self-check of ``layers/`` (maintainer tool; reads only ``layers/``).

Prints, for every project feature, the official area / length beside the geodesic
measure of its geometry, then checks:

- ids unique across all layers, ``[a-z0-9][a-z0-9-]*``;
- every source id used (features, milestones, progress history, indicators) is in
  ``sources.json``;
- every project feature has every field of the project schema;
- polygons with ``area_ha``: geodesic area within 0.5 %;
- lines with ``length_km``: geodesic length within 10 %;
- every project feature inside Lạng Sơn ∪ Cao Bằng (ODV polygons): points + 0.5 km, lines and
  polygons + 50 m;
- ``status`` equals the status derived from the milestones today (or no status milestones);
- the top-level ``progress_*`` fields equal the newest progress observation.

Exit status 1 when any check fails.

    .venv/bin/python tools/check_layers.py
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

import shapely
from pyproj import Geod, Transformer
from shapely.geometry import shape

LAYERS = Path(__file__).resolve().parent.parent / "layers"
GEOD = Geod(ellps="WGS84")
TO_M = Transformer.from_crs("EPSG:4326", "EPSG:32648", always_xy=True)
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
AREA_TOL, LENGTH_TOL = 0.005, 0.10
# Points at the border may fall up to 0.5 km outside (the ODV line is ±100–300 m); lines and
# polygons must stay inside, with 50 m for segments that end on the border line.
INSIDE_TOL_M, EDGE_TOL_M = 500.0, 50.0
PROJECT_FIELDS = (
    "id name_vi name_en name_zh kind status progress_pct progress_as_of progress_source "
    "progress_note "
    "progress_history milestones area_ha area_source length_km length_source open_length_km "
    "investment_vnd_bn "
    "investment_source investor investor_source geometry_accuracy accuracy_note sources note"
).split()


def to_m(geom: Any) -> Any:
    def tx(xy: Any) -> Any:
        import numpy as np

        x, y = TO_M.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geom, tx)


def used_sources(props: dict[str, Any]) -> list[str]:
    ids = list(props.get("sources") or [])
    for key in (
        "area_source",
        "length_source",
        "investment_source",
        "investor_source",
        "progress_source",
    ):
        if props.get(key):
            ids.append(props[key])
    ids += [m["source"] for m in props.get("milestones") or []]
    ids += [h["source"] for h in props.get("progress_history") or []]
    return ids


def derived_status(props: dict[str, Any], today: date) -> str | None:
    events = [m for m in props.get("milestones") or [] if m.get("status") and m["kind"] != "target"]
    if not events:
        return props.get("status")
    current = None
    for m in sorted(events, key=lambda m: m["date"]):
        if date.fromisoformat(m["date"]) <= today:
            current = m["status"]
    return current


def main() -> int:
    errors: list[str] = []
    registry = json.loads((LAYERS / "registry.json").read_text(encoding="utf-8"))["layers"]
    sources = json.loads((LAYERS / "sources.json").read_text(encoding="utf-8"))
    indicators = json.loads((LAYERS / "indicators.json").read_text(encoding="utf-8"))["indicators"]
    layers = {
        e["id"]: json.loads((LAYERS / e["file"]).read_text(encoding="utf-8")) for e in registry
    }

    provinces = {
        f["properties"]["id"]: shape(f["geometry"]) for f in layers["provinces"]["features"]
    }
    home = to_m(provinces["province-lang-son"].union(provinces["province-cao-bang"]))

    seen: dict[str, str] = {}
    rows = []
    today = date.today()
    for entry in registry:
        fc = layers[entry["id"]]
        if "crs" not in fc:
            errors.append(f"{entry['file']}: no crs member")
        for f in fc["features"]:
            p = f["properties"]
            fid = p["id"]
            where = f"{entry['file']}:{fid}"
            if fid in seen:
                errors.append(f"{where}: id also in {seen[fid]}")
            seen[fid] = entry["file"]
            if not ID_RE.match(fid):
                errors.append(f"{where}: bad id")
            for sid in used_sources(p):
                if sid not in sources:
                    errors.append(f"{where}: unknown source id {sid!r}")
            geom = shape(f["geometry"])
            if not geom.is_valid or geom.is_empty:
                errors.append(f"{where}: invalid or empty geometry")
            if entry["schema"] != "project":
                continue
            missing = [k for k in PROJECT_FIELDS if k not in p]
            if missing:
                errors.append(f"{where}: missing fields {missing}")
            tol = INSIDE_TOL_M if geom.geom_type == "Point" else EDGE_TOL_M
            if not to_m(geom).within(home.buffer(tol)):
                errors.append(f"{where}: outside Lạng Sơn ∪ Cao Bằng + {tol:.0f} m")
            status = derived_status(p, today)
            if status != p["status"]:
                errors.append(f"{where}: status {p['status']!r} but milestones give {status!r}")
            hist = [h for h in p["progress_history"] if h["progress_pct"] is not None]
            if hist:
                last = hist[-1]
                got = (p["progress_pct"], p["progress_as_of"], p["progress_source"])
                if got != (last["progress_pct"], last["date"], last["source"]):
                    errors.append(f"{where}: progress_* {got} differ from the newest observation")
            elif p["progress_pct"] is not None or not p["progress_note"]:
                errors.append(f"{where}: progress_pct without history, or no progress_note")
            dates = [m["date"] for m in p["milestones"]]
            if dates != sorted(dates):
                errors.append(f"{where}: milestones not oldest first")
            if p["area_ha"] is not None and geom.geom_type in ("Polygon", "MultiPolygon"):
                measured = abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e4
                ratio = measured / p["area_ha"]
                rows.append((fid, "area_ha", p["area_ha"], measured, ratio))
                if abs(ratio - 1) > AREA_TOL:
                    errors.append(f"{where}: area {measured:.2f} ha vs official {p['area_ha']} ha")
            if p["length_km"] is not None and geom.geom_type in ("LineString", "MultiLineString"):
                measured = GEOD.geometry_length(geom) / 1000
                ratio = measured / p["length_km"]
                rows.append((fid, "length_km", p["length_km"], measured, ratio))
                if abs(ratio - 1) > LENGTH_TOL:
                    errors.append(
                        f"{where}: length {measured:.2f} km vs official {p['length_km']} km"
                    )
            if geom.geom_type == "MultiLineString":
                for i, part in enumerate(geom.geoms):
                    rows.append(
                        (
                            f"{fid} [part {i}]",
                            "length_km",
                            None,
                            GEOD.geometry_length(part) / 1000,
                            None,
                        )
                    )
            if geom.geom_type in ("LineString",) and p["length_km"] is None:
                rows.append((fid, "length_km", None, GEOD.geometry_length(geom) / 1000, None))

    for ind in indicators:
        if ind["source"] not in sources:
            errors.append(f"indicators.json:{ind['id']}: unknown source id {ind['source']!r}")

    print(f"{'feature':<44} {'field':<10} {'official':>10} {'measured':>10} {'ratio':>7}")
    for fid, field, official, measured, ratio in rows:
        off = "—" if official is None else f"{official:g}"
        rat = "—" if ratio is None else f"{ratio:.4f}"
        print(f"{fid:<44} {field:<10} {off:>10} {measured:>10.3f} {rat:>7}")
    print(
        f"\n{len(seen)} features in {len(registry)} layers, {len(sources)} sources, "
        f"{len(indicators)} indicators"
    )
    if errors:
        print(f"\n{len(errors)} problem(s):")
        for e in errors:
            print("  -", e)
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
