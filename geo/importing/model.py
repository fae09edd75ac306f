"""What an import passes between its steps: options, read layers, problems, questions, report.

An import runs in three steps, each in its own module:

1. **read** (:mod:`geo.importing.read`): open the planner's file safely (archives, encodings,
   hardened XML) and return one :class:`RawLayer` per layer in it, coordinates untouched;
2. **analyse** (:mod:`geo.importing.pipeline`): resolve the CRS (VN-2000 through EPSG:6960), the
   axis order and the encoding, convert to WGS 84, validate every feature and field, and build
   an :class:`ImportReport` listing every :class:`ImportProblem` and :class:`Question`;
3. **commit**: write the converted layer to the store in one transaction, only when the report
   is ``ok``.

Nothing here does any work: these are the shapes the steps agree on.

Examples
--------
>>> p = ImportProblem("survey.zip", "KTC-01", "status", "vocabulary", "unknown status 'xong'")
>>> print(p)
survey.zip: feature 'KTC-01', field 'status': unknown status 'xong'
>>> p.as_json()["rule"]
'vocabulary'
>>> q = Question("crs", "No CRS in survey.shp.", "EPSG:9215")
>>> q.as_json()
{'kind': 'crs', 'message': 'No CRS in survey.shp.', 'suggestion': 'EPSG:9215'}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

import geopandas

from geo.errors import GeoError

__all__ = [
    "AXIS_ORDERS",
    "QUESTION_KINDS",
    "ImportFileError",
    "ImportOptions",
    "ImportProblem",
    "ImportReport",
    "Question",
    "RawLayer",
    "display_name",
]

#: The kinds of question an import can ask the planner (the ``--json`` contract).
QUESTION_KINDS: Final = ("crs", "encoding", "axis", "datum", "repair")
QuestionKind = Literal["crs", "encoding", "axis", "datum", "repair"]
#: ``en``: first coordinate is easting/longitude; ``ne``: northing first (X = northing, as
#: Vietnamese surveys write it).
AXIS_ORDERS: Final = ("en", "ne")
AxisOrder = Literal["en", "ne"]


class ImportFileError(GeoError):
    """A file that cannot be imported at all (unreadable, hostile archive, over a limit).

    The message names the file (and the archive member or feature where there is one).
    Nothing has been written when it is raised.
    """


@dataclass(frozen=True)
class ImportProblem:
    """One problem found in a file, per feature and field (the ``--json`` ``problems`` item).

    Attributes
    ----------
    file : str
        The file's name as the planner gave it (``survey.zip``, or ``survey.zip!lots.shp``).
    feature : str or None
        The feature's id, or ``#N`` (1-based position) when it has none; None for the file.
    field : str or None
        The field (``geometry`` for the shape); None for the whole feature or file.
    rule : str
        A short stable name of the rule broken (``invalid-geometry``, ``vocabulary``,
        ``progress-range``, ``duplicate-id``, ``outside-area`` …), for tools to act on.
    message : str
        The planner-facing sentence: what was expected, what was found, where.
    """

    file: str
    feature: str | None
    field: str | None
    rule: str
    message: str

    def __str__(self) -> str:
        """Return ``file: feature …, field …: message``."""
        where = []
        if self.feature is not None:
            where.append(f"feature {self.feature!r}")
        if self.field is not None:
            where.append(f"field {self.field!r}")
        return ": ".join([self.file, *([", ".join(where)] if where else []), self.message])

    def as_json(self) -> dict[str, Any]:
        """Return the ``{feature, field, rule, message}`` object of the ``--json`` report."""
        return {
            "feature": self.feature,
            "field": self.field,
            "rule": self.rule,
            "message": str(self),
        }


@dataclass(frozen=True)
class Question:
    """Something only the planner can decide (CRS, encoding, axis order, datum, a repair).

    Attributes
    ----------
    kind : str
        One of :data:`QUESTION_KINDS`.
    message : str
        What is uncertain and what the numbers look like.
    suggestion : str or None
        The answer to offer first, in the form the CLI option takes (``EPSG:9215``,
        ``cp1258``, ``ne``, ``drop-z``), or None when there is none.
    """

    kind: QuestionKind
    message: str
    suggestion: str | None = None

    def as_json(self) -> dict[str, Any]:
        """Return the ``{kind, message, suggestion}`` object of the ``--json`` report."""
        return {"kind": self.kind, "message": self.message, "suggestion": self.suggestion}


@dataclass(frozen=True)
class ImportOptions:
    """The planner's answers, from the Import page or the command line.

    Attributes
    ----------
    layer : str or None
        The layer id to write (``--layer``); None: from the file name.
    crs : str or None
        The source CRS to use (``--crs EPSG:N``) when the file has none or a wrong one.
    encoding : str or None
        The text encoding of attribute tables (``--encoding``), overriding ``.cpg``/detection.
    axis : str or None
        ``en`` or ``ne`` (``--axis``); None: detect where certain, else ask.
    field_map : Mapping[str, str]
        Source field → project field (``--map progress_p=progress_pct``).
    repairs : Sequence[str]
        Repairs the planner accepted (``drop-z``, ``make-valid``); never applied otherwise.
    """

    layer: str | None = None
    crs: str | None = None
    encoding: str | None = None
    axis: AxisOrder | None = None
    field_map: Mapping[str, str] = field(default_factory=dict)
    repairs: Sequence[str] = ()


@dataclass
class RawLayer:
    """One layer as read from a file, before any conversion.

    Attributes
    ----------
    file : str
        The name to show for the file (``survey.zip!lots.shp`` for an archive member).
    name : str
        The layer's name in the file (GeoPackage layer, KML document, or the file stem).
    frame : geopandas.GeoDataFrame
        Every feature, every attribute as read (decoded, NFC-normalised), geometry in the
        file's own coordinates and axis order; ``frame.crs`` is the declared CRS or None.
    crs_text : str or None
        The CRS exactly as the file declared it (``.prj`` WKT, GeoJSON ``crs`` member,
        ``EPSG:N``), or None when the file declares none.
    encoding : str or None
        The encoding the attributes were decoded with, or None for formats that are UTF-8
        by definition.
    problems : list of ImportProblem
        Problems found while reading (a feature that could not be parsed, …).
    questions : list of Question
        Questions raised while reading (an encoding that could not be told for certain …).
    """

    file: str
    name: str
    frame: geopandas.GeoDataFrame
    crs_text: str | None = None
    encoding: str | None = None
    problems: list[ImportProblem] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)


@dataclass
class ImportReport:
    """Everything known about an import before anything is written.

    Attributes
    ----------
    file : str
        The file's name.
    layer_id : str
        The layer the import would write.
    source_crs : str or None
        ``EPSG:N`` of the CRS the coordinates were read in, None while unknown.
    frame : geopandas.GeoDataFrame or None
        The converted features in EPSG:4326 (lon, lat), every attribute kept; None when the
        file cannot be converted yet (a question is open).
    problems : list of ImportProblem
        Every problem, per feature and field.
    questions : list of Question
        Every question the planner must answer.
    """

    file: str
    layer_id: str
    source_crs: str | None
    frame: geopandas.GeoDataFrame | None
    problems: list[ImportProblem] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file is importable as is: converted, no problem, no open question."""
        return self.frame is not None and not self.problems and not self.questions

    @property
    def features(self) -> int:
        """Return the number of features read (0 while the file cannot be converted)."""
        return 0 if self.frame is None else len(self.frame)

    def as_json(self) -> dict[str, Any]:
        """Return the ``--json`` object: ok, features, source_crs, problems, questions."""
        return {
            "ok": self.ok,
            "features": self.features,
            "source_crs": self.source_crs,
            "problems": [p.as_json() for p in self.problems],
            "questions": [q.as_json() for q in self.questions],
        }


def display_name(path: Path, member: str | None = None) -> str:
    """Return how a file (or an archive member) is named in messages.

    Examples
    --------
    >>> display_name(Path("/tmp/up/survey.zip"), "lots/lots.shp")
    'survey.zip!lots/lots.shp'
    >>> display_name(Path("/tmp/up/zones.geojson"))
    'zones.geojson'
    """
    return path.name if member is None else f"{path.name}!{member}"
