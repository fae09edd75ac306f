"""Reading Shapefiles (.shp, .shx, .dbf, .prj, .cpg), from a zip or a folder.

GDAL (through pyogrio) reads the shapes and the DBF, but never decodes the text: it is
asked for Latin-1, which maps every byte to one character, and
:func:`geo.importing.encoding.recode` decodes the bytes with Python's codec (GDAL's CP1258
conversion drops the last character of every field name and value). The encoding is, in
order: :attr:`ImportOptions.encoding <geo.importing.model.ImportOptions.encoding>`, the
``.cpg`` file, or :func:`~geo.importing.encoding.detect_encoding` on the DBF's field names
and text values (a ``encoding`` question when it is not certain). ``crs_text`` is the
``.prj`` text as written; ``frame.crs`` is GDAL's reading of it (None without a ``.prj``).

Problems reported here: ``undecodable-text`` (bytes the encoding cannot decode, shown as
U+FFFD; per feature and field, or for a field name).
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Final

import pandas as pd
import pyogrio
import pyogrio.errors

from geo.importing.archive import extracted
from geo.importing.encoding import (
    detect_encoding,
    encoding_from_cpg,
    normalised_codec,
    recode,
)
from geo.importing.limits import LIMITS, Limits
from geo.importing.model import (
    ImportFileError,
    ImportOptions,
    ImportProblem,
    Question,
    RawLayer,
    display_name,
)
from geo.importing.normalise import feature_label, nfc
from geo.importing.read_rules import UNDECODABLE_TEXT

__all__ = ["dbf_text", "read_shapefile", "read_shapefile_zip", "resolve_encoding"]

# GDAL reads the DBF as this: one character per byte, so nothing is lost.
_BYTES_AS_TEXT: Final = "ISO-8859-1"
_REQUIRED: Final = (".shx", ".dbf")
_DBF_HEADER = struct.Struct("<BBBBIHH")
_DBF_FIELD_BYTES = 32
_REPLACEMENT = "\ufffd"


def read_shapefile_zip(
    path: Path, options: ImportOptions, limits: Limits = LIMITS
) -> list[RawLayer]:
    """Read every shapefile in a zip (one :class:`RawLayer` each, in member-name order).

    Raises
    ------
    ImportFileError
        When the archive is refused (:mod:`geo.importing.archive`), holds no ``.shp``, or a
        shapefile cannot be read.
    """
    with extracted(path, limits) as folder:
        shps = sorted(
            (p for p in folder.rglob("*") if p.suffix.lower() == ".shp" and p.is_file()),
            key=lambda p: p.relative_to(folder).as_posix(),
        )
        if not shps:
            names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))
            raise ImportFileError(
                f"{display_name(path)}: the archive holds no .shp file (it holds: "
                f"{', '.join(names) or 'nothing'}); expected a zipped Shapefile or a KMZ"
            )
        return [
            read_shapefile(
                shp, display_name(path, shp.relative_to(folder).as_posix()), options, limits
            )
            for shp in shps
        ]


def read_shapefile(
    shp: Path, file: str, options: ImportOptions, limits: Limits = LIMITS
) -> RawLayer:
    """Read one shapefile whose sidecar files lie beside it.

    Parameters
    ----------
    shp : Path
        The ``.shp`` file.
    file : str
        Its name in messages (``survey.zip!lots.shp``).
    options : ImportOptions
        ``encoding`` overrides the ``.cpg`` and detection.
    limits : Limits
        ``max_features`` is checked before the features are read.

    Raises
    ------
    ImportFileError
        When ``.shx`` or ``.dbf`` is missing, the encoding named is unknown, there are too
        many features, or GDAL cannot read the files (truncated, damaged).
    """
    sidecars = {
        p.suffix.lower(): p for p in shp.parent.iterdir() if p.stem == shp.stem and p.is_file()
    }
    missing = [ext for ext in _REQUIRED if ext not in sidecars]
    if missing:
        raise ImportFileError(
            f"{file}: the shapefile has no {' or '.join(missing)} beside it; zip the .shp "
            "with its .shx, .dbf, .prj (and .cpg) files"
        )
    problems: list[ImportProblem] = []
    questions: list[Question] = []
    encoding = resolve_encoding(file, sidecars, options, questions)
    try:
        info = pyogrio.read_info(shp, encoding=_BYTES_AS_TEXT)
        if info["features"] > limits.max_features:
            raise ImportFileError(
                f"{file}: refused: {info['features']} features; at most "
                f"{limits.max_features} are accepted in one layer"
            )
        frame = pyogrio.read_dataframe(shp, encoding=_BYTES_AS_TEXT)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise ImportFileError(f"{file}: cannot be read as a shapefile ({exc})") from exc
    frame = _decoded(frame, encoding, file, problems)
    prj = sidecars.get(".prj")
    crs_text = _prj_text(prj) if prj is not None else None
    return RawLayer(
        file=file,
        name=shp.stem,
        frame=frame,
        crs_text=crs_text,
        encoding=encoding,
        problems=problems,
        questions=questions,
    )


def resolve_encoding(
    file: str, sidecars: dict[str, Path], options: ImportOptions, questions: list[Question]
) -> str:
    """Return the encoding of a shapefile's DBF: the option, the ``.cpg``, else detected.

    A question (kind ``encoding``) is added when the ``.cpg`` names an unknown encoding or
    detection is not certain.

    Raises
    ------
    ImportFileError
        When ``options.encoding`` names an encoding Python does not know.
    """
    if options.encoding:
        chosen = normalised_codec(options.encoding)
        if chosen is None:
            raise ImportFileError(
                f"{file}: unknown encoding {options.encoding!r}; expected e.g. utf-8, cp1258"
            )
        return chosen
    cpg = sidecars.get(".cpg")
    if cpg is not None:
        declared = cpg.read_bytes().decode("latin-1").strip()
        chosen = encoding_from_cpg(declared)
        if chosen is not None:
            return chosen
        note = f"the .cpg file names {declared!r}, an encoding not known here"
    else:
        note = None
    chosen, doubt = detect_encoding(dbf_text(sidecars[".dbf"].read_bytes()))
    if note or doubt:
        reasons = "; ".join(r for r in (note, doubt) if r)
        questions.append(
            Question(
                "encoding",
                f"{file}: the text encoding of the attribute table is not certain ({reasons}); "
                f"it was read as {chosen}",
                "cp1258" if chosen == "cp1258" or note else chosen,
            )
        )
    return chosen


def dbf_text(data: bytes) -> bytes:
    r"""Return a DBF's field names and character-field values, joined by newlines.

    Numbers, dates and the binary header are left out: they would mislead encoding
    detection. A damaged header gives what follows the first 32 bytes.

    Examples
    --------
    >>> header = _DBF_HEADER.pack(3, 126, 1, 1, 1, 32 + 32 + 1, 1 + 4) + bytes(20)
    >>> field = b"TEN\x00\x00\x00\x00\x00\x00\x00\x00C" + bytes(4) + bytes([4, 0]) + bytes(14)
    >>> dbf_text(header + field + b"\r" + b" \xd0\xe3ng" + b"\x1a")
    b'TEN\n\xd0\xe3ng'
    """
    if len(data) < _DBF_HEADER.size:
        return data
    _, _, _, _, records, header_len, record_len = _DBF_HEADER.unpack_from(data)
    fields: list[tuple[bytes, bytes, int]] = []
    offset = _DBF_FIELD_BYTES
    while offset + _DBF_FIELD_BYTES <= min(header_len, len(data)) and data[offset] != 0x0D:
        descriptor = data[offset : offset + _DBF_FIELD_BYTES]
        fields.append((descriptor[:11].split(b"\x00")[0], descriptor[11:12], descriptor[16]))
        offset += _DBF_FIELD_BYTES
    if not fields or record_len <= 0:
        return data[_DBF_FIELD_BYTES:]
    parts = [name for name, _, _ in fields]
    for r in range(records):
        start = header_len + r * record_len + 1
        for _name, kind, width in fields:
            if kind in (b"C", b"M") and start + width <= len(data):
                parts.append(data[start : start + width].strip(b" \x00"))
            start += width
    return b"\n".join(p for p in parts if p)


def _decoded(
    frame: pd.DataFrame, encoding: str, file: str, problems: list[ImportProblem]
) -> pd.DataFrame:
    """Decode the Latin-1 text of names and values with ``encoding``, NFC-normalised."""
    geometry = frame.geometry.name
    names = {}
    for column in frame.columns:
        if column == geometry:
            continue
        name = nfc(recode(column, encoding))
        if _REPLACEMENT in name:
            problems.append(
                ImportProblem(
                    file, None, name, UNDECODABLE_TEXT, f"the field name is not {encoding} text"
                )
            )
        names[column] = name
    for column in names:
        series = frame[column]
        if pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_datetime64_any_dtype(
            series.dtype
        ):
            continue
        frame[column] = series.map(
            lambda v: nfc(recode(v, encoding)) if isinstance(v, str) else v
        ).astype(object)
    frame = frame.rename(columns=names)
    for column in names.values():
        series = frame[column]
        if series.dtype != object:
            continue
        for position, value in enumerate(series):
            if isinstance(value, str) and _REPLACEMENT in value:
                label = feature_label(frame.iloc[position].to_dict(), position)
                problems.append(
                    ImportProblem(
                        file,
                        label,
                        column,
                        UNDECODABLE_TEXT,
                        f"the value is not {encoding} text: {value!r}",
                    )
                )
    return frame


def _prj_text(prj: Path) -> str:
    """Return a ``.prj`` file's text (ASCII WKT; Latin-1 read for anything else)."""
    data = prj.read_bytes()
    try:
        return data.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        return data.decode("latin-1").strip()
