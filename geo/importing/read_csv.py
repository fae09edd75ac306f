"""Reading CSV: a WKT column, or lat/lon columns, or X/Y columns, and every other column.

- Text: UTF-8, with or without Excel's byte-order mark ("CSV UTF-8"); else the
  :attr:`ImportOptions.encoding <geo.importing.model.ImportOptions.encoding>` or the
  encoding :func:`~geo.importing.encoding.detect_encoding` finds (Windows-1258, with an
  ``encoding`` question when it is not certain). CRLF and LF line ends alike.
- Delimiter: the one an Excel ``sep=;`` first line names, else the one of ``,`` ``;`` tab
  ``|`` found most often in the header line (Excel writes ``;`` where the decimal separator
  is a comma).
- Geometry, by column name (any case, surrounding spaces ignored), in this order: a WKT
  column (``wkt``, ``geometry``, ``geom``, ``the_geom``, ``wkt_geom``); latitude and
  longitude columns (``lat``/``lon``, ``lat``/``lng``, ``latitude``/``longitude``,
  ``vĩ độ``/``kinh độ``, ``vi_do``/``kinh_do``), read as WGS 84 (``frame.crs`` EPSG:4326 and
  ``crs_text`` ``"EPSG:4326"``); ``x``/``y`` columns, kept as read, x first (the pipeline
  decides the CRS and the axis order; ``frame.crs`` None). The columns used for the
  geometry become it and are not kept as attributes.
- Attributes: every other column, by its header, as text; a column whose every non-empty
  value is a plain number (``12``, ``-3.5``; not ``007``) becomes numeric. Empty cells are
  None.

Problems reported here: ``decimal-comma`` (a coordinate, or a value of a column of such
numbers, written ``21,97639``: never guessed), ``bad-number`` (a coordinate that is not a
number), ``unreadable-geometry`` (WKT that cannot be parsed), ``row-length`` (a row with more
or fewer cells than the header). A row with empty coordinates keeps a null geometry, which
the pipeline reports.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any, Final

import shapely
import shapely.errors
from shapely.geometry.base import BaseGeometry

from geo.crs import WGS84
from geo.importing.encoding import UTF8, detect_encoding, normalised_codec
from geo.importing.limits import LIMITS, Limits
from geo.importing.model import (
    ImportFileError,
    ImportOptions,
    ImportProblem,
    Question,
    RawLayer,
    display_name,
)
from geo.importing.normalise import feature_label, make_frame, nfc
from geo.importing.read_rules import BAD_NUMBER, DECIMAL_COMMA, ROW_LENGTH, UNREADABLE_GEOMETRY

__all__ = ["geometry_columns", "read_csv"]

_BOM: Final = b"\xef\xbb\xbf"
_DELIMITERS: Final = (",", ";", "\t", "|")
_WKT_NAMES: Final = ("wkt", "geometry", "geom", "the_geom", "wkt_geom")
_LAT_LON_NAMES: Final = (
    ("lat", "lon"),
    ("lat", "lng"),
    ("latitude", "longitude"),
    ("vĩ độ", "kinh độ"),
    ("vi_do", "kinh_do"),
    ("vĩ_độ", "kinh_độ"),
)
_XY_NAMES: Final = (("x", "y"),)
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:0|[1-9]\d*)(?:\.\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
# Excel's "sep=;" first line, naming the delimiter.
_SEP_DIRECTIVE = re.compile(r"^sep=(.)$")


def geometry_columns(header: list[str]) -> tuple[str, tuple[int, ...]]:
    """Return which columns give the geometry, and how.

    One of ``("wkt", (i,))``, ``("latlon", (lat, lon))``, ``("xy", (x, y))`` or
    ``("none", ())``, with column positions.

    Examples
    --------
    >>> geometry_columns(["ID", "WKT"])
    ('wkt', (1,))
    >>> geometry_columns(["Vĩ độ", "Kinh độ", "Tên"])
    ('latlon', (0, 1))
    >>> geometry_columns(["X", "Y"]), geometry_columns(["name"])
    (('xy', (0, 1)), ('none', ()))
    """
    keys = [nfc(h).strip().casefold() for h in header]
    for name in _WKT_NAMES:
        if name in keys:
            return "wkt", (keys.index(name),)
    for kind, pairs in (("latlon", _LAT_LON_NAMES), ("xy", _XY_NAMES)):
        for first, second in pairs:
            if first in keys and second in keys:
                return kind, (keys.index(first), keys.index(second))
    return "none", ()


def read_csv(path: Path, options: ImportOptions, limits: Limits = LIMITS) -> list[RawLayer]:
    """Read a CSV file into one :class:`RawLayer`.

    Raises
    ------
    ImportFileError
        When no geometry column is found, a header name repeats, the encoding named is
        unknown, or there are more rows than the feature limit.
    """
    file = display_name(path)
    questions: list[Question] = []
    text, encoding = _decode(path.read_bytes(), file, options, questions)
    lines = text.splitlines()
    directive = _SEP_DIRECTIVE.match(lines[0]) if lines else None
    if directive:
        delimiter = directive.group(1)
        text = text.split("\n", 1)[1] if "\n" in text else ""
    else:
        delimiter = max(_DELIMITERS, key=lambda d: lines[0].count(d)) if lines else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows:
        raise ImportFileError(f"{file}: the CSV has no header row")
    header = [nfc(h).strip() for h in rows[0]]
    _check_header(header, file)
    body = rows[1:]
    if len(body) > limits.max_features:
        raise ImportFileError(
            f"{file}: refused: {len(body)} rows; at most {limits.max_features} are accepted "
            "in one layer"
        )
    kind, used = geometry_columns(header)
    if kind == "none":
        raise ImportFileError(
            f"{file}: no geometry column: expected a WKT column ({', '.join(_WKT_NAMES)}), "
            "lat and lon (or latitude/longitude, vĩ độ/kinh độ) columns, or x and y columns; "
            f"found {', '.join(repr(h) for h in header)}"
        )
    problems: list[ImportProblem] = []
    records = [_record(header, row, used, file, n, problems) for n, row in enumerate(body)]
    _type_columns(records, [h for i, h in enumerate(header) if i not in used], file, problems)
    geometries = [
        _geometry(kind, [header[i] for i in used], row, used, file, feature_label(r, n), problems)
        for n, (row, r) in enumerate(zip(body, records, strict=True))
    ]
    crs = WGS84 if kind == "latlon" else None
    return [
        RawLayer(
            file=file,
            name=path.stem,
            frame=make_frame(records, geometries, crs),
            crs_text=crs,
            encoding=encoding,
            problems=problems,
            questions=questions,
        )
    ]


def _decode(
    data: bytes, file: str, options: ImportOptions, questions: list[Question]
) -> tuple[str, str]:
    """Decode the file: the option, UTF-8 (BOM or not), else the detected encoding."""
    if options.encoding:
        encoding = normalised_codec(options.encoding)
        if encoding is None:
            raise ImportFileError(
                f"{file}: unknown encoding {options.encoding!r}; expected e.g. utf-8, cp1258"
            )
        text = data.decode(encoding, errors="replace")
        return text.removeprefix("\ufeff"), encoding
    if data.startswith(_BOM):
        return data[len(_BOM) :].decode(UTF8, errors="replace"), UTF8
    encoding, doubt = detect_encoding(data)
    if doubt:
        questions.append(
            Question("encoding", f"{file}: the text encoding is not certain ({doubt})", encoding)
        )
    return data.decode(encoding, errors="replace"), encoding


def _check_header(header: list[str], file: str) -> None:
    """Refuse a header whose names repeat: a column would be lost."""
    seen: dict[str, int] = {}
    for number, name in enumerate(header, start=1):
        if name in seen:
            raise ImportFileError(
                f"{file}: columns {seen[name]} and {number} are both named {name!r}; rename "
                "one so that neither is lost"
            )
        seen[name] = number


def _record(
    header: list[str],
    row: list[str],
    used: tuple[int, ...],
    file: str,
    position: int,
    problems: list[ImportProblem],
) -> dict[str, Any]:
    """Return a row's attributes (geometry columns left out), reporting a wrong length."""
    if len(row) != len(header):
        extra = row[len(header) :]
        problems.append(
            ImportProblem(
                file,
                f"#{position + 1}",
                None,
                ROW_LENGTH,
                f"row {position + 2} has {len(row)} cells; the header has {len(header)}"
                + (f"; the extra cells {extra!r} have no column" if extra else ""),
            )
        )
    cells = [nfc(c) for c in row] + [""] * (len(header) - len(row))
    return {
        h: (cells[i] if cells[i] != "" else None) for i, h in enumerate(header) if i not in used
    }


def _type_columns(
    records: list[dict[str, Any]], columns: list[str], file: str, problems: list[ImportProblem]
) -> None:
    """Make plain-number columns numeric; report columns of decimal-comma numbers."""
    for column in columns:
        values = [r[column] for r in records if r.get(column) is not None]
        if not values:
            continue
        if all(_PLAIN_NUMBER.match(v.strip()) for v in values):
            as_int = all("." not in v for v in values)
            for r in records:
                if r.get(column) is not None:
                    r[column] = int(r[column]) if as_int else float(r[column])
        elif all(_DECIMAL_COMMA.match(v.strip()) for v in values):
            for n, r in enumerate(records):
                if r.get(column) is not None:
                    problems.append(_decimal_comma(file, feature_label(r, n), column, r[column]))


def _decimal_comma(file: str, label: str, column: str, value: str) -> ImportProblem:
    return ImportProblem(
        file,
        label,
        column,
        DECIMAL_COMMA,
        f"{value!r} is written with a decimal comma; write it with a point "
        f"({value.replace(',', '.')!r}) if that is what it means, so it is not guessed",
    )


def _geometry(
    kind: str,
    names: list[str],
    row: list[str],
    used: tuple[int, ...],
    file: str,
    label: str,
    problems: list[ImportProblem],
) -> BaseGeometry | None:
    """Build a row's geometry from its WKT or its two coordinate cells."""
    cells = [row[i].strip() if i < len(row) else "" for i in used]
    if kind == "wkt":
        if not cells[0]:
            return None
        try:
            return shapely.from_wkt(cells[0])
        except shapely.errors.ShapelyError as exc:
            problems.append(
                ImportProblem(
                    file, label, names[0], UNREADABLE_GEOMETRY, f"the WKT cannot be read: {exc}"
                )
            )
            return None
    numbers = []
    for name, cell in zip(names, cells, strict=True):
        if not cell:
            return None
        if _DECIMAL_COMMA.match(cell):
            problems.append(_decimal_comma(file, label, name, cell))
            return None
        try:
            numbers.append(float(cell))
        except ValueError:
            problems.append(
                ImportProblem(file, label, name, BAD_NUMBER, f"expected a number; found {cell!r}")
            )
            return None
    if kind == "latlon":
        return shapely.Point(numbers[1], numbers[0])
    return shapely.Point(numbers[0], numbers[1])
