"""``python -m geo import``: analyse a planner's file, report, and write it to the store.

The contract (other tools depend on it)::

    python -m geo import FILE [--layer ID] [--crs EPSG:N] [--encoding NAME] [--axis en|ne]
                              [--map SRC=DST ...] [--dry-run] [--json] [--out OUT.geojson]

- ``--json`` prints exactly one JSON object: ``ok``, ``features``, ``source_crs``,
  ``problems`` (``{feature, field, rule, message}``) and ``questions``
  (``{kind, message, suggestion}``); without it, one line per problem and question.
- ``--dry-run`` writes nothing to the store (nor creates it); ``--out`` writes the converted
  features as RFC 7946 GeoJSON when the file is importable.
- Exit status 0 only when the file is importable as is and, without ``--dry-run``, written;
  1 with the report otherwise; 2 for a malformed command line (argparse). Bad input never
  gives a traceback.

Kept apart from :mod:`geo.cli` (which registers it) so that the import's libraries are
imported only when it runs. Repairs are accepted on the Import page, not here: the command
line only reports them (the contract has no option for them).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, Final, TextIO

__all__ = ["COMMAND", "add_parser", "run"]

COMMAND: Final = "import"
_EXIT_OK: Final = 0
_EXIT_NOT_IMPORTED: Final = 1


def _mapping(text: str) -> tuple[str, str]:
    src, sep, dst = text.partition("=")
    if not sep or not src.strip() or not dst.strip():
        raise argparse.ArgumentTypeError(
            f"expected SRC=DST (e.g. progress_p=progress_pct); got {text!r}"
        )
    return src.strip(), dst.strip()


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``import`` sub-command to ``python -m geo``'s parser."""
    p = sub.add_parser(
        COMMAND,
        help="import a survey file (GeoJSON, zipped Shapefile, ...) into the layer store",
        description=(
            "Read FILE, resolve its CRS (VN-2000 through EPSG:6960) and axis order, convert it "
            "to WGS 84, validate every feature, and write it as one layer in one transaction. "
            "Exit 0 only when importable as is (and written, without --dry-run)."
        ),
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--layer", metavar="ID", help="layer id to write (default: from the file name)")
    p.add_argument(
        "--crs",
        metavar="EPSG:N",
        help="the CRS of the coordinates, when the file has none or a wrong one",
    )
    p.add_argument("--encoding", metavar="NAME", help="attribute encoding (e.g. cp1258)")
    p.add_argument(
        "--axis", choices=("en", "ne"), help="coordinate order: en (easting first) or ne"
    )
    p.add_argument(
        "--map",
        dest="field_map",
        action="append",
        type=_mapping,
        default=[],
        metavar="SRC=DST",
        help="rename source field SRC to DST (repeatable)",
    )
    p.add_argument("--dry-run", action="store_true", help="write nothing to the store")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--out", type=Path, metavar="OUT.geojson", help="write the converted features")


def _stored_entries(dry_run: bool) -> tuple[list[dict[str, Any]] | None, Any]:
    """Return the store's entries and the open store.

    A dry run never creates or seeds a store: when there is none yet, the entries are None
    (the seed registry stands in) and so is the store.
    """
    from geo.store.core import connect_store, open_store, store_url

    url = store_url()
    if not dry_run:
        store = open_store(url)
        return store.entries(), store
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return None, None
    # connect_store creates nothing (open_store would create and seed).
    store = connect_store(url)
    try:
        ready = store.is_ready()
    except BaseException:  # not swallowed: close the connection, then re-raise as is
        store.close()
        raise
    if not ready:
        store.close()
        return None, None
    return store.entries(), store


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``import``; print its report; return the exit status."""
    from geo.errors import GeoError
    from geo.importing.model import ImportOptions, ImportProblem, ImportReport
    from geo.importing.pipeline import analyse, commit, report_features

    field_map: dict[str, str] = {}
    duplicates = []
    for src, dst in args.field_map:
        if src in field_map:
            duplicates.append(src)
        field_map[src] = dst
    options = ImportOptions(
        layer=args.layer,
        crs=args.crs,
        encoding=args.encoding,
        axis=args.axis,
        field_map=field_map,
    )
    store = None
    written: int | None = None
    report: ImportReport | None = None
    try:
        entries, store = _stored_entries(args.dry_run)
        taken = store.feature_ids() if store is not None else None
        report = analyse(args.file, options, entries=entries, taken_ids=taken)
        report.problems.extend(
            ImportProblem(args.file.name, None, src, "field-map", f"--map {src}=… given twice")
            for src in duplicates
        )
        if report.ok and args.out is not None:
            from geo.store.export import write_geojson

            try:
                write_geojson(args.out, report_features(report))
            except GeoError as exc:  # before any store write: nothing is written
                report.problems.append(ImportProblem(args.file.name, None, None, "out", str(exc)))
        if report.ok and not args.dry_run:
            written = commit(report, store)
    except GeoError as exc:  # the store (or --out) refused: reported, nothing written
        if report is None:
            report = ImportReport(args.file.name, args.layer or "", None, None)
        message = str(exc).removeprefix(f"{args.file.name}: ")
        report.problems.append(ImportProblem(args.file.name, None, None, "store", message))
    finally:
        if store is not None:
            store.close()
    _print(report, written, args, out)
    return _EXIT_OK if report.ok and (args.dry_run or written is not None) else _EXIT_NOT_IMPORTED


def _print(report: Any, written: int | None, args: argparse.Namespace, out: TextIO) -> None:
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False), file=out)
        return
    for problem in report.problems:
        print(f"problem [{problem.rule}] {problem}", file=out)
    for question in report.questions:
        hint = f" (suggestion: {question.suggestion})" if question.suggestion else ""
        print(f"question [{question.kind}] {question.message}{hint}", file=out)
    summary = (
        f"{report.file}: {report.features} feature(s), source CRS {report.source_crs or 'unknown'}"
    )
    if written is not None:
        print(f"{summary}; written as layer {report.layer_id!r} v{written}", file=out)
    elif report.ok:
        print(
            f"{summary}; importable as layer {report.layer_id!r} (dry run: nothing written)",
            file=out,
        )
    else:
        print(
            f"{summary}; not imported: {len(report.problems)} problem(s), "
            f"{len(report.questions)} question(s); nothing was written",
            file=out,
        )
