"""Build every file of ``layers/`` from the read-only reference folder.

Maintainer tool: run it by hand with the project venv, review the diff, commit the
output. It reads ``/work/shared/reference/`` (override with ``--reference``) and is
never run by make, the app or the tests. See ``tools/README.md``.

    .venv/bin/python tools/build_layers.py            # writes layers/
    .venv/bin/python tools/check_layers.py            # prints the self-check

Every number written here comes from ``facts.md`` / ``facts.csv`` of the reference
folder and carries a source id of ``layers/sources.json``. Geometry that is not
digitised from a data set is *schematic* (placed from a documented description) or
*illustrative* (location not published); the waypoints used are constants below,
each with the reason it was chosen.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import shapely
import shapely.affinity

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script
from pyproj import Geod, Transformer
from shapely.geometry import (
    LineString,
    MultiLineString,
    MultiPolygon,
    Point,
    Polygon,
    box,
    mapping,
    shape,
)
from shapely.ops import linemerge, polygonize, unary_union

from geo import schema

GEOD = Geod(ellps="WGS84")
CRS84 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
# VN-2000 / TM-3 107-15 would need a datum shift; for metric construction work a
# WGS84 UTM zone is enough (all shapes are then measured geodesically anyway).
TO_M = Transformer.from_crs("EPSG:4326", "EPSG:32648", always_xy=True)
TO_LL = Transformer.from_crs("EPSG:32648", "EPSG:4326", always_xy=True)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_REFERENCE = Path("/work/shared/reference")

Json = dict[str, Any]


# --------------------------------------------------------------------------- helpers


def to_m(geom: Any) -> Any:
    """Project a lon/lat shapely geometry to metres (UTM 48N)."""
    return shapely.transform(geom, lambda xy: _tx(TO_M, xy))


def to_ll(geom: Any) -> Any:
    """Project a UTM 48N shapely geometry back to lon/lat."""
    return shapely.transform(geom, lambda xy: _tx(TO_LL, xy))


def _tx(transformer: Transformer, xy: Any) -> Any:
    import numpy as np

    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def area_ha(geom: Any) -> float:
    """Geodesic area in hectares (WGS84 ellipsoid)."""
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e4


def length_km(geom: Any) -> float:
    """Geodesic length in kilometres (WGS84 ellipsoid)."""
    return GEOD.geometry_length(geom) / 1000


def scale_to_area(geom: Any, target_ha: float) -> Any:
    """Scale a lon/lat polygon about its (metric) centroid to a geodesic area."""
    for _ in range(6):
        factor = math.sqrt(target_ha / area_ha(geom))
        metric = to_m(geom)
        metric = shapely.affinity.scale(metric, factor, factor, origin=metric.centroid)
        geom = to_ll(metric)
    return geom


def circle(lon: float, lat: float, hectares: float, n: int = 48) -> Polygon:
    """A regular polygon of ``hectares`` (geodesic) centred on a lon/lat point."""
    x, y = TO_M.transform(lon, lat)
    r = math.sqrt(hectares * 1e4 / math.pi)
    ring = [
        (x + r * math.cos(2 * math.pi * i / n), y + r * math.sin(2 * math.pi * i / n))
        for i in range(n)
    ]
    return scale_to_area(to_ll(Polygon(ring)), hectares)


def round_coords(obj: Any) -> Any:
    """Round every coordinate of a GeoJSON geometry mapping to 6 decimals."""
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(v), 6) for v in obj]
        return [round_coords(v) for v in obj]
    return obj


def geometry_json(geom: Any) -> Json:
    g = mapping(geom)
    return {"type": g["type"], "coordinates": round_coords(g["coordinates"])}


def write_geojson(path: Path, features: Sequence[Json]) -> None:
    """Write a FeatureCollection with a legacy CRS84 ``crs`` member, one feature per line."""
    head = json.dumps({"type": "FeatureCollection", "crs": CRS84}, ensure_ascii=False)[:-1]
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    text = head + ', "features": [\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def feature(props: Json, geom: Any) -> Json:
    return {
        "type": "Feature",
        "id": props["id"],
        "properties": props,
        "geometry": geometry_json(geom),
    }


def along(line_m: LineString, km: float) -> Point:
    """Point at ``km`` along a metric line."""
    return line_m.interpolate(km * 1000)


def inward_segment(
    border_m: LineString, chain_km: float, inside: Any, length_m: float
) -> LineString:
    """A straight segment from ``length_m`` inside Vietnam to the border point at ``chain_km``.

    The direction is the local normal of the border line that points into ``inside``
    (a metric polygon), so the segment ends on (touches) the border.
    """
    p0 = along(border_m, chain_km - 0.05)
    p1 = along(border_m, chain_km + 0.05)
    at = along(border_m, chain_km)
    dx, dy = p1.x - p0.x, p1.y - p0.y
    norm = math.hypot(dx, dy)
    nx, ny = -dy / norm, dx / norm
    probe = Point(at.x + nx * 200, at.y + ny * 200)
    if not inside.contains(probe):
        nx, ny = -nx, -ny
    return LineString([(at.x + nx * length_m, at.y + ny * length_m), (at.x, at.y)])


def milestone(
    date: str,
    precision: str,
    kind: str,
    vi: str,
    en: str,
    zh: str | None,
    status: str | None,
    source: str,
) -> Json:
    assert kind != "target" or status is None, "a target never carries a status"
    return {
        "date": date,
        "date_precision": precision,
        "kind": kind,
        "label_vi": vi,
        "label_en": en,
        "label_zh": zh,
        "status": status,
        "source": source,
    }


PROJECT_FIELDS = (
    "id",
    "name_vi",
    "name_en",
    "name_zh",
    "kind",
    "status",
    "progress_pct",
    "progress_as_of",
    "progress_source",
    "progress_note",
    "progress_history",
    "milestones",
    "area_ha",
    "area_source",
    "length_km",
    "length_source",
    "open_length_km",
    "investment_vnd_bn",
    "investment_source",
    "investor",
    "investor_source",
    "geometry_accuracy",
    "accuracy_note",
    "sources",
    "note",
)


# The output order above is ours; the set of fields is the schema's, checked here.
assert set(PROJECT_FIELDS) == set(schema.COMMON_FIELDS) | set(schema.PROJECT_FIELDS), (
    "PROJECT_FIELDS drifted from geo/schema.py"
)


def project(**fields: Any) -> Json:
    """Project-schema properties: every field present (null where unknown), fixed order."""
    unknown = set(fields) - set(PROJECT_FIELDS)
    assert not unknown, f"unexpected fields {unknown}"
    props = {k: fields.get(k) for k in PROJECT_FIELDS}
    props["progress_history"] = props["progress_history"] or []
    props["milestones"] = sorted(props["milestones"] or [], key=lambda m: m["date"])
    hist = [h for h in props["progress_history"] if h["progress_pct"] is not None]
    if hist:
        last = hist[-1]
        props["progress_pct"] = last["progress_pct"]
        props["progress_as_of"] = last["date"]
        props["progress_source"] = last["source"]
    return props


# --------------------------------------------------------------------------- sources

SOURCES: dict[str, Json] = {
    # Project facts ------------------------------------------------------------------
    "vov5-2025": {
        "title": "Interview with the chairman of Lạng Sơn Provincial People's Committee on "
        "border-gate "
        "economy (2024 turnover, smart border gate pilot under Decision 865/QĐ-TTg, 2030 targets)",
        "publisher": "VOV5 (Voice of Vietnam)",
        "date": None,
        "url": None,
    },
    "ddnd-2024": {
        "title": "Interview on Lạng Sơn's 2024 results (turnover forecast > 66 bn USD, budget "
        "revenue, "
        "new enterprises, expressways started in 2024), December 2024",
        "publisher": "Diễn đàn Doanh nghiệp (enterprise forum magazine)",
        "date": None,
        "url": None,
    },
    "lsprov-2024-10": {
        "title": "Lạng Sơn provincial report on border-gate economy, October 2024 (turnover to 29 "
        "Sep and "
        "for 10 months 2024, traffic, active crossings, Hữu Nghị clearance lanes opened 27 May "
        "2024)",
        "publisher": "Lạng Sơn Provincial People's Committee",
        "date": None,
        "url": None,
    },
    "bct-quynh-nga": {
        "title": "Lạng Sơn: Tạo động lực phát triển mới cho kinh tế cửa khẩu (Quỳnh Nga)",
        "publisher": "Báo Công Thương",
        "date": None,
        "url": None,
    },
    "qd-865-2024": {
        "title": "Decision 865/QĐ-TTg of 17 Aug 2024 on the smart border gate pilot at the Hữu "
        "Nghị (VN) – "
        "Youyiguan (CN) pair (text not consulted; number, date and content as reported by VOV5 and "
        "vietnam.vn)",
        "publisher": "Thủ tướng Chính phủ (Prime Minister of Vietnam)",
        "date": "2024-08-17",
        "url": None,
    },
    "vietnam-vn-kinh-te-cua-khau": {
        "title": "Kinh tế cửa khẩu – động lực thúc đẩy tăng trưởng (smart border gate pilot: cargo "
        "roads "
        "at markers 1119–1120 and 1088/2–1089)",
        "publisher": "vietnam.vn",
        "date": None,
        "url": None,
    },
    "xe-today-2025-11-29": {
        "title": "Inauguration of phase 1 (4 to 6 lanes) of the dedicated cargo road at markers "
        "1119–1120",
        "publisher": "xe.today",
        "date": "2025-11-29",
        "url": None,
    },
    "banqlktck-540": {
        "title": "Quy hoạch chung xây dựng Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn đến năm 2030 "
        "(QĐ 1055/QĐ-TTg, 8 Jul 2010): land budget, non-tariff zone 810 ha (2020) / "
        "1,350 ha (2030)",
        "publisher": "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn",
        "date": None,
        "url": "https://banqlktck.langson.gov.vn/bm/print/540",
    },
    "soxd-630": {
        "title": "Summary of the general plan of the Đồng Đăng – Lạng Sơn border-gate economic "
        "zone to 2030",
        "publisher": "Sở Xây dựng Lạng Sơn",
        "date": None,
        "url": "https://soxd.langson.gov.vn/node/630",
    },
    "vanphong-71876": {
        "title": "CV 2509/VP-KT of 8 Jun 2022: local adjustment of the 2030 plan and a new general "
        "plan "
        "for the Chi Ma main-gate area (535 ha)",
        "publisher": "Văn phòng UBND tỉnh Lạng Sơn",
        "date": "2022-06-08",
        "url": "https://vanphong.langson.gov.vn/vi/node/71876",
    },
    "lawnet-qd-1009-2024": {
        "title": "QĐ 1009/QĐ-TTg of 19 Sep 2024 approving the task of revising the general plan of "
        "the "
        "Đồng Đăng – Lạng Sơn border-gate economic zone to 2045",
        "publisher": "lawnet.vn",
        "date": "2024-09-19",
        "url": None,
    },
    "en-baoquocte": {
        "title": "Article on the Đồng Đăng – Lạng Sơn border-gate economic zone (gates in the "
        "zone; functional "
        "zones incl. Export Processing Zone 1 and Non-tariff zone phase I)",
        "publisher": "en.baoquocte.vn (The World & Vietnam Report)",
        "date": None,
        "url": None,
    },
    "vi-wikipedia-kktck": {
        "title": "Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn (QĐ 138/2008/QĐ-TTg; area 394 km²)",
        "publisher": "vi.wikipedia.org",
        "date": None,
        "url": None,
    },
    "vns-2024-12-11": {
        "title": "Viettel Logistics Park Lạng Sơn (cargo transit zone) opens",
        "publisher": "vietnamnews.vn (Viet Nam News)",
        "date": "2024-12-11",
        "url": None,
    },
    "vietnamplus-viettel-park": {
        "title": "Viettel Logistics Park Lạng Sơn opened; Viettel leased the cargo transit zone "
        "infrastructure",
        "publisher": "en.vietnamplus.vn",
        "date": None,
        "url": None,
    },
    "nguoiquansat-viettel-park": {
        "title": "Viettel Logistics Park Lạng Sơn: 143.7 ha, ≈ VND 3,300 bn, 1,500 trucks/day",
        "publisher": "nguoiquansat.vn",
        "date": None,
        "url": None,
    },
    "unrecorded-cargo-zone-bounds": {
        "title": "Web page giving the 143.7 ha cargo transit zone and its bounds (N QL1B, E QL1A, "
        "W Hà Nội–Đồng "
        "Đăng railway and Thụy Hùng stream, S bản Nà Pài); its address was not recorded by the "
        "researcher",
        "publisher": "unknown (address not recorded)",
        "date": None,
        "url": None,
    },
    "reatimes-viettel-park-phase-2": {
        "title": "Viettel Logistics Park Lạng Sơn: phase 2 announced",
        "publisher": "reatimes.vn",
        "date": None,
        "url": None,
    },
    "cafef-2026-01-14": {
        "title": "Bonded warehouse (5,880 m² shed + 8,700 m² yard) at Viettel Logistics Park Lạng "
        "Sơn in "
        "operation from January 2026",
        "publisher": "cafef.vn",
        "date": "2026-01-14",
        "url": None,
    },
    "vietnamplus-2023-12-07": {
        "title": "Hữu Nghị – Chi Lăng expressway: 59.87 km (43.43 km main line + 16.44 km Tân "
        "Thanh – Cốc Nam branch)",
        "publisher": "en.vietnamplus.vn",
        "date": "2023-12-07",
        "url": None,
    },
    "sggp-2024-04-15": {
        "title": "Hữu Nghị – Chi Lăng expressway BOT contract signed (14 Apr 2024): Deo Ca JSC, CC "
        "568 JSC, "
        "Lizen JSC; toll period 25 years 8 months",
        "publisher": "en.sggp.org.vn",
        "date": "2024-04-15",
        "url": None,
    },
    "sggp-2024-04-21": {
        "title": "Groundbreaking of the Hữu Nghị – Chi Lăng expressway (21 Apr 2024); completion "
        "planned for 2026",
        "publisher": "en.sggp.org.vn",
        "date": "2024-04-21",
        "url": None,
    },
    "sggp-2026-02-20": {
        "title": "Hữu Nghị – Chi Lăng expressway: 50 of 59 km open to traffic; VND 11,808 bn; "
        "interchange IC-07",
        "publisher": "en.sggp.org.vn",
        "date": "2026-02-20",
        "url": None,
    },
    "thoibaotaichinh-2024-11-16": {
        "title": "Hữu Nghị – Chi Lăng expressway: 6 lanes, 32.25 m roadbed; route through Chi "
        "Lăng, Cao Lộc, "
        "Văn Lãng and Lạng Sơn city",
        "publisher": "thoibaotaichinhvietnam.vn",
        "date": "2024-11-16",
        "url": None,
    },
    "tuoitre-2025-05-05": {
        "title": "Hữu Nghị – Chi Lăng expressway joins the Bắc Giang – Lạng Sơn expressway in Chi "
        "Lăng",
        "publisher": "news.tuoitre.vn",
        "date": "2025-05-05",
        "url": None,
    },
    "vietnamplus-2024-01": {
        "title": "Groundbreaking of the Đồng Đăng – Trà Lĩnh expressway phase 1 (1 Jan 2024): "
        "93.35 km, "
        "VND 14,331.6 bn, 36-month term; investment plan approved 10 Aug 2020; January 2024",
        "publisher": "en.vietnamplus.vn",
        "date": None,
        "url": None,
    },
    "laodong-2026-02": {
        "title": "Đồng Đăng – Trà Lĩnh expressway: 121 km, VND 25,550 bn; phase 2 (27.71 km to Trà "
        "Lĩnh gate, "
        "VND 12,072 bn) started 19 Aug 2025; 85 of 93 km open, inauguration targeted 30 Apr 2026; "
        "February 2026",
        "publisher": "news.laodong.vn",
        "date": None,
        "url": None,
    },
    "vna-2023-12-29": {
        "title": "Trà Lĩnh border gate (Cao Bằng) upgraded to international (ceremony 28 Dec 2023)",
        "publisher": "VNA (Vietnam News Agency)",
        "date": "2023-12-29",
        "url": None,
    },
    "vietnamnet-2025-12-05": {
        "title": "QL4B upgrade Km18–Km80 (62.56 km, ≈ VND 2,300 bn, packages 7 and 8) in its final "
        "stage",
        "publisher": "vietnamnet.vn",
        "date": "2025-12-05",
        "url": None,
    },
    "laodong-ql4b-km3-km18": {
        "title": "QL4B Km3+700–Km18 project (≈ VND 1,000 bn, toward Mẫu Sơn) in land clearance "
        "(tag page)",
        "publisher": "news.laodong.vn",
        "date": None,
        "url": None,
    },
    # Points ---------------------------------------------------------------------------
    "seed-huu-nghi": {
        "title": "Public GitHub seed data file: 'Cửa khẩu Hữu Nghị', 'QL1A, Đồng Đăng', 21.9706221 "
        "N, "
        "106.7111227 E (repository not named in the reference); cross-checked by the project "
        "against the ODV "
        "border and en.wikipedia Friendship Pass",
        "publisher": "GitHub (public repository)",
        "date": None,
        "url": None,
    },
    "vi-wikipedia-huu-nghi": {
        "title": "Cửa khẩu Hữu Nghị (markers 1116 VN / 1117 CN at the gate)",
        "publisher": "vi.wikipedia.org",
        "date": None,
        "url": None,
    },
    "en-wikipedia-friendship-pass": {
        "title": "Friendship Pass (21°58′35″N 106°42′44″E)",
        "publisher": "en.wikipedia.org",
        "date": None,
        "url": None,
    },
    "vi-wikipedia-tan-thanh": {
        "title": "Cửa khẩu Tân Thanh (22°0′11″N 106°41′2″E, citing 1:50,000 sheets F-48-46C and "
        "58A)",
        "publisher": "vi.wikipedia.org",
        "date": None,
        "url": None,
    },
    "vi-wikipedia-ga-dong-dang": {
        "title": "Ga Đồng Đăng (21°56′38″N 106°41′50″E)",
        "publisher": "vi.wikipedia.org",
        "date": None,
        "url": None,
    },
    "vi-wikipedia-border-gates": {
        "title": "List of Vietnam's land border gates (Cốc Nam national-level road gate; Bình Nghi "
        "listed as "
        "provincial-level), HTML copy in a public repository",
        "publisher": "vi.wikipedia.org",
        "date": None,
        "url": None,
    },
    "vantaithanhtin-2024-05-28": {
        "title": "Chi Ma border gate: thôn Chi Ma, xã Yên Khoái, Lộc Bình; marker 1223; gate area "
        "152 ha",
        "publisher": "vantaithanhtin.com.vn",
        "date": "2024-05-28",
        "url": None,
    },
    "vietnamplus-chi-ma": {
        "title": "President's visit to the Chi Ma border gate (Lạng Sơn)",
        "publisher": "en.vietnamplus.vn",
        "date": None,
        "url": None,
    },
    "merger-table-2025": {
        "title": "Public 2025 commune-merger table for Lạng Sơn (effective 1 Jul 2025; not checked "
        "against the "
        "UBTVQH resolution itself)",
        "publisher": "GitHub (public data file)",
        "date": None,
        "url": None,
    },
    "en-wikipedia-dong-dang": {
        "title": "Đồng Đăng (21°56′45″N 106°41′48″E)",
        "publisher": "en.wikipedia.org",
        "date": None,
        "url": None,
    },
    "en-wikipedia-lang-son": {
        "title": "Lạng Sơn (21°50′52″N 106°45′28″E)",
        "publisher": "en.wikipedia.org",
        "date": None,
        "url": "https://en.wikipedia.org/wiki/Lang_Son",
    },
    "en-wikipedia-chi-lang-district": {
        "title": "Chi Lăng District (footer coordinate 21.667 N 106.667 E, district level, "
        "Statoids precision)",
        "publisher": "en.wikipedia.org",
        "date": None,
        "url": None,
    },
    "vi-wikipedia-loc-binh": {
        "title": "Lộc Bình (infobox 21°45′32″N 106°55′28″E)",
        "publisher": "vi.wikipedia.org",
        "date": None,
        "url": None,
    },
    "geonames-dinh-lap": {
        "title": "GeoNames 'Huyện Đình Lập' point (via the countries-states-cities database copy "
        "in "
        "VannaDii/pub-dev, vietnam_cities.dart)",
        "publisher": "GeoNames",
        "date": None,
        "url": None,
    },
    "vi-wikipedia-tien-yen": {
        "title": "Tiên Yên (district infobox 21°20′N 107°24′E)",
        "publisher": "vi.wikipedia.org",
        "date": None,
        "url": "https://vi.m.wikipedia.org/wiki/Tiên_Yên",
    },
    # Data sets ------------------------------------------------------------------------
    "odv-2016": {
        "title": "Địa phận tỉnh (province boundaries, ~2016), producer Cục Đo đạc và Bản đồ (Dept. "
        "of Survey "
        "and Mapping); copy used: TaliaCao/Vietnam-Shape-Map Maps/KML/diaphantinhvn.kml @35f693a2 "
        "(KML to "
        "GeoJSON); CC BY-SA 4.0",
        "publisher": "Open Development Vietnam",
        "date": None,
        "url": "https://data.vietnam.opendevelopmentmekong.net/vi/dataset/a-phn-tnh",
    },
    "osm-hot-railways": {
        "title": "OpenStreetMap railway lines, HOT export 'hotosm_vnm_railways_lines' (HDX), copy "
        "in "
        "xuanx1/parsonsThesis-xuan data/vn/hotosm_vnm_railways_lines_geojson.geojson @01309c37; "
        "ODbL 1.0, "
        "© OpenStreetMap contributors; OSM data date not stated",
        "publisher": "Humanitarian OpenStreetMap Team / OpenStreetMap contributors",
        "date": None,
        "url": None,
    },
    "legocity-roads": {
        "title": "Vietnam road centre-lines, CTU-SematX/LegoCity opendata/trafic/giaothong.geojson "
        "@e37353d6 "
        "(CC BY-SA 4.0 as declared by the repository; upstream producer not stated; small-scale, "
        "schematic)",
        "publisher": "CTU-SematX/LegoCity (SmartCity project)",
        "date": None,
        "url": "https://github.com/CTU-SematX/LegoCity",
    },
}


# --------------------------------------------------------------------------- reference data


class Reference:
    """The reference files, loaded once."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.provinces = self._load("vn_provinces_northeast_odv2016.geojson")
        self.border = self._load("vn_cn_border_langson_caobang_derived_odv2016.geojson")
        self.points = self._load("langson_reference_points.geojson")
        self.railways = self._load("langson_railways_osm.geojson")
        self.roads = self._load("langson_national_roads_legocity.geojson")
        self.province = {
            f["properties"]["name"]: shape(f["geometry"]) for f in self.provinces["features"]
        }
        self.road = {
            f["properties"]["source_gid"]: shape(f["geometry"]) for f in self.roads["features"]
        }
        segs = {f["properties"]["segment"]: shape(f["geometry"]) for f in self.border["features"]}
        self.border_ls = segs["VN–CN border along Lạng Sơn"]
        self.border_cb = segs["VN–CN border along Cao Bằng"]
        self.point = {f["properties"]["name"]: f for f in self.points["features"]}

    def _load(self, name: str) -> Json:
        return json.loads((self.folder / name).read_text(encoding="utf-8"))

    def xy(self, name_start: str) -> tuple[float, float]:
        hits = [f for n, f in self.point.items() if n.startswith(name_start)]
        assert len(hits) == 1, f"{name_start!r}: {len(hits)} reference points"
        lon, lat = hits[0]["geometry"]["coordinates"]
        return float(lon), float(lat)


# --------------------------------------------------------------------------- context layers

PROVINCES = {
    # name in data: (id, name_en, name_zh)
    "Lạng Sơn": ("province-lang-son", "Lạng Sơn Province", "谅山省"),
    "Cao Bằng": ("province-cao-bang", "Cao Bằng Province", "高平省"),
    "Quảng Ninh": ("province-quang-ninh", "Quảng Ninh Province", "广宁省"),
    "Bắc Giang": ("province-bac-giang", "Bắc Giang Province (pre-2025)", "北江省"),
    "Bắc Kạn": ("province-bac-kan", "Bắc Kạn Province (pre-2025)", "北件省"),
    "Thái Nguyên": ("province-thai-nguyen", "Thái Nguyên Province (pre-2025 outline)", "太原省"),
}
PROVINCE_2025 = {
    "Bắc Giang": " Since 1 Jul 2025 Bắc Giang is part of Bắc Ninh province; the outline is the "
    "pre-2025 one.",
    "Bắc Kạn": " Since 1 Jul 2025 Bắc Kạn is part of Thái Nguyên province; the outline is the "
    "pre-2025 one.",
    "Thái Nguyên": " Since 1 Jul 2025 Thái Nguyên also includes former Bắc Kạn; the outline is the "
    "pre-2025 one.",
}
ODV_NOTE = (
    "Open Development Vietnam 'Địa phận tỉnh' (~2016, Cục Đo đạc và Bản đồ), full resolution, "
    "coordinates "
    "rounded to 1e-6°. Boundary accuracy not stated by the producer; along the China border it "
    "differs from "
    "the legal line by ~100–300 m (reference README)."
)


def build_provinces(ref: Reference) -> list[Json]:
    out = []
    for f in ref.provinces["features"]:
        p = f["properties"]
        pid, name_en, name_zh = PROVINCES[p["name"]]
        props = {
            "id": pid,
            "name_vi": f"Tỉnh {p['name']}",
            "name_en": name_en,
            "name_zh": name_zh,
            "geometry_accuracy": "digitised",
            "accuracy_note": ODV_NOTE
            + PROVINCE_2025.get(p["name"], " Outline not changed by the 2025 reform.")
            + f" Geodesic area as digitised: {p['area_km2_geodesic']:,} km².",
            "sources": ["odv-2016"],
            "iso_3166_2": p["iso_3166_2"],
            "odv_gid": p["odv_gid"],
        }
        out.append(feature(props, shape(f["geometry"])))
    order = list(PROVINCES)
    return sorted(
        out, key=lambda ft: order.index(ft["properties"]["name_vi"].removeprefix("Tỉnh "))
    )


def build_border(ref: Reference) -> list[Json]:
    out = []
    for f in ref.border["features"]:
        p = f["properties"]
        ls = "Lạng Sơn" in p["segment"]
        props = {
            "id": "border-vn-cn-lang-son" if ls else "border-vn-cn-cao-bang",
            "name_vi": "Biên giới Việt Nam – Trung Quốc (đoạn "
            + ("Lạng Sơn)" if ls else "Cao Bằng)"),
            "name_en": "Vietnam–China border (" + ("Lạng Sơn" if ls else "Cao Bằng") + " section)",
            "name_zh": "中越边界（" + ("谅山段）" if ls else "高平段）"),
            "geometry_accuracy": "digitised",
            "accuracy_note": (
                "Derived from the ODV 2016 province outline (province boundary minus the "
                "neighbouring Vietnamese "
                f"provinces, 80 m tolerance); {p['length_km_as_digitised']} km as digitised. NOT "
                f"the legal line of "
                "the 2009 demarcation protocol: expect ~100–300 m error. Border markers are not "
                "shown (no "
                "published coordinates)."
            ),
            "sources": ["odv-2016"],
            "length_km_as_digitised": p["length_km_as_digitised"],
        }
        out.append(feature(props, shape(f["geometry"])))
    return sorted(out, key=lambda ft: ft["id"], reverse=True)


TOWNS = {
    # reference name prefix: (id, name_vi, name_en, name_zh, sources)
    "Đồng Đăng town": (
        "town-dong-dang",
        "Đồng Đăng",
        "Đồng Đăng",
        "同登",
        ["en-wikipedia-dong-dang"],
    ),
    "Lạng Sơn city": (
        "town-lang-son",
        "Lạng Sơn (thành phố cũ)",
        "Lạng Sơn city",
        "谅山",
        ["en-wikipedia-lang-son"],
    ),
    "Đồng Mỏ": (
        "town-dong-mo",
        "Đồng Mỏ (Chi Lăng)",
        "Đồng Mỏ (Chi Lăng)",
        None,
        ["en-wikipedia-chi-lang-district"],
    ),
    "Lộc Bình": ("town-loc-binh", "Lộc Bình", "Lộc Bình", "禄平", ["vi-wikipedia-loc-binh"]),
    "Đình Lập": ("town-dinh-lap", "Đình Lập", "Đình Lập", "亭立", ["geonames-dinh-lap"]),
    "Tiên Yên": (
        "town-tien-yen",
        "Tiên Yên (Quảng Ninh)",
        "Tiên Yên (Quảng Ninh)",
        "先安",
        ["vi-wikipedia-tien-yen"],
    ),
}


def build_towns(ref: Reference) -> list[Json]:
    out = []
    for f in ref.points["features"]:
        p = f["properties"]
        if p["kind"] != "town":
            continue
        key = next(k for k in TOWNS if p["name"].startswith(k))
        tid, vi, en, zh, srcs = TOWNS[key]
        props = {
            "id": tid,
            "name_vi": vi,
            "name_en": en,
            "name_zh": zh,
            "geometry_accuracy": "digitised",
            "accuracy_note": (
                f"Coordinate from {p['source']}; confidence {p['confidence']}. {p.get('note', '')}"
            ).strip(),
            "sources": srcs,
            "confidence": p["confidence"],
        }
        out.append(feature(props, shape(f["geometry"])))
    return out


RAIL_NAMES = {
    "Hà Nội – Đồng Đăng railway": (
        "Đường sắt Hà Nội – Đồng Đăng",
        "Hà Nội – Đồng Đăng railway",
        "河内—同登铁路",
    ),
    "Yên Trạch (Lạng Sơn) – Na Dương railway": (
        "Đường sắt Yên Trạch – Na Dương",
        "Yên Trạch – Na Dương railway",
        None,
    ),
    "Kép – Cái Lân (Hạ Long) railway": ("Đường sắt Kép – Cái Lân", "Kép – Cái Lân railway", None),
}


def build_railways(ref: Reference) -> list[Json]:
    out = []
    for f in ref.railways["features"]:
        p = f["properties"]
        if p["line"] == "unnamed":
            continue  # yard tracks, loops, sidings: not identified one by one (layers/README.md)
        vi, en, zh = RAIL_NAMES[p["line"]]
        osm_tag = p.get("osm_source_tag") or "none"
        props = {
            "id": f"railway-osm-{p['osm_id']}",
            "name_vi": vi,
            "name_en": en,
            "name_zh": zh,
            "geometry_accuracy": "digitised",
            "accuracy_note": (
                f"OpenStreetMap way {p['osm_id']} (OSM source tag: {osm_tag}), traced from imagery "
                "or GPS; expect tens of metres of error (not measured). Clipped to lon "
                "106.0–107.6, "
                "lat 21.3–22.8. © OpenStreetMap contributors, ODbL 1.0."
            ),
            "sources": ["osm-hot-railways"],
            "osm_id": p["osm_id"],
            "osm_type": p["osm_type"],
            "railway": p["railway"],
        }
        out.append(feature(props, shape(f["geometry"])))
    return out


def build_national_roads(ref: Reference) -> list[Json]:
    out = []
    for f in ref.roads["features"]:
        p = f["properties"]
        gid = p["source_gid"]
        if gid == 422:
            vi, en = "Đường nhánh QL4A – cửa khẩu Tân Thanh", "Spur road QL4A – Tân Thanh gate"
        else:
            vi = p["name"]
            en = p["name"].replace("Quốc lộ", "National Road").replace("Tỉnh lộ", "Provincial Road")
            en = en.replace("(source label)", "(label of the source)")
            if gid == 247:
                vi = (
                    "Quốc lộ 1A, TP Lạng Sơn – Đồng Đăng – cửa khẩu Hữu Nghị "
                    "(nguồn ghi 'Quốc lộ 4A')"
                )
                en = "National Road 1A, Lạng Sơn city – Đồng Đăng – Hữu Nghị gate"
            if gid == 297:
                vi = "Quốc lộ 4A (theo nhãn của nguồn), đoạn TP Lạng Sơn"
        props = {
            "id": f"national-road-{gid}",
            "name_vi": vi,
            "name_en": en,
            "name_zh": None,
            "geometry_accuracy": "digitised",
            "accuracy_note": (
                "Small-scale generalised centre-line (vertices 300–1,000 m apart); median offset "
                "130–250 m, up to "
                "~1 km (checked on the railway layer of the same data set). No expressway is in "
                "this layer. " + (p.get("note") or "")
            ).strip(),
            "sources": ["legocity-roads"],
            "ref": p["ref"],
            "source_gid": gid,
            "source_name": p["source_name"],
        }
        out.append(feature(props, shape(f["geometry"])))
    return out


# --------------------------------------------------------------------------- project: zones


def cargo_transit_polygon(ref: Reference, target_ha: float) -> Polygon:
    """Schematic outline of the cargo transit zone between QL1B, QL1A and the railway.

    The published bounds are N = QL1B, E = QL1A, W = Hà Nội–Đồng Đăng railway (and the
    Thụy Hùng stream), S = bản Nà Pài. The three lines close a 233 ha face at Đồng Đăng;
    the southern edge (bản Nà Pài is not located) is a west–east cut moved south until
    the face, kept 40 m off the lines, holds the official area.
    """
    rail_ids = (
        571648425,
        1167485611,
    )  # Lạng Sơn – Đồng Đăng main track and Đồng Đăng station approach
    rail = [
        shape(f["geometry"])
        for f in ref.railways["features"]
        if f["properties"]["osm_id"] in rail_ids
    ]
    # Only a ~4 km piece of one OSM way is used, simplified at 30 m.
    window = box(106.68, 21.90, 106.73, 21.95)
    rail = [r.intersection(window).simplify(0.0003) for r in rail]
    lines = unary_union([ref.road[247], ref.road[248], *rail])
    inside = Point(106.706, 21.93)
    face = next(p for p in polygonize(lines) if p.contains(inside))

    def cut(lat_s: float) -> Any:
        piece = face.intersection(box(106.6, lat_s, 106.8, 22.0))
        if piece.geom_type == "MultiPolygon":
            piece = max(piece.geoms, key=lambda g: g.area)
        return to_ll(to_m(piece).buffer(-40, join_style="mitre"))

    lo, hi = face.bounds[1], 21.935
    for _ in range(50):
        mid = (lo + hi) / 2
        if area_ha(cut(mid)) > target_ha:
            lo = mid
        else:
            hi = mid
    return scale_to_area(shapely.set_precision(cut(lo), 1e-7), target_ha)


def build_zones(ref: Reference) -> list[Json]:
    out = []
    ls = ref.province["Lạng Sơn"]

    # Cargo transit zone = Viettel Logistics Park Lạng Sơn -------------------------
    cargo = cargo_transit_polygon(ref, 143.7)
    out.append(
        feature(
            project(
                id="zone-cargo-transit",
                name_vi="Khu trung chuyển hàng hóa (Viettel Logistics Park Lạng Sơn)",
                name_en="Cargo transit zone (Viettel Logistics Park Lạng Sơn)",
                name_zh="货物中转区（谅山Viettel物流园）",
                kind="cargo_transit_zone",
                status="operational",
                progress_note="opened for operation; phase 2 announced, not included",
                progress_history=[
                    {
                        "date": "2024-12-11",
                        "progress_pct": 100,
                        "open_length_km": None,
                        "source": "vns-2024-12-11",
                        "note": "opened for operation; phase 2 announced, not included",
                    }
                ],
                milestones=[
                    milestone(
                        "2022-09-30",
                        "quarter",
                        "target",
                        "Mục tiêu (đặt năm 2021): giai đoạn 1 (≈58 ha) hoạt động vào cuối quý "
                        "III/2022",
                        "Target set in 2021: phase 1 (≈58 ha) operating by end of Q3 2022",
                        "2021年目标：一期（约58公顷）于2022年第三季度末投入运营",
                        None,
                        "bct-quynh-nga",
                    ),
                    milestone(
                        "2024-11-08",
                        "day",
                        "other",
                        "Viettel thuê toàn bộ hạ tầng khu trung chuyển",
                        "Viettel leases all of the zone's infrastructure",
                        "Viettel租赁中转区全部基础设施",
                        None,
                        "vns-2024-12-11",
                    ),
                    milestone(
                        "2024-12-11",
                        "day",
                        "opening",
                        "Khai trương Viettel Logistics Park Lạng Sơn",
                        "Viettel Logistics Park Lạng Sơn opens",
                        "谅山Viettel物流园开业",
                        "operational",
                        "vns-2024-12-11",
                    ),
                    milestone(
                        "2025-12-31",
                        "year",
                        "target",
                        "Mục tiêu (đặt năm 2021): toàn khu hoạt động năm 2025",
                        "Target set in 2021: whole zone operating by 2025",
                        "2021年目标：全区于2025年投入运营",
                        None,
                        "bct-quynh-nga",
                    ),
                    milestone(
                        "2026-01-31",
                        "month",
                        "other",
                        "Kho ngoại quan (5.880 m² nhà kho + 8.700 m² bãi) đi vào hoạt động",
                        "Bonded warehouse (5,880 m² shed + 8,700 m² yard) in operation",
                        "保税仓库（5,880平方米仓库＋8,700平方米堆场）投入运营",
                        None,
                        "cafef-2026-01-14",
                    ),
                ],
                area_ha=143.7,
                area_source="bct-quynh-nga",
                investment_vnd_bn=3300,
                investment_source="nguoiquansat-viettel-park",
                investor="Công ty CP Khu trung chuyển Lạng Sơn (infrastructure owner); operated by "
                "Viettel Post "
                "(Viettel leased the infrastructure on 8 Nov 2024)",
                investor_source="vns-2024-12-11",
                geometry_accuracy="schematic",
                accuracy_note=(
                    "Drawn by the project from the published bounds (N QL1B, E QL1A, W Hà Nội–Đồng "
                    "Đăng railway, "
                    "S bản Nà Pài): the face closed by the QL1A/QL1B centre-lines (LegoCity, "
                    "±130–250 m, up to ~1 km) "
                    "and the OpenStreetMap railway south of Đồng Đăng, kept 40 m off the lines, "
                    "with a straight "
                    "west–east southern edge placed so that the geodesic area equals the official "
                    "143.7 ha (bản Nà "
                    "Pài is not located). Position roughly right, outline not: no plan drawing or "
                    "polygon of the "
                    "park is published."
                ),
                sources=[
                    "bct-quynh-nga",
                    "unrecorded-cargo-zone-bounds",
                    "vns-2024-12-11",
                    "vietnamplus-viettel-park",
                    "nguoiquansat-viettel-park",
                    "reatimes-viettel-park-phase-2",
                    "cafef-2026-01-14",
                    "merger-table-2025",
                    "legocity-roads",
                    "osm-hot-railways",
                ],
                note=(
                    "In old xã Phú Xá and Thụy Hùng (Cao Lộc), since 1 Jul 2025 xã Đồng Đăng. "
                    "Investment is reported "
                    "as ≈ VND 3,200–3,300 bn depending on the outlet (vietnamnews, vietnamplus, "
                    "nguoiquansat); the "
                    "upper figure is stored. Capacity 1,500 trucks/day. A phase 2 is announced "
                    "(reatimes.vn), not "
                    "shown. No source dates the start of construction, so the timeline shows the "
                    "zone from its "
                    "opening on 11 Dec 2024. Phase 1 ≈ 58 ha and the 2022/2025 targets come from "
                    "one source only "
                    "(Báo Công Thương)."
                ),
            ),
            cargo,
        )
    )

    # Export processing zone 1 (illustrative) ----------------------------------------
    epz = circle(106.762, 21.902, 126.38)
    assert ls.contains(epz)
    out.append(
        feature(
            project(
                id="zone-export-processing-1",
                name_vi="Khu chế xuất 1",
                name_en="Export Processing Zone 1",
                name_zh="第一出口加工区",
                kind="export_processing_zone",
                status="unknown",
                progress_note="no progress figure published; present status not found",
                milestones=[
                    milestone(
                        "2022-12-31",
                        "year",
                        "target",
                        "Mục tiêu (đặt năm 2021): hoàn thành và đi vào hoạt động năm 2022",
                        "Target set in 2021: completed and operating in 2022",
                        "2021年目标：2022年建成并投入运营",
                        None,
                        "bct-quynh-nga",
                    )
                ],
                area_ha=126.38,
                area_source="bct-quynh-nga",
                geometry_accuracy="illustrative",
                accuracy_note=(
                    "Location not published. A circle of the official area (126.38 ha) placed "
                    "arbitrarily by the "
                    "project inside the economic zone between Đồng Đăng and Lạng Sơn city, only to "
                    "show size and "
                    "existence: its position must not be read."
                ),
                sources=["bct-quynh-nga", "en-baoquocte"],
                note=(
                    "Commune, investor, boundary and present status not found. Area ≈ 126.38 ha "
                    "and the 2022 target "
                    "come from one article (Báo Công Thương, Quỳnh Nga); en.baoquocte.vn names the "
                    "zone as a main "
                    "functional zone. Whether the 2022 target was met is not known."
                ),
            ),
            epz,
        )
    )

    # Non-tariff zone (illustrative, three clusters) --------------------------------
    clusters = {
        # centre inside Vietnam next to the named place; Pác Luống–Hang Chui is not located at all
        "Tân Thanh": (106.668, 21.990),
        "Cốc Nam": (106.690, 22.033),
        "Pác Luống – Hang Chui": (106.672, 21.955),
    }
    parts = [circle(lon, lat, 1350 / 3) for lon, lat in clusters.values()]
    for part in parts:
        assert ls.contains(part), "non-tariff cluster outside Lạng Sơn"
    assert not any(a.intersects(b) for i, a in enumerate(parts) for b in parts[i + 1 :])
    assert not any(p.intersects(cargo) for p in parts)
    out.append(
        feature(
            project(
                id="zone-non-tariff",
                name_vi="Khu phi thuế quan (quy hoạch đến 2030)",
                name_en="Non-tariff zone (2030 general plan)",
                name_zh="非关税区（2030年总体规划）",
                kind="non_tariff_zone",
                status="planned",
                progress_note="no progress figure published; phase areas and present status not "
                "found",
                milestones=[
                    milestone(
                        "2010-07-08",
                        "day",
                        "approval",
                        "QĐ 1055/QĐ-TTg phê duyệt quy hoạch chung đến 2030 (khu phi thuế quan "
                        "1.350 ha)",
                        "Decision 1055/QĐ-TTg approves the general plan to 2030 (non-tariff zone "
                        "1,350 ha)",
                        "第1055/QĐ-TTg号决定批准至2030年总体规划（非关税区1,350公顷）",
                        "planned",
                        "banqlktck-540",
                    ),
                    milestone(
                        "2021-12-31",
                        "year",
                        "target",
                        "Mục tiêu nêu năm 2021 (không nêu thời hạn): đấu giá quỹ đất đã giải phóng "
                        "mặt bằng giai đoạn 1",
                        "Target stated in 2021 (no deadline published): auction the cleared land "
                        "of phase 1",
                        "2021年提出的目标（未公布期限）：拍卖一期已完成征地清场的土地",
                        None,
                        "bct-quynh-nga",
                    ),
                ],
                area_ha=1350,
                area_source="banqlktck-540",
                geometry_accuracy="illustrative",
                accuracy_note=(
                    "Locations and outlines not published. Three circles, one per trade-service "
                    "cluster named in the "
                    "2010 general plan (Tân Thanh, Pác Luống–Hang Chui, Cốc Nam), each one third "
                    "of 1,350 ha: the "
                    "split between clusters is not published and is equal for display only. The "
                    "Tân Thanh and Cốc "
                    "Nam circles sit inside Vietnam next to those gates (Cốc Nam itself is placed "
                    "schematically); "
                    "Pác Luống–Hang Chui is not located in our sources and its circle is placed "
                    "arbitrarily west of "
                    "Đồng Đăng. Positions must not be read."
                ),
                sources=[
                    "banqlktck-540",
                    "soxd-630",
                    "en-baoquocte",
                    "bct-quynh-nga",
                    "lawnet-qd-1009-2024",
                ],
                note=(
                    "2010 general plan (QĐ 1055/QĐ-TTg, 8 Jul 2010): non-tariff land 810 ha by "
                    "2020 and 1,350 ha by "
                    "2030; the 2030 figure is drawn. 'Phase I' is mentioned by en.baoquocte.vn; "
                    "phase areas, "
                    "investor and present status not found. The general plan is being revised to "
                    "2045 (task "
                    "approved by QĐ 1009/QĐ-TTg, 19 Sep 2024), so these figures may change."
                ),
            ),
            MultiPolygon(parts),
        )
    )
    return out


# --------------------------------------------------------------------------- project: gates

LS_CHAIN = {  # km along the derived Lạng Sơn border line (0 = Lạng Sơn–Cao Bằng–China tripoint)
    # Cốc Nam: old xã Tân Mỹ (Văn Lãng), taken ~4 km along the border from Tân Thanh (chain 73.25)
    # toward the north-west end of the line (the border itself runs N–NE there). The direction
    # is the project's assumption, not a published fact.
    "coc-nam": 69.0,
    # Bình Nghi: Tràng Định, where the Kỳ Cùng river leaves for Pingxiang (Ping'er guan); ~33 km
    # along the border NW of Tân Thanh. Assumed, not published.
    "binh-nghi": 40.0,
    # Cargo road 1119–1120: markers run W→E, the gate is at 1116/1117 (chain 81.6): ~1.4 km east.
    "cargo-1119": 83.0,
    # Cargo road 1088/2–1089: west of the gate; taken midway between Tân Thanh and Hữu Nghị.
    "cargo-1088": 77.4,
}


def border_point_nearest(border: LineString, lon: float, lat: float) -> tuple[float, Point]:
    """Chainage (km) and lon/lat point of the border nearest to a lon/lat point."""
    bm = to_m(border)
    x, y = TO_M.transform(lon, lat)
    ch = bm.project(Point(x, y)) / 1000
    return ch, to_ll(along(bm, ch))


def build_gates(ref: Reference) -> list[Json]:
    ls_m = to_m(ref.border_ls)
    out = []

    def on_border(key: str) -> Point:
        return to_ll(along(ls_m, LS_CHAIN[key]))

    hn = Point(*ref.xy("Cửa khẩu quốc tế Hữu Nghị"))
    out.append(
        feature(
            project(
                id="gate-huu-nghi",
                name_vi="Cửa khẩu quốc tế Hữu Nghị",
                name_en="Hữu Nghị International Border Gate (road)",
                name_zh="友谊口岸",
                kind="international_gate",
                status="operational",
                progress_note="operating gate; no progress figure applies. Its opening date is not "
                "in our sources, "
                "so the gate is shown at every date",
                milestones=[
                    milestone(
                        "2024-05-27",
                        "day",
                        "other",
                        "Chính thức mở luồng thông quan / đường chuyên dùng cặp cửa khẩu Hữu Nghị "
                        "– Hữu Nghị Quan",
                        "Clearance lanes / dedicated roads of the Hữu Nghị – Youyiguan pair "
                        "officially opened",
                        "友谊—友谊关口岸通关通道/货运专用通道正式开通",
                        None,
                        "lsprov-2024-10",
                    ),
                    milestone(
                        "2024-08-17",
                        "day",
                        "approval",
                        "QĐ 865/QĐ-TTg: thí điểm cửa khẩu thông minh (đường chuyên dùng mốc "
                        "1119–1120 và 1088/2–1089)",
                        "Decision 865/QĐ-TTg: smart border gate pilot (cargo roads at markers "
                        "1119–1120 and 1088/2–1089)",
                        "第865/QĐ-TTg号决定：智慧口岸试点（1119–1120号及1088/2–1089号界碑货运专用通道）",
                        None,
                        "qd-865-2024",
                    ),
                    milestone(
                        "2026-09-30",
                        "quarter",
                        "target",
                        "Mục tiêu: hoàn thành hạ tầng và vận hành thử cửa khẩu thông minh (quý "
                        "III/2026), năng lực "
                        "thông quan gấp 2–3 lần",
                        "Target: smart border gate infrastructure and trial operation by Q3 2026 "
                        "(clearance "
                        "capacity 2–3× today)",
                        "目标：2026年第三季度前完成智慧口岸基础设施并试运行（通关能力提高2–3倍）",
                        None,
                        "vov5-2025",
                    ),
                ],
                geometry_accuracy="digitised",
                accuracy_note=(
                    "Vietnamese control complex (Km0 QL1A) at 21.97062 N, 106.71112 E from a "
                    "public seed data file; "
                    "medium confidence: 0.52 km inside Vietnam from the ODV border line and 0.65 "
                    "km SSW of the "
                    "Friendship Pass building (en.wikipedia). Not the vi.wikipedia map link "
                    "(21.94014, 106.69970), "
                    "which is a map centre in Đồng Đăng town."
                ),
                sources=[
                    "seed-huu-nghi",
                    "en-wikipedia-friendship-pass",
                    "vi-wikipedia-huu-nghi",
                    "lsprov-2024-10",
                    "qd-865-2024",
                    "vov5-2025",
                    "merger-table-2025",
                ],
                note=(
                    "Markers 1116 (VN) / 1117 (CN) stand at the gate; paired with Youyiguan "
                    "(友谊关), "
                    "China. Old "
                    "TT Đồng Đăng (Cao Lộc), since 1 Jul 2025 xã Đồng Đăng. The smart border gate "
                    "pilot covers the "
                    "dedicated cargo roads at markers 1119–1120 and 1088/2–1089 (see cargo_roads)."
                ),
            ),
            hn,
        )
    )

    out.append(
        feature(
            project(
                id="gate-dong-dang-rail",
                name_vi="Ga Đồng Đăng (cửa khẩu quốc tế đường sắt)",
                name_en="Đồng Đăng International Railway Station (rail border gate)",
                name_zh="同登站",
                kind="international_gate",
                status="operational",
                progress_note="operating station; no progress figure applies. Opening date not in "
                "our sources, so "
                "the gate is shown at every date",
                geometry_accuracy="digitised",
                accuracy_note="Station coordinate 21°56′38″N 106°41′50″E from vi.wikipedia 'Ga "
                "Đồng Đăng'; medium "
                "confidence (Wikipedia-type coordinate consistent with the OSM station tracks).",
                sources=["vi-wikipedia-ga-dong-dang"],
                note="Terminus of the Hà Nội–Đồng Đăng railway (162 km, dual gauge); connects to "
                "Pingxiang (凭祥).",
            ),
            Point(*ref.xy("Ga Đồng Đăng")),
        )
    )

    out.append(
        feature(
            project(
                id="gate-tan-thanh",
                name_vi="Cửa khẩu Tân Thanh",
                name_en="Tân Thanh Border Gate",
                name_zh="新清口岸",
                kind="secondary_gate",
                status="operational",
                progress_note="operating gate; no progress figure applies. Opening date not in our "
                "sources, so the "
                "gate is shown at every date",
                geometry_accuracy="digitised",
                accuracy_note="22°0′11″N 106°41′2″E from vi.wikipedia, which cites the 1:50,000 "
                "sheets F-48-46C and "
                "58A (Cục Đo đạc và Bản đồ 2004); medium confidence. Falls 0.13 km on the Chinese "
                "side of the ODV "
                "line, i.e. at the line within the ODV error.",
                sources=["vi-wikipedia-tan-thanh", "en-baoquocte", "merger-table-2025"],
                note="Paired with Pò Chài (浦寨), China. Bản Nà Lầu, old xã Tân Thanh (Văn Lãng), "
                "since 1 Jul 2025 xã "
                "Hoàng Văn Thụ. Listed as a secondary gate of the economic zone by "
                "en.baoquocte.vn; its present "
                "legal level is not checked.",
            ),
            Point(*ref.xy("Cửa khẩu Tân Thanh")),
        )
    )

    out.append(
        feature(
            project(
                id="gate-coc-nam",
                name_vi="Cửa khẩu Cốc Nam",
                name_en="Cốc Nam Border Gate",
                name_zh=None,
                kind="national_gate",
                status="operational",
                progress_note="operating gate; no progress figure applies. Opening date not in our "
                "sources, so the "
                "gate is shown at every date",
                geometry_accuracy="schematic",
                accuracy_note=(
                    "No published coordinate. Placed by the project ON the derived border line 4 "
                    "km "
                    "along the border from Tân Thanh toward the line's north-west (Cao Bằng) end; "
                    "the "
                    "border runs north-north-east there, so the point is ~3.8 km NNE of the Tân "
                    "Thanh "
                    "gate. Our sources only give the old commune (xã Tân Mỹ, Văn Lãng) and the "
                    "16.44 km "
                    "Tân Thanh–Cốc Nam expressway branch; the side of Tân Thanh and the distance "
                    "are "
                    "assumptions. The true position may be ~5 km or more away."
                ),
                sources=[
                    "vi-wikipedia-border-gates",
                    "vietnamplus-2023-12-07",
                    "en-baoquocte",
                    "merger-table-2025",
                ],
                note=(
                    "Paired with Lũng Vài ('Lộng Hoài'), China. Old xã Tân Mỹ (Văn Lãng), since 1 "
                    "Jul 2025 xã Hoàng "
                    "Văn Thụ. National-level road gate per the vi.wikipedia list of border gates; "
                    "en.baoquocte.vn "
                    "lists it as a secondary gate of the economic zone."
                ),
            ),
            on_border("coc-nam"),
        )
    )

    lb = ref.xy("Lộc Bình")
    chi_ma_chain, chi_ma = border_point_nearest(ref.border_ls, *lb)
    out.append(
        feature(
            project(
                id="gate-chi-ma",
                name_vi="Cửa khẩu Chi Ma",
                name_en="Chi Ma Border Gate",
                name_zh=None,
                kind="national_gate",
                status="operational",
                progress_note="operating gate; no progress figure applies. The year of the "
                "official opening is "
                "uncertain, so no dated event is stored and the gate is shown at every date",
                geometry_accuracy="schematic",
                accuracy_note=(
                    "No published coordinate. Placed by the project ON the derived border line at "
                    "the point nearest "
                    f"to Lộc Bình town (km {chi_ma_chain:.1f} of the line), because the gate is in "
                    f"thôn Chi Ma, old "
                    "xã Yên Khoái (Lộc Bình), east of Lạng Sơn city toward Ninh Minh, at marker "
                    "1223. Position "
                    "uncertain by ~10 km along the border."
                ),
                sources=[
                    "vantaithanhtin-2024-05-28",
                    "vietnamplus-chi-ma",
                    "vanphong-71876",
                    "merger-table-2025",
                ],
                note=(
                    "Paired with Ái Điểm (爱店, Ninh Minh), China. Thôn Chi Ma, old xã Yên Khoái "
                    "(Lộc Bình), since 1 "
                    "Jul 2025 part of xã Mẫu Sơn. Gate area 152 ha (vantaithanhtin.com.vn "
                    "2024-05-28); a general plan "
                    "for a 535 ha Chi Ma main-gate area was ordered in 2022 (CV 2509/VP-KT). The "
                    "bilateral gate pair "
                    "was officially opened on 10 September of a year our sources do not state with "
                    "certainty (2019 "
                    "by context); no date is stored."
                ),
            ),
            chi_ma,
        )
    )

    out.append(
        feature(
            project(
                id="gate-binh-nghi",
                name_vi="Cửa khẩu Bình Nghi",
                name_en="Bình Nghi Border Gate",
                name_zh=None,
                kind="secondary_gate",
                status="unknown",
                progress_note="present operating status not found in our sources",
                geometry_accuracy="schematic",
                accuracy_note=(
                    "No published coordinate. Placed by the project ON the derived border line ~33 "
                    "km along the "
                    "border north-west of Tân Thanh, in former Tràng Định district, where the Kỳ "
                    "Cùng river leaves "
                    "Vietnam toward Pingxiang (Ping'er guan). The river is not in our data, so the "
                    "position is "
                    "uncertain by ~10 km."
                ),
                sources=["vi-wikipedia-border-gates"],
                note=(
                    "Paired with Bình Nhi Quan (平而关), China. Listed as provincial-level in the "
                    "vi.wikipedia list of "
                    "border gates (some travel sites call it national). Outside the Đồng Đăng – "
                    "Lạng Sơn economic "
                    "zone. Whether it was among the 5 gates active in 2024 is not stated."
                ),
            ),
            on_border("binh-nghi"),
        )
    )
    return out


# --------------------------------------------------------------------------- project: cargo roads


def build_cargo_roads(ref: Reference) -> list[Json]:
    ls_m = to_m(ref.border_ls)
    inside = to_m(ref.province["Lạng Sơn"])
    out = []
    in_use_2024 = milestone(
        "2024-10-31",
        "month",
        "other",
        "Báo cáo tỉnh (10/2024): 5 cửa khẩu và 2 đường chuyên dùng đang hoạt động",
        "Provincial report (Oct 2024): 5 border gates and 2 dedicated cargo roads in operation",
        "省报告（2024年10月）：5个口岸和2条货运专用通道在运行",
        None,
        "lsprov-2024-10",
    )
    pilot = milestone(
        "2024-08-17",
        "day",
        "approval",
        "QĐ 865/QĐ-TTg: đưa vào thí điểm cửa khẩu thông minh",
        "Decision 865/QĐ-TTg: included in the smart border gate pilot",
        "第865/QĐ-TTg号决定：纳入智慧口岸试点",
        None,
        "qd-865-2024",
    )

    line = to_ll(inward_segment(ls_m, LS_CHAIN["cargo-1119"], inside, 900))
    out.append(
        feature(
            project(
                id="cargo-road-1119-1120",
                name_vi="Đường chuyên dùng vận chuyển hàng hóa mốc 1119–1120",
                name_en="Dedicated cargo road at markers 1119–1120",
                name_zh="1119–1120号界碑货运专用通道",
                kind="dedicated_cargo_road",
                status="partly_open",
                progress_note="no percentage published: phase 1 (4 to 6 lanes) inaugurated 27 Nov "
                "2025; phase 2 "
                "(6 to 14 lanes) status not found",
                milestones=[
                    pilot,
                    in_use_2024,
                    milestone(
                        "2025-11-27",
                        "day",
                        "partial_opening",
                        "Khánh thành giai đoạn 1 (mở rộng từ 4 lên 6 làn)",
                        "Phase 1 (widening from 4 to 6 lanes) inaugurated",
                        "一期（由4车道扩至6车道）竣工",
                        "partly_open",
                        "xe-today-2025-11-29",
                    ),
                ],
                investment_vnd_bn=174.7,
                investment_source="xe-today-2025-11-29",
                geometry_accuracy="schematic",
                accuracy_note=(
                    "Marker coordinates are not published. Border markers are numbered west to "
                    "east and the Hữu Nghị "
                    "gate stands at 1116/1117, so 1119–1120 lies a little east of the gate: drawn "
                    "by the project as a "
                    "0.9 km segment ending on the derived border line ~1.4 km along the border "
                    "east of the gate, at "
                    "right angles to it. Position uncertain by ~1–2 km; the road's length and "
                    "alignment are not "
                    "published."
                ),
                sources=[
                    "vietnam-vn-kinh-te-cua-khau",
                    "xe-today-2025-11-29",
                    "qd-865-2024",
                    "vov5-2025",
                    "lsprov-2024-10",
                    "vi-wikipedia-huu-nghi",
                ],
                note=(
                    "Total investment more than VND 174.7 bn (the stored figure is a lower bound). "
                    "Phase 2 widens it "
                    "from 6 to 14 lanes. Part of the smart border gate pilot of the Hữu Nghị – "
                    "Youyiguan pair "
                    "(Decision 865/QĐ-TTg, 17 Aug 2024). The Oct 2024 provincial report counts 2 "
                    "dedicated cargo "
                    "roads in operation without naming them; that they are this road and "
                    "1088/2–1089 is our reading. "
                    "The timeline shows the road from the phase-1 inauguration because no earlier "
                    "status is dated."
                ),
            ),
            line,
        )
    )

    line = to_ll(inward_segment(ls_m, LS_CHAIN["cargo-1088"], inside, 900))
    out.append(
        feature(
            project(
                id="cargo-road-1088-2-1089",
                name_vi="Đường chuyên dùng vận chuyển hàng hóa mốc 1088/2–1089",
                name_en="Dedicated cargo road at markers 1088/2–1089",
                name_zh="1088/2–1089号界碑货运专用通道",
                kind="dedicated_cargo_road",
                status="operational",
                progress_note="no progress figure published; in operation in 2024 (no dated "
                "opening in our sources, "
                "so the road is shown at every date)",
                milestones=[pilot, in_use_2024],
                geometry_accuracy="schematic",
                accuracy_note=(
                    "Marker coordinates are not published and the exact site is unverified (Pác "
                    "Luống, Cốc Nam or "
                    "Tân Thanh area?). Markers are numbered west to east, so 1088/2–1089 lies west "
                    "of the Hữu Nghị "
                    "gate (1116/1117): drawn by the project as a 0.9 km segment ending on the "
                    "derived border line "
                    "midway between the Tân Thanh and Hữu Nghị gates. Position uncertain by "
                    "several km."
                ),
                sources=[
                    "vietnam-vn-kinh-te-cua-khau",
                    "qd-865-2024",
                    "vov5-2025",
                    "lsprov-2024-10",
                ],
                note=(
                    "Attributed to the Hữu Nghị – Youyiguan pair and part of the smart border gate "
                    "pilot (Decision "
                    "865/QĐ-TTg, 17 Aug 2024). Counted as operating from the Oct 2024 provincial "
                    "report ('5 border "
                    "gates and 2 dedicated cargo roads', not named). Investment, length and "
                    "opening date not found."
                ),
            ),
            line,
        )
    )
    return out


# --------------------------------------------------------------------------- project: roads

# Schematic waypoints (lon, lat). Ends come from the reference points; everything in between is the
# project's plausible routing, chosen only to follow the documented corridor and to match the
# official length.
HN_CL_MAIN = [
    # Hữu Nghị gate (reference point) -> east of Đồng Đăng and QL1A -> west of Lạng Sơn city -> Chi
    # Lăng hills -> Đồng Mỏ. The bends stand for the winding of a road through hills so that the
    # drawn length matches
    # the official 43.43 km; they are not surveyed.
    (106.71112, 21.97062),
    (106.7220, 21.9550),
    (106.7350, 21.9350),
    (106.7500, 21.9120),
    (106.7450, 21.8860),
    (106.7220, 21.8740),
    (106.6980, 21.8620),
    (106.6780, 21.8400),
    (106.6860, 21.8100),
    (106.7100, 21.7900),
    (106.6960, 21.7620),
    (106.6680, 21.7500),
    (106.6540, 21.7240),
    (106.6800, 21.7000),
    (106.6670, 21.6670),  # Đồng Mỏ, low confidence (en.wikipedia district footer)
]
HN_CL_BRANCH_START = 2  # leaves the main line at its 3rd waypoint, south-east of Đồng Đăng
HN_CL_BRANCH = [
    # main line -> south of the border's V south of Đồng Đăng (China reaches 21.962 N there) -> Tân
    # Thanh gate junction -> west of the border line -> Cốc Nam (schematic gate point, appended)
    (106.7220, 21.9480),
    (106.7050, 21.9540),
    (106.6880, 21.9570),
    (106.6720, 21.9720),
    (106.6735, 21.9960),  # Tân Thanh gate junction (start of the Đồng Đăng – Trà Lĩnh expressway)
    (106.6840, 22.0160),
    (106.6970, 22.0300),
]
TL_PHASE1 = [
    # Tân Thanh junction -> along the Văn Lãng / Tràng Định corridor (QL4A) -> Thạch An -> Chí Thảo
    (106.6735, 21.9960),
    (106.6300, 22.0350),
    (106.5900, 22.0650),
    (106.5500, 22.1200),
    (106.5100, 22.1600),
    (106.4700, 22.2200),
    (106.4300, 22.2600),
    (106.3850, 22.3150),
    (106.3550, 22.3850),
    (106.3750, 22.4500),
    (106.4250, 22.5050),
    (106.4650, 22.5600),
    (106.4400, 22.6200),
    (106.4300, 22.6800),  # Chí Thảo (Quảng Hòa, Cao Bằng): approximate, not from a source
]
TL_PHASE2 = [
    # Chí Thảo -> Trà Lĩnh gate (last point snapped to the Cao Bằng border line)
    (106.4300, 22.6800),
    (106.3950, 22.7050),
    (106.3800, 22.7450),
    (106.3400, 22.7650),
    (106.3450, 22.8100),
    (106.3220, 22.8350),
]
TRA_LINH_GUESS = (106.31, 22.84)  # approximate, not from a source


def build_expressways(ref: Reference) -> list[Json]:
    out = []
    main = LineString(HN_CL_MAIN)
    coc_nam = to_ll(along(to_m(ref.border_ls), LS_CHAIN["coc-nam"]))
    branch = LineString([HN_CL_MAIN[HN_CL_BRANCH_START], *HN_CL_BRANCH, (coc_nam.x, coc_nam.y)])
    open_km, total_km = 50, 59.87
    out.append(
        feature(
            project(
                id="expressway-huu-nghi-chi-lang",
                name_vi="Cao tốc Hữu Nghị – Chi Lăng",
                name_en="Hữu Nghị – Chi Lăng Expressway",
                name_zh="友谊—支棱高速公路",
                kind="expressway",
                status="partly_open",
                progress_note="share of length open to traffic (50 of 59.87 km)",
                progress_history=[
                    {
                        "date": "2026-02-20",
                        "progress_pct": round(open_km / total_km * 100, 1),
                        "open_length_km": open_km,
                        "source": "sggp-2026-02-20",
                        "note": "share of length open to traffic (50 of 59.87 km; the source says "
                        "'50 of 59 km')",
                    }
                ],
                milestones=[
                    milestone(
                        "2024-04-14",
                        "day",
                        "approval",
                        "Ký hợp đồng BOT",
                        "BOT contract signed",
                        "签署BOT合同",
                        "preparing",
                        "sggp-2024-04-15",
                    ),
                    milestone(
                        "2024-04-21",
                        "day",
                        "groundbreaking",
                        "Khởi công",
                        "Groundbreaking",
                        "开工",
                        "under_construction",
                        "sggp-2024-04-21",
                    ),
                    milestone(
                        "2026-02-20",
                        "day",
                        "partial_opening",
                        "50/59 km đã thông xe",
                        "50 of 59 km open to traffic",
                        "59公里中50公里已通车",
                        "partly_open",
                        "sggp-2026-02-20",
                    ),
                    milestone(
                        "2026-12-31",
                        "year",
                        "target",
                        "Kế hoạch hoàn thành năm 2026",
                        "Planned completion in 2026",
                        "计划2026年完工",
                        None,
                        "sggp-2024-04-21",
                    ),
                ],
                length_km=total_km,
                length_source="vietnamplus-2023-12-07",
                open_length_km=open_km,
                investment_vnd_bn=11808,
                investment_source="sggp-2026-02-20",
                investor="Deo Ca JSC, CC 568 JSC, Lizen JSC (PPP-BOT consortium)",
                investor_source="sggp-2024-04-15",
                geometry_accuracy="schematic",
                accuracy_note=(
                    "No alignment is published. Drawn by the project from the documented ends and "
                    "route: main line "
                    "from the Hữu Nghị gate point south, east of Đồng Đăng, west of Lạng Sơn city, "
                    "to a point near Đồng "
                    "Mỏ (21.667 N, 106.667 E, low confidence) standing for the junction with the "
                    "Bắc Giang – Lạng Sơn "
                    "expressway in Chi Lăng; branch from the main line round Đồng Đăng to the Tân "
                    "Thanh gate junction "
                    "and on to the schematic Cốc Nam gate point. Intermediate waypoints are "
                    "plausible only; expect "
                    "errors of 1–3 km. Which part is open is not published: the map shows the open "
                    "share only."
                ),
                sources=[
                    "vietnamplus-2023-12-07",
                    "sggp-2024-04-15",
                    "sggp-2024-04-21",
                    "sggp-2026-02-20",
                    "thoibaotaichinh-2024-11-16",
                    "tuoitre-2025-05-05",
                    "ddnd-2024",
                ],
                note=(
                    "59.87 km = 43.43 km Hữu Nghị – Chi Lăng main line + 16.44 km Tân Thanh – Cốc "
                    "Nam branch; 6 "
                    "lanes, 32.25 m roadbed; northernmost section of the eastern North–South "
                    "expressway. PPP-BOT, "
                    "provincial decision 11 Apr 2024, toll period 25 years 8 months. Investment "
                    "VND 11,808 bn per sggp "
                    "(20 Feb 2026); VND 11.02–11.19 trn at approval. Interchange IC-07 is named. "
                    "Whether it was "
                    "completed in 2026 is not known to us (sources end Feb 2026)."
                ),
            ),
            MultiLineString([main, branch]),
        )
    )

    p1 = LineString(TL_PHASE1)
    open_km, total_km = 85, 93.35
    out.append(
        feature(
            project(
                id="expressway-dong-dang-tra-linh-1",
                name_vi="Cao tốc Đồng Đăng – Trà Lĩnh (giai đoạn 1)",
                name_en="Đồng Đăng – Trà Lĩnh Expressway, phase 1",
                name_zh="同登—茶岭高速公路（一期）",
                kind="expressway",
                status="partly_open",
                progress_note="share of length open to traffic (85 of 93.35 km)",
                progress_history=[
                    {
                        "date": "2026-02-28",
                        "progress_pct": round(open_km / total_km * 100, 1),
                        "open_length_km": open_km,
                        "source": "laodong-2026-02",
                        "note": "reported for February 2026 (day not given; stored as the month's "
                        "last day); the "
                        "source says '85 of 93 km'",
                    }
                ],
                milestones=[
                    milestone(
                        "2020-08-10",
                        "day",
                        "approval",
                        "Phê duyệt chủ trương đầu tư (115 km, 4 làn xe)",
                        "Investment plan approved (115 km, 4 lanes)",
                        "投资方案获批（115公里，4车道）",
                        "planned",
                        "vietnamplus-2024-01",
                    ),
                    milestone(
                        "2024-01-01",
                        "day",
                        "groundbreaking",
                        "Khởi công giai đoạn 1",
                        "Phase 1 groundbreaking",
                        "一期开工",
                        "under_construction",
                        "vietnamplus-2024-01",
                    ),
                    milestone(
                        "2026-02-28",
                        "month",
                        "partial_opening",
                        "85/93 km đã thông xe",
                        "85 of 93 km open to traffic",
                        "93公里中85公里已通车",
                        "partly_open",
                        "laodong-2026-02",
                    ),
                    milestone(
                        "2026-04-30",
                        "day",
                        "target",
                        "Mục tiêu khánh thành 30/4/2026",
                        "Target inauguration 30 Apr 2026",
                        "目标2026年4月30日竣工通车",
                        None,
                        "laodong-2026-02",
                    ),
                ],
                length_km=total_km,
                length_source="vietnamplus-2024-01",
                open_length_km=open_km,
                investment_vnd_bn=14331.6,
                investment_source="vietnamplus-2024-01",
                investor="Deo Ca Group and partners (PPP)",
                investor_source="vietnamplus-2024-01",
                geometry_accuracy="schematic",
                accuracy_note=(
                    "No alignment is published. Drawn by the project from the Tân Thanh "
                    "border-gate junction (next "
                    "to the Tân Thanh gate point) north-west along the Văn Lãng – Tràng Định "
                    "corridor to the QL3 "
                    "junction at xã Chí Thảo (Quảng Hòa, Cao Bằng). The Chí Thảo end (22.68 N, "
                    "106.43 E) is an "
                    "approximate position chosen by the project, not from a source, and may be off "
                    "by ~10 km; "
                    "intermediate waypoints are plausible only (errors of several km)."
                ),
                sources=["vietnamplus-2024-01", "laodong-2026-02", "ddnd-2024"],
                note=(
                    "17 m roadbed, 80 km/h, 2 tunnels, 64 bridges; 36-month term. Whole expressway "
                    "121 km, VND "
                    "25,550 bn (phase 2: see expressway-dong-dang-tra-linh-2). The 85 of 93 km "
                    "figure and the 30 Apr "
                    "2026 target are from the Feb 2026 report; whether the target was met is not "
                    "known to us."
                ),
            ),
            p1,
        )
    )

    _, tl = border_point_nearest(ref.border_cb, *TRA_LINH_GUESS)
    p2 = LineString([*TL_PHASE2, (tl.x, tl.y)])
    out.append(
        feature(
            project(
                id="expressway-dong-dang-tra-linh-2",
                name_vi="Cao tốc Đồng Đăng – Trà Lĩnh (giai đoạn 2)",
                name_en="Đồng Đăng – Trà Lĩnh Expressway, phase 2",
                name_zh="同登—茶岭高速公路（二期）",
                kind="expressway",
                status="under_construction",
                progress_note="no progress figure published",
                milestones=[
                    milestone(
                        "2020-08-10",
                        "day",
                        "approval",
                        "Phê duyệt chủ trương đầu tư toàn tuyến (115 km, 4 làn xe)",
                        "Investment plan for the whole expressway approved (115 km, 4 lanes)",
                        "全线投资方案获批（115公里，4车道）",
                        "planned",
                        "vietnamplus-2024-01",
                    ),
                    milestone(
                        "2025-08-19",
                        "day",
                        "groundbreaking",
                        "Khởi công giai đoạn 2",
                        "Phase 2 groundbreaking",
                        "二期开工",
                        "under_construction",
                        "laodong-2026-02",
                    ),
                ],
                length_km=27.71,
                length_source="laodong-2026-02",
                investment_vnd_bn=12072,
                investment_source="laodong-2026-02",
                investor="Deo Ca Group and partners (PPP)",
                investor_source="laodong-2026-02",
                geometry_accuracy="schematic",
                accuracy_note=(
                    "No alignment is published. Only the new 27.71 km section is drawn: from the "
                    "approximate Chí "
                    "Thảo junction (project's choice) north to the Trà Lĩnh gate, placed on the "
                    "derived Cao Bằng "
                    "border line at the point nearest to 22.84 N, 106.31 E, an approximate "
                    "position chosen by the "
                    "project (the gate's coordinates are not in our sources). Errors of ~10 km "
                    "possible."
                ),
                sources=["laodong-2026-02", "vna-2023-12-29", "vietnamplus-2024-01"],
                note=(
                    "Phase 2 also widens the 93.35 km of phase 1 (not drawn again here; see "
                    "expressway-dong-dang-tra-linh-1). Trà Lĩnh gate: Bản Hía, TT Trà Lĩnh, Trùng "
                    "Khánh (Cao Bằng), "
                    "paired with Longbang (龙邦), upgraded to international on 28 Dec 2023. "
                    "length_km is the new "
                    "section only."
                ),
            ),
            p2,
        )
    )
    return out


def ql4b_chain(ref: Reference) -> LineString:
    """The QL4B centre-line from Lạng Sơn city (gid 295 -> 240 -> 249), merged into one line."""
    merged = linemerge(unary_union([ref.road[295], ref.road[240], ref.road[249]]))
    assert merged.geom_type == "LineString", merged.geom_type
    start = (106.772906, 21.854041)  # QL1A/QL4B junction in Lạng Sơn city
    if Point(merged.coords[-1]).distance(Point(start)) < Point(merged.coords[0]).distance(
        Point(start)
    ):
        merged = merged.reverse()
    return merged


def cut_by_geodesic_km(line: LineString, km_from: float, km_to: float) -> LineString:
    """Cut a lon/lat line between two geodesic chainages (km from its start)."""
    coords = list(line.coords)
    cum = [0.0]
    for (x0, y0), (x1, y1) in itertools.pairwise(coords):
        cum.append(cum[-1] + GEOD.inv(x0, y0, x1, y1)[2] / 1000)

    def frac(km: float) -> float:
        for i in range(1, len(cum)):
            if cum[i] >= km:
                t = (km - cum[i - 1]) / (cum[i] - cum[i - 1])
                return (i - 1 + t) / (len(coords) - 1)
        raise ValueError(f"chainage {km} km beyond the line ({cum[-1]:.1f} km)")

    # Interpolating linearly inside one short segment (300–1,000 m) is exact enough here.
    a, b = frac(km_from) * (len(coords) - 1), frac(km_to) * (len(coords) - 1)

    def at(pos: float) -> tuple[float, float]:
        i = min(int(pos), len(coords) - 2)
        t = pos - i
        (x0, y0), (x1, y1) = coords[i], coords[i + 1]
        return (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)

    inner = [coords[i] for i in range(math.ceil(a), math.floor(b) + 1) if a < i < b]
    return LineString([at(a), *inner, at(b)])


def build_road_upgrades(ref: Reference) -> list[Json]:
    chain = ql4b_chain(ref)
    # The generalised line leaves Lạng Sơn (into Quảng Ninh) after ~75.7 km, before its own 80 km
    # mark: it is shorter than the real road. Anchor the cut 0.1 km inside the provincial boundary
    # (the project belongs to Lạng Sơn) and run back the official 62.56 km.
    in_ls = chain.intersection(ref.province["Lạng Sơn"])
    assert in_ls.geom_type == "LineString", in_ls.geom_type
    end_km = min(80.0, length_km(in_ls) - 0.1)
    cut = cut_by_geodesic_km(chain, end_km - 62.56, end_km)
    return [
        feature(
            project(
                id="road-ql4b-km18-km80",
                name_vi="Nâng cấp Quốc lộ 4B, đoạn Km18 – Km80",
                name_en="National Road 4B upgrade, Km18 – Km80",
                name_zh="4B号国道改造（Km18–Km80）",
                kind="national_road_upgrade",
                status="under_construction",
                progress_note="no percentage published; reported to be in its final stage in Dec "
                "2025",
                milestones=[
                    milestone(
                        "2025-12-05",
                        "day",
                        "other",
                        "Dự án đang ở giai đoạn cuối (gói thầu số 7 và số 8)",
                        "Project in its final stage (packages 7 and 8)",
                        "项目处于收尾阶段（第7、8标段）",
                        "under_construction",
                        "vietnamnet-2025-12-05",
                    )
                ],
                length_km=62.56,
                length_source="vietnamnet-2025-12-05",
                investment_vnd_bn=2300,
                investment_source="vietnamnet-2025-12-05",
                investor="Sở Xây dựng Lạng Sơn (project owner; state budget)",
                investor_source="vietnamnet-2025-12-05",
                geometry_accuracy="schematic",
                accuracy_note=(
                    "Cut by the project from the small-scale QL4B centre-line of the LegoCity road "
                    "layer (gids 295, "
                    "240, 249; ±130–250 m, up to ~1 km), measured geodesically from the QL1A/QL4B "
                    "junction in Lạng "
                    "Sơn city. That generalised line is shorter than the real road: it reaches the "
                    "Lạng Sơn – Quảng "
                    "Ninh boundary after ~75.7 km, before its own 80 km mark. The cut therefore "
                    "ends 0.1 km inside "
                    "Lạng Sơn and runs back the official 62.56 km (to ~13 km of the generalised "
                    "line). Km posts are "
                    "not in the data and Km0 is not verified: both ends are approximate by several "
                    "km."
                ),
                sources=[
                    "vietnamnet-2025-12-05",
                    "legocity-roads",
                    "ddnd-2024",
                    "laodong-ql4b-km3-km18",
                ],
                note=(
                    "Through former Lộc Bình and Đình Lập districts. Km18 to the ĐT236 junction: "
                    "new 4-lane road, "
                    "24.5 m roadbed (plain class III); the rest 2 lanes, 12 m (mountain class "
                    "III); the Na Dương and "
                    "Đình Lập township sections keep their width. Packages No. 7 (Km18–43) and No. "
                    "8 (Km43–80). ≈ VND "
                    "2,300 bn, state budget. Start and end dates not found, so the timeline shows "
                    "it from the Dec 2025 "
                    "report only. A separate Km3+700–Km18 project (≈ VND 1,000 bn) is in land "
                    "clearance (laodong)."
                ),
            ),
            cut,
        )
    ]


# --------------------------------------------------------------------------- indicators

ALL_GOODS = (
    "all goods through Lạng Sơn's border gates (not only those declared at the province's customs)"
)
DECLARED = (
    "only goods declared at Lạng Sơn's customs (a small part of all goods through the province)"
)


def indicator(
    iid: str,
    vi: str,
    en: str,
    zh: str,
    value: float,
    unit: str,
    period: str,
    date: str | None,
    precision: str | None,
    scope: str,
    source: str,
    *,
    value_low: float | None = None,
    change_pct: float | None = None,
    note: str | None = None,
) -> Json:
    return {
        "id": iid,
        "label": {"vi": vi, "en": en, "zh": zh},
        "value": value,
        "value_low": value_low,
        "unit": unit,
        "change_pct": change_pct,
        "period": period,
        "date": date,
        "date_precision": precision,
        "scope": scope,
        "source": source,
        "note": note,
    }


def build_indicators() -> Json:
    oct_report = ("2024-10-31", "month")
    return {
        "indicators": [
            indicator(
                "turnover_2024",
                "Kim ngạch xuất nhập khẩu qua địa bàn năm 2024",
                "Import–export turnover through the province, 2024",
                "2024年经本省口岸进出口总额",
                70,
                "bn_usd",
                "2024",
                "2025-03-31",
                "quarter",
                ALL_GOODS,
                "vov5-2025",
                change_pct=30,
                note="Stated as ≈ 70 bn USD, +30 % y/y, back to 100 % of the pre-COVID level. "
                "Interview of early 2025 "
                "(exact day not known; stored as the end of Q1 2025). A statement, not an audited "
                "statistic.",
            ),
            indicator(
                "turnover_2024_forecast",
                "Kim ngạch xuất nhập khẩu qua địa bàn năm 2024 (ước tính tháng 12/2024)",
                "Import–export turnover through the province, 2024 (December 2024 estimate)",
                "2024年经本省口岸进出口总额（2024年12月预估）",
                66,
                "bn_usd",
                "2024",
                "2024-12-31",
                "month",
                ALL_GOODS,
                "ddnd-2024",
                change_pct=30,
                note="More than 66 bn USD (lower bound), +30 % vs 2023.",
            ),
            indicator(
                "turnover_2024_to_sep29",
                "Kim ngạch xuất nhập khẩu qua địa bàn đến 29/9/2024",
                "Import–export turnover through the province, 1 Jan – 29 Sep 2024",
                "2024年1月1日至9月29日经本省口岸进出口总额",
                46.3622,
                "bn_usd",
                "2024-01-01/2024-09-29",
                *oct_report,
                ALL_GOODS,
                "lsprov-2024-10",
                change_pct=29.5,
                note="46,362.2 million USD.",
            ),
            indicator(
                "turnover_declared_2024_to_sep29",
                "Kim ngạch xuất nhập khẩu làm thủ tục tại Hải quan Lạng Sơn đến 29/9/2024",
                "Turnover declared at Lạng Sơn customs, 1 Jan – 29 Sep 2024",
                "2024年1月1日至9月29日在谅山海关申报的进出口额",
                4.005,
                "bn_usd",
                "2024-01-01/2024-09-29",
                *oct_report,
                DECLARED,
                "lsprov-2024-10",
                change_pct=10.4,
                note="4,005 million USD: export 1,874.1 million (−8.5 %), import 2,130.8 million "
                "(+34.9 %). Local "
                "exports 122 million USD.",
            ),
            indicator(
                "exports_declared_2024_to_sep29",
                "Xuất khẩu làm thủ tục tại Hải quan Lạng Sơn đến 29/9/2024",
                "Exports declared at Lạng Sơn customs, 1 Jan – 29 Sep 2024",
                "2024年1月1日至9月29日在谅山海关申报的出口额",
                1.8741,
                "bn_usd",
                "2024-01-01/2024-09-29",
                *oct_report,
                DECLARED,
                "lsprov-2024-10",
                change_pct=-8.5,
            ),
            indicator(
                "imports_declared_2024_to_sep29",
                "Nhập khẩu làm thủ tục tại Hải quan Lạng Sơn đến 29/9/2024",
                "Imports declared at Lạng Sơn customs, 1 Jan – 29 Sep 2024",
                "2024年1月1日至9月29日在谅山海关申报的进口额",
                2.1308,
                "bn_usd",
                "2024-01-01/2024-09-29",
                *oct_report,
                DECLARED,
                "lsprov-2024-10",
                change_pct=34.9,
            ),
            indicator(
                "turnover_2024_10m",
                "Kim ngạch xuất nhập khẩu qua địa bàn 10 tháng năm 2024",
                "Import–export turnover through the province, first 10 months of 2024",
                "2024年前10个月经本省口岸进出口总额",
                52.9,
                "bn_usd",
                "2024-01/2024-10",
                *oct_report,
                ALL_GOODS,
                "lsprov-2024-10",
                change_pct=20,
                note="≈ 52.9 bn USD (estimate in the October report).",
            ),
            indicator(
                "turnover_declared_2024_10m",
                "Kim ngạch xuất nhập khẩu làm thủ tục tại Hải quan Lạng Sơn 10 tháng năm 2024",
                "Turnover declared at Lạng Sơn customs, first 10 months of 2024",
                "2024年前10个月在谅山海关申报的进出口额",
                4.477,
                "bn_usd",
                "2024-01/2024-10",
                *oct_report,
                DECLARED,
                "lsprov-2024-10",
                change_pct=12.7,
                note="4,477 million USD.",
            ),
            indicator(
                "trucks_per_day_avg_2024_10m",
                "Số xe hàng qua cửa khẩu mỗi ngày, bình quân 10 tháng 2024",
                "Trucks through the gates per day, average, first 10 months of 2024",
                "2024年前10个月日均通关货车数",
                1300,
                "trucks_per_day",
                "2024-01/2024-10",
                *oct_report,
                ALL_GOODS,
                "lsprov-2024-10",
                note="More than 1,300 (lower bound): exports 350–400 trucks/day, imports "
                "900–1,000.",
            ),
            indicator(
                "trucks_per_day_peak_2024_10m",
                "Số xe hàng qua cửa khẩu mỗi ngày, ngày cao điểm 10 tháng 2024",
                "Trucks through the gates per day, peak days, first 10 months of 2024",
                "2024年前10个月高峰日通关货车数",
                1500,
                "trucks_per_day",
                "2024-01/2024-10",
                *oct_report,
                ALL_GOODS,
                "lsprov-2024-10",
                note="More than 1,500 on peak days (lower bound).",
            ),
            indicator(
                "export_trucks_per_day_2024_10m",
                "Số xe hàng xuất khẩu mỗi ngày, 10 tháng 2024",
                "Export trucks per day, first 10 months of 2024",
                "2024年前10个月日均出口货车数",
                400,
                "trucks_per_day",
                "2024-01/2024-10",
                *oct_report,
                ALL_GOODS,
                "lsprov-2024-10",
                value_low=350,
            ),
            indicator(
                "import_trucks_per_day_2024_10m",
                "Số xe hàng nhập khẩu mỗi ngày, 10 tháng 2024",
                "Import trucks per day, first 10 months of 2024",
                "2024年前10个月日均进口货车数",
                1000,
                "trucks_per_day",
                "2024-01/2024-10",
                *oct_report,
                ALL_GOODS,
                "lsprov-2024-10",
                value_low=900,
            ),
            indicator(
                "tonnes_per_day_2024_10m",
                "Khối lượng hàng hóa qua cửa khẩu mỗi ngày, 10 tháng 2024",
                "Goods through the gates per day, first 10 months of 2024",
                "2024年前10个月日均通关货物量",
                30000,
                "t_per_day",
                "2024-01/2024-10",
                *oct_report,
                ALL_GOODS,
                "lsprov-2024-10",
                value_low=25000,
                note="≈ 25,000–30,000 t/day.",
            ),
            indicator(
                "clearance_capacity_after_pilot_2026",
                "Năng lực thông quan sau thí điểm cửa khẩu thông minh (quý III/2026), so với hiện "
                "nay",
                "Clearance capacity after the smart border gate pilot (Q3 2026), relative to 2024",
                "智慧口岸试点完成后（2026年第三季度）通关能力（相对于2024年）",
                3,
                "times_2024_capacity",
                "2026-Q3",
                "2026-09-30",
                "quarter",
                "clearance capacity of the Hữu Nghị – Youyiguan pair's dedicated cargo roads "
                "(target)",
                "vov5-2025",
                value_low=2,
                note="Target, not a result: 2–3× the capacity at the time of the statement (2024) "
                "once the pilot's "
                "infrastructure and trial operation are done by Q3 2026 (Decision 865/QĐ-TTg).",
            ),
            indicator(
                "clearance_capacity_2030",
                "Năng lực thông quan đến năm 2030, so với hiện nay",
                "Clearance capacity by 2030, relative to 2024",
                "至2030年通关能力（相对于2024年）",
                5,
                "times_2024_capacity",
                "2030",
                "2030-12-31",
                "year",
                "clearance capacity of the smart border gate (target)",
                "vov5-2025",
                value_low=4,
                note="Target, not a result: 4–5× the capacity at the time of the statement (2024).",
            ),
            indicator(
                "exports_through_province_target_2030",
                "Mục tiêu hàng hóa xuất khẩu qua địa bàn năm 2030",
                "Target: goods exported through the province in 2030",
                "2030年目标：经本省出口货物额",
                100,
                "bn_usd",
                "2030",
                "2030-12-31",
                "year",
                "goods exported through Lạng Sơn's border gates (all goods, target)",
                "vov5-2025",
                note="More than 100 bn USD (lower bound). Target, not a result.",
            ),
            indicator(
                "budget_revenue_import_export_2024_10m",
                "Thu ngân sách từ hoạt động xuất nhập khẩu 10 tháng 2024",
                "Budget revenue from import–export, first 10 months of 2024",
                "2024年前10个月进出口财政收入",
                6000,
                "bn_vnd",
                "2024-01/2024-10",
                *oct_report,
                "revenue collected in Lạng Sơn from import–export activity",
                "lsprov-2024-10",
                change_pct=43,
                note="≈ 6,000 bn VND; of which gate-infrastructure fees 570.7 bn VND (+9.4 %).",
            ),
        ]
    }


# --------------------------------------------------------------------------- registry

PROJECT_SOURCE = (
    "Facts compiled by the project, see sources.json; geometry drawn by the project "
    "(see layers/README.md)"
)
REGISTRY: list[Json] = [
    {
        "id": "zones",
        "title": {"vi": "Khu chức năng", "en": "Functional zones", "zh": "功能区"},
        "file": "zones.geojson",
        "geometry_kind": "polygon",
        "group": "zones",
        "style": "zone",
        "visible": True,
        "schema": "project",
        "source": PROJECT_SOURCE + "; outlines partly from ODV / LegoCity lines and "
        "© OpenStreetMap contributors",
        "licence": "CC BY-SA 4.0",
    },
    {
        "id": "gates",
        "title": {"vi": "Cửa khẩu", "en": "Border gates", "zh": "口岸"},
        "file": "gates.geojson",
        "geometry_kind": "point",
        "group": "gates",
        "style": "gate",
        "visible": True,
        "schema": "project",
        "source": PROJECT_SOURCE + "; schematic gates placed on the ODV-derived border "
        "(Open Development Vietnam / Cục Đo đạc và Bản đồ)",
        "licence": "CC BY-SA 4.0",
    },
    {
        "id": "cargo_roads",
        "title": {
            "vi": "Đường chuyên dùng vận chuyển hàng hóa (cửa khẩu thông minh)",
            "en": "Dedicated cargo roads (smart border gate pilot)",
            "zh": "货运专用通道（智慧口岸试点）",
        },
        "file": "cargo_roads.geojson",
        "geometry_kind": "line",
        "group": "gates",
        "style": "cargo_road",
        "visible": True,
        "schema": "project",
        "source": PROJECT_SOURCE + "; drawn against the ODV-derived border "
        "(Open Development Vietnam / Cục Đo đạc và Bản đồ)",
        "licence": "CC BY-SA 4.0",
    },
    {
        "id": "expressways",
        "title": {"vi": "Đường cao tốc", "en": "Expressways", "zh": "高速公路"},
        "file": "expressways.geojson",
        "geometry_kind": "line",
        "group": "roads",
        "style": "expressway",
        "visible": True,
        "schema": "project",
        "source": PROJECT_SOURCE,
        "licence": "CC BY-SA 4.0",
    },
    {
        "id": "road_upgrades",
        "title": {"vi": "Nâng cấp quốc lộ", "en": "National road upgrades", "zh": "国道改造"},
        "file": "road_upgrades.geojson",
        "geometry_kind": "line",
        "group": "roads",
        "style": "road_upgrade",
        "visible": True,
        "schema": "project",
        "source": PROJECT_SOURCE + "; cut from the LegoCity road layer (CTU-SematX/LegoCity)",
        "licence": "CC BY-SA 4.0",
    },
    {
        "id": "provinces",
        "title": {"vi": "Ranh giới tỉnh", "en": "Provinces", "zh": "省界"},
        "file": "provinces.geojson",
        "geometry_kind": "polygon",
        "group": "context",
        "style": "province",
        "visible": True,
        "schema": "context",
        "source": "Open Development Vietnam / Cục Đo đạc và Bản đồ, 'Địa phận tỉnh' (~2016)",
        "licence": "CC BY-SA 4.0",
    },
    {
        "id": "border",
        "title": {
            "vi": "Biên giới Việt – Trung (không phải đường pháp lý)",
            "en": "Vietnam–China border (not the legal line)",
            "zh": "中越边界（非法定界线）",
        },
        "file": "border.geojson",
        "geometry_kind": "line",
        "group": "context",
        "style": "border",
        "visible": True,
        "schema": "context",
        "source": "Derived from Open Development Vietnam / Cục Đo đạc và Bản đồ province "
        "outlines (~2016)",
        "licence": "CC BY-SA 4.0",
    },
    {
        "id": "towns",
        "title": {"vi": "Đô thị", "en": "Towns", "zh": "城镇"},
        "file": "towns.geojson",
        "geometry_kind": "point",
        "group": "context",
        "style": "town",
        "visible": True,
        "schema": "context",
        "source": "Coordinates from Wikipedia and GeoNames, compiled by the project, see "
        "sources.json",
        "licence": "CC BY-SA 4.0",
    },
    {
        "id": "railways",
        "title": {"vi": "Đường sắt", "en": "Railways", "zh": "铁路"},
        "file": "railways.geojson",
        "geometry_kind": "line",
        "group": "context",
        "style": "railway",
        "visible": False,
        "schema": "context",
        "source": "© OpenStreetMap contributors (HOT export hotosm_vnm_railways_lines)",
        "licence": "ODbL 1.0",
    },
    {
        "id": "national_roads",
        "title": {"vi": "Quốc lộ", "en": "National roads", "zh": "国道"},
        "file": "national_roads.geojson",
        "geometry_kind": "line",
        "group": "context",
        "style": "national_road",
        "visible": False,
        "schema": "context",
        "source": "CTU-SematX/LegoCity road layer (upstream producer not "
        "stated); small-scale, schematic",
        "licence": "CC BY-SA 4.0",
    },
]


# --------------------------------------------------------------------------- main


def build(reference: Path, out: Path) -> None:
    ref = Reference(reference)
    builders: dict[str, Callable[[Reference], list[Json]]] = {
        "zones": build_zones,
        "gates": build_gates,
        "cargo_roads": build_cargo_roads,
        "expressways": build_expressways,
        "road_upgrades": build_road_upgrades,
        "provinces": build_provinces,
        "border": build_border,
        "towns": build_towns,
        "railways": build_railways,
        "national_roads": build_national_roads,
    }
    out.mkdir(parents=True, exist_ok=True)
    for entry in REGISTRY:
        features = builders[entry["id"]](ref)
        write_geojson(out / entry["file"], features)
        print(f"{entry['file']:<24} {len(features):>4} features")
    write_json(out / "registry.json", {"layers": REGISTRY})
    write_json(out / "sources.json", dict(sorted(SOURCES.items())))
    write_json(out / "indicators.json", build_indicators())


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--out", type=Path, default=REPO / "layers")
    args = parser.parse_args(list(argv) if argv is not None else None)
    build(args.reference, args.out)


if __name__ == "__main__":
    main()
