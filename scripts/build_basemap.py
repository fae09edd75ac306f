"""Build ``layers/basemap/offline.geojson``, the offline basemap's vector data (maintainer tool).

``make`` never runs it: the built file is committed, and nothing reads the inputs at run or
test time. Run it from the repository root after a change to an input::

    .venv/bin/python scripts/build_basemap.py WORLD_ATLAS_DIR REFERENCE_DIR

``WORLD_ATLAS_DIR`` is the unpacked ``package/`` folder of the npm tarball
``world-atlas@2.0.2`` (``npm pack world-atlas@2.0.2``; integrity pinned below, checked here
on ``countries-10m.json``); ``REFERENCE_DIR`` holds
``vn_adm0_odv2016_dissolved_simplified.geojson``.

What it makes, clipped to the map's reachable extent (``geo.style.MAP_MAX_BOUNDS``):

* ``vietnam``: Vietnam's land, the dissolved ODV 2016 province outlines;
* ``china``: Natural Earth 1:10m China, widened by
  :data:`GAP_FILL_DEG` over Natural Earth land (Natural Earth's border is up to ~5 km off the
  ODV line, which would leave gaps) and cut by Vietnam's land, so the ODV line is the edge;
* no sea polygon: the sea is the map's background (``geo.style.BASEMAP_COLOURS["sea"]``),
  everywhere neither land is (Natural Earth has no rivers or lakes in ``world-atlas``: no
  inland water is drawn);
* ``province_line``, ``border``, ``road``, ``railway``, ``town`` from the layer files in
  ``layers/`` (simplified for the zoom range), and ``label`` points: one per province, town,
  road number, railway line and country, with their texts in vi, en and zh.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from shapely import geometry as sg
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import linemerge, unary_union

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo import style  # noqa: E402
from geo.i18n import LANGUAGES, feature_name  # noqa: E402

OUT = ROOT / "layers" / "basemap" / "offline.geojson"
#: sha512 of world-atlas@2.0.2's countries-10m.json (from the tarball with registry integrity
#: sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ==).
COUNTRIES_SHA512 = (
    "qict7zvJeaKzhDpDcrGV20wbGwEgnAVabBJgaykZCEegmXZMC/JvpQN1LFliojhZPbH6iMOM98UZloiD76lbfA=="
)
#: How far Natural Earth's China is widened over land to meet the ODV line (degrees).
GAP_FILL_DEG = 0.06
#: Douglas–Peucker tolerances in degrees (1e-4° ≈ 11 m): what zoom 7–14 needs.
SIMPLIFY = {"land": 0.0004, "province_line": 0.0004, "border": 0.0001, "line": 0.0002}
#: Road and railway labels: one per merged piece at least this long (degrees, ~8 km).
MIN_LABEL_PIECE_DEG = 0.07
#: Province lines are drawn only this far (degrees) inside Vietnam's land (not on coast or border).
INLAND_DEG = 0.003
#: Islands and lakes smaller than this (deg², ≈0.6 km²) are left out of the land polygons.
MIN_PART_DEG2 = 0.00005
#: Coordinates are rounded to this many decimals: areas 4 (≈11 m, below their tolerance),
#: lines 5 (≈1 m).
DECIMALS = {"area": 4, "line": 5}
COUNTRY_LABELS = {
    "vietnam": {"vi": "VIỆT NAM", "en": "VIETNAM", "zh": "越南"},
    "china": {"vi": "TRUNG QUỐC", "en": "CHINA", "zh": "中国"},
}
#: Country labels sit in each country's land, in a box of this half-size (degrees) centred
#: this far (lat, lon) from the home view: away from the zone's projects.
COUNTRY_LABEL_BOX = 0.05
COUNTRY_LABEL_OFFSET = {"vietnam": (-0.08, -0.12), "china": (0.1, 0.12)}
#: The registry layers the basemap is drawn from: their registry ``credits`` are its credits,
#: with Natural Earth's.
FROM_LAYERS = ("provinces", "border", "towns", "national_roads", "railways")
OWN_CREDITS = ("odv-2016", "natural-earth-10m")


def credits() -> list[str]:
    """Return the ``sources.json`` ids to credit: the ODV outline, Natural Earth, the layers'."""
    registry = json.loads((ROOT / "layers" / "registry.json").read_text(encoding="utf-8"))
    ids = list(OWN_CREDITS)
    for entry in registry["layers"]:
        if entry["id"] in FROM_LAYERS:
            ids.extend(entry["credits"])
    return list(dict.fromkeys(ids))


def topo_objects(path: Path, clip: BaseGeometry) -> dict[tuple[str, str], BaseGeometry]:
    """Decode a quantised TopoJSON file into shapely shapes by (object, name), cut to ``clip``."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    sx, sy = doc["transform"]["scale"]
    tx, ty = doc["transform"]["translate"]
    arcs = []
    for arc in doc["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indices: list[int]) -> list[tuple[float, float]]:
        points = []
        for i in indices:
            part = arcs[i] if i >= 0 else arcs[~i][::-1]
            points.extend(part if not points else part[1:])
        return points

    def polygon(rings: list[list[int]]) -> BaseGeometry:
        # Quantisation collapses some tiny islands to fewer than 4 points: drop them.
        points = [ring(r) for r in rings]
        if len(points[0]) < 4:
            return sg.Polygon()
        return sg.Polygon(points[0], [r for r in points[1:] if len(r) >= 4]).buffer(0)

    out = {}
    for name, obj in doc["objects"].items():
        for geom in obj.get("geometries", [obj]):
            key = (geom.get("properties") or {}).get("name") or geom.get("id") or name
            if name == "countries" and key != "China":
                continue
            if geom["type"] == "Polygon":
                shp = polygon(geom["arcs"])
            elif geom["type"] == "MultiPolygon":
                shp = unary_union([polygon(p) for p in geom["arcs"]])
            else:
                continue
            key = (geom.get("properties") or {}).get("name") or geom.get("id") or name
            out[(name, key)] = shp.intersection(clip)
    return out


def read_features(path: Path) -> list[dict]:
    """Return the features of a GeoJSON file."""
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def rounded(geom: BaseGeometry, decimals: int) -> dict:
    """Round coordinates to ``decimals`` and return GeoJSON."""
    return json.loads(json.dumps(mapping(geom)), parse_float=lambda s: round(float(s), decimals))


def feature(kind: str, geom: BaseGeometry, **props: Any) -> dict:
    """Return a GeoJSON feature of ``kind`` with ``props``, its coordinates rounded."""
    decimals = DECIMALS["area" if kind in AREA_KINDS else "line"]
    return {
        "type": "Feature",
        "properties": {"kind": kind, **props},
        "geometry": rounded(geom, decimals),
    }


AREA_KINDS = ("vietnam", "china", "province_line")


def without_small_parts(geom: BaseGeometry) -> BaseGeometry:
    """Drop polygon parts and holes smaller than MIN_PART_DEG2."""
    parts = []
    for part in getattr(geom, "geoms", [geom]):
        if part.geom_type != "Polygon" or part.area < MIN_PART_DEG2:
            continue
        holes = [h for h in part.interiors if sg.Polygon(h).area >= MIN_PART_DEG2]
        parts.append(sg.Polygon(part.exterior, holes))
    return unary_union(parts)


def names(props: dict) -> dict:
    """Return the feature's name in each language, as the app shows it (zh falls back to en)."""
    return {f"text_{lang}": feature_name(props, lang) for lang in LANGUAGES}


def same_text(text: str) -> dict:
    """Return ``text`` as the label text of every language (a road number)."""
    return {f"text_{lang}": text for lang in LANGUAGES}


def line_labels(geoms: Iterable[BaseGeometry], min_length: float) -> Iterator[sg.Point]:
    """Yield the middle of the longest merged piece of ``geoms`` and of any ``min_length`` long."""
    merged = unary_union(list(geoms))
    if merged.geom_type == "MultiLineString":
        merged = linemerge(merged)
    pieces = list(getattr(merged, "geoms", [merged]))
    pieces.sort(key=lambda g: -g.length)
    for i, piece in enumerate(pieces):
        if piece.length >= min_length or i == 0:
            yield piece.interpolate(0.5, normalized=True)


def main(world_atlas: Path, reference: Path) -> None:
    """Build :data:`OUT` from the world-atlas package and the reference folder."""
    (south, west), (north, east) = style.MAP_MAX_BOUNDS
    box = sg.box(west, south, east, north)
    countries_file = world_atlas / "countries-10m.json"
    digest = base64.b64encode(hashlib.sha512(countries_file.read_bytes()).digest()).decode()
    if digest != COUNTRIES_SHA512:
        sys.exit(f"{countries_file}: sha512-{digest}, expected sha512-{COUNTRIES_SHA512}")
    topo = topo_objects(countries_file, box.buffer(1.0))
    land_ne = unary_union([g for (obj, _), g in topo.items() if obj == "land"]).intersection(box)
    odv = unary_union([shape(f["geometry"]) for f in read_features(
        reference / "vn_adm0_odv2016_dissolved_simplified.geojson")]).buffer(0)  # fmt: skip
    vietnam = without_small_parts(odv.intersection(box))
    neighbours = {}
    for key, name in (("china", "China"),):
        widened = topo[("countries", name)].buffer(GAP_FILL_DEG).intersection(land_ne)
        part = widened.difference(vietnam).intersection(box)
        if not part.is_empty:
            neighbours[key] = part
    tol = SIMPLIFY["land"]
    features = [feature(k, g.simplify(tol)) for k, g in neighbours.items()]
    features.append(feature("vietnam", vietnam.simplify(tol)))

    layers = ROOT / "layers"
    provinces = read_features(layers / "provinces.geojson")
    # Only the lines between provinces: the coast is the land's edge, the border its own line.
    inland = vietnam.buffer(-INLAND_DEG)
    for f in provinces:
        geom = without_small_parts(shape(f["geometry"]))
        outline = geom.boundary.intersection(inland).simplify(SIMPLIFY["province_line"])
        features.append(feature("province_line", outline, id=f["properties"]["id"]))
    for f in read_features(layers / "border.geojson"):
        geom = shape(f["geometry"]).simplify(SIMPLIFY["border"])
        features.append(feature("border", geom, id=f["properties"]["id"]))
    by_ref = defaultdict(list)
    for f in read_features(layers / "national_roads.geojson"):
        ref = f["properties"].get("ref")
        if not ref:
            continue  # the unnamed spur to the Tân Thanh gate: drawn by the context layer only
        road_class = "national" if ref.startswith("QL") else "provincial"
        geom = shape(f["geometry"]).simplify(SIMPLIFY["line"])
        by_ref[ref].append(geom)
        features.append(feature("road", geom, ref=ref, road_class=road_class))
    by_line = defaultdict(list)
    line_names = {}
    for f in read_features(layers / "railways.geojson"):
        geom = shape(f["geometry"]).simplify(SIMPLIFY["line"])
        features.append(feature("railway", geom))
        if f["properties"].get("name_en"):
            by_line[f["properties"]["name_en"]].append(geom)
            line_names[f["properties"]["name_en"]] = names(f["properties"])
    towns = read_features(layers / "towns.geojson")
    for f in towns:
        features.append(feature("town", shape(f["geometry"]), id=f["properties"]["id"]))

    labels = []
    for f in provinces:
        point = shape(f["geometry"]).intersection(box).representative_point()
        labels.append(feature("label", point, role="province", **names(f["properties"])))
    for f in towns:
        labels.append(feature("label", shape(f["geometry"]), role="town", **names(f["properties"])))
    for ref, geoms in sorted(by_ref.items()):
        role = "road" if ref.startswith("QL") else "provincial_road"
        for point in line_labels(geoms, MIN_LABEL_PIECE_DEG):
            labels.append(feature("label", point, role=role, **same_text(ref)))
    for name, geoms in sorted(by_line.items()):
        for point in line_labels(geoms, MIN_LABEL_PIECE_DEG * 3):
            labels.append(feature("label", point, role="railway", **line_names[name]))
    for key, land in (("vietnam", vietnam), ("china", neighbours["china"])):
        lat = style.MAP_CENTRE[0] + COUNTRY_LABEL_OFFSET[key][0]
        lon = style.MAP_CENTRE[1] + COUNTRY_LABEL_OFFSET[key][1]
        near = sg.box(lon - COUNTRY_LABEL_BOX, lat - COUNTRY_LABEL_BOX,
                      lon + COUNTRY_LABEL_BOX, lat + COUNTRY_LABEL_BOX)  # fmt: skip
        point = land.intersection(near).representative_point()
        texts = {f"text_{lang}": text for lang, text in COUNTRY_LABELS[key].items()}
        labels.append(feature("label", point, role="country", **texts))
    doc = {
        "type": "FeatureCollection",
        "name": "offline_basemap",
        "note": (
            "Built by scripts/build_basemap.py from layers/*.geojson, the ODV 2016 national "
            "outline and Natural Earth 1:10m (world-atlas@2.0.2); do not edit by hand. "
            "Schematic: simplified for zoom 7-14; the sea is the map's background (where "
            "neither land is); no inland water."
        ),
        "credits": credits(),
        "features": features + labels,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    # One feature per line: reviewable diffs.
    text = text.replace(',{"type":"Feature"', ',\n{"type":"Feature"')
    OUT.write_text(text + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(features)} shapes, {len(labels)} labels, "
          f"{OUT.stat().st_size} bytes")  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]))
