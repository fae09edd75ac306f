"""Builders for the import tests: every file is built in ``tmp_path`` with known coordinates."""

from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

import geopandas
from shapely import Polygon

# Vietnamese text with every tone mark on several vowels, and đ/Đ.
VIETNAMESE = (
    "Khu trung chuyển hàng hóa Đồng Đăng: "
    "ả ã ạ ằ ắ ẳ ẵ ặ ầ ấ ẩ ẫ ậ ề ế ể ễ ệ ơ ớ ờ ở ỡ ợ ư ứ ừ ử ữ ự ỳ ý ỷ ỹ ỵ đ"
)
# A 10-byte DBF field name in Windows-1258 (Đ I ◌̣ A _ Đ I Ê ◌̉ M): GDAL drops its last letter.
FIELD_VN = "ĐỊA_ĐIỂM"
# Friendship Pass, lon/lat, and in VN-2000 / TM-3 107-15 (EPSG:9215).
GATE_LONLAT = (106.71222, 21.97639)
GATE_TM3 = (444268.4, 2431151.1)
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


def to_cp1258(text: str) -> bytes:
    """Encode text as Windows-1258 writes Vietnamese: base letters, then combining tones."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out += to_cp1258(base) if base != ch else base.encode("cp1258")
        out += "".join(c for c in parts if c in _TONES).encode("cp1258")
    return out


def zip_folder(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(folder).as_posix())
    return target


def square(x: float, y: float, d: float) -> list[tuple[float, float]]:
    """A closed square ring, clockwise (as Shapefiles store outer rings)."""
    return [(x, y), (x, y + d), (x + d, y + d), (x + d, y), (x, y)]


def survey_frame(crs: str) -> geopandas.GeoDataFrame:
    """Two lots: squares 100 m (or 0.001°) wide at the gate and east of it."""
    x, y = GATE_TM3 if crs == "EPSG:9215" else GATE_LONLAT
    d = 100.0 if crs == "EPSG:9215" else 0.001
    return geopandas.GeoDataFrame(
        {"ID": ["KTC-01", "ktc-02"], "TEN_LO": ["Lô A", VIETNAMESE], "progress_p": [40, 100]},
        geometry=[Polygon(square(x, y, d)), Polygon(square(x + d, y, d))],
        crs=crs,
    )
