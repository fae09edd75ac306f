"""Command line: ``python -m geo validate``, ``info``, ``seed``, ``export``, ``import`` and more.

``seed`` and ``export`` work on the layer store (see :mod:`geo.store.commands`); ``import``
brings a planner's file into it (see :mod:`geo.importing.cli`); ``plan-lots`` draws the
illustrative lot plan (:mod:`geo.lot_commands`).

``validate`` prints every problem on its own line and a summary; it exits with 1 when there
is any problem and 0 when the data is clean, so it can gate CI. ``info`` prints a table of
every feature with its official and measured (geodesic) size.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple, TextIO

import geopandas

from geo import lot_commands
from geo.catalog import load_catalog
from geo.checks import cross_file_problems, load_unmapped
from geo.errors import DataFileError, GeoError
from geo.importing import cli as import_cli
from geo.indicators import load_indicators
from geo.io import read_layer_file
from geo.measure import area_ha, length_km
from geo.problems import Problem
from geo.registry import DEFAULT_REGISTRY_PATH, LayerSpec, Registry, load_registry
from geo.sources import load_sources
from geo.store import commands as store_commands
from geo.tour import features_by_id, load_tour, tour_path
from geo.values import is_number
from geo.vocabulary import GEOMETRY_KINDS, SCHEMAS

__all__ = ["main"]

_EXIT_OK = 0
_EXIT_PROBLEMS = 1


class _Target(NamedTuple):
    """A file to validate and how to read it."""

    layer_id: str
    file: Path
    geometry_kind: str
    schema: str


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo", description="Check and summarise the map's layers."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser(
        "validate",
        help="report every problem in the layer files (exit 1 if any)",
        description=(
            "Validate layer files against docs/data-model.md. Without FILE, every registry "
            "layer, the registry, sources.json, indicators.json, unmapped.json and tour.json "
            "are checked, "
            "and so is every reference between them (ids unique across layers, official sizes, "
            "extent, distance targets, credits). A FILE that is not in the registry is checked "
            "as a project layer whose geometry kind is that of its first feature, unless "
            "--kind/--schema say otherwise."
        ),
    )
    validate.add_argument("files", nargs="*", type=Path, metavar="FILE")
    validate.add_argument("--kind", choices=tuple(GEOMETRY_KINDS), help="geometry kind of FILE")
    validate.add_argument("--schema", choices=SCHEMAS, help="schema of FILE (default: project)")
    info = sub.add_parser(
        "info",
        help="table of features: official vs measured area/length",
        description=(
            "Print every feature with its status and accuracy, the official area (ha) or "
            "length (km) and the geodesic one measured on its geometry."
        ),
    )
    info.add_argument("--layer", action="append", metavar="ID", help="only this layer (repeatable)")
    for p in (validate, info):
        p.add_argument(
            "--registry", type=Path, default=DEFAULT_REGISTRY_PATH, help="registry.json to use"
        )
        p.add_argument(
            "--sources", type=Path, help="sources.json to use (default: beside the registry)"
        )
    store_commands.add_parsers(sub)
    lot_commands.add_parsers(sub)
    import_cli.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run the command line and return the exit status.

    Parameters
    ----------
    argv : Sequence[str] or None
        Arguments without the program name; default ``sys.argv[1:]``.
    out : TextIO or None
        Where to print; default ``sys.stdout`` at call time.

    Returns
    -------
    int
        0 when clean, 1 when any problem was found.
    """
    args = _build_parser().parse_args(argv)
    stream = out if out is not None else sys.stdout
    if args.command in store_commands.COMMANDS:
        return store_commands.run(args, stream)
    if args.command in lot_commands.COMMANDS:
        return lot_commands.run(args, stream)
    if args.command == import_cli.COMMAND:
        return import_cli.run(args, stream)
    sources_path = args.sources or args.registry.parent / "sources.json"
    if args.command == "validate":
        return _validate(args, sources_path, stream)
    return _info(args, sources_path, stream)


def _print_error(error: GeoError, out: TextIO) -> int:
    """Print an error's problems one per line; return how many lines (problems) it had."""
    problems = error.problems if isinstance(error, DataFileError) else (str(error),)
    for problem in problems:
        print(problem, file=out)
    return len(problems)


def _validate(args: argparse.Namespace, sources_path: Path, out: TextIO) -> int:
    registry: Registry | None = None
    registry_error: GeoError | None = None
    try:
        registry = load_registry(args.registry)
    except GeoError as exc:
        registry_error = exc
    n_problems = 0
    bad_files: set[str] = set()
    if registry_error is not None and not args.files:
        n_problems += _print_error(registry_error, out)
        bad_files.add(args.registry.name)
    try:
        source_ids: set[str] = set(load_sources(sources_path))
    except GeoError as exc:
        n_problems += _print_error(exc, out)
        print(f"{n_problems} problem(s); layers not checked without sources.json", file=out)
        return _EXIT_PROBLEMS
    if args.files:
        targets = [_target_for(path, registry, args) for path in args.files]
    else:
        targets = [
            _Target(spec.id, spec.file, spec.geometry_kind, spec.schema)
            for spec in (registry.layers if registry is not None else ())
        ]
    loaded: dict[str, geopandas.GeoDataFrame] = {}
    n_features = 0
    for target in targets:
        try:
            gdf = read_layer_file(
                target.file,
                geometry_kind=target.geometry_kind,
                schema=target.schema,
                source_ids=source_ids,
            )
        except GeoError as exc:
            n_problems += _print_error(exc, out)
            bad_files.add(target.file.name)
            continue
        loaded[target.layer_id] = gdf
        n_features += len(gdf)
    n_files = len(targets)
    if registry is not None and not args.files:
        unmapped: list = []
        indicators: list = []
        for path, load in (
            (registry.indicators_path, load_indicators),
            (registry.unmapped_path, load_unmapped),
        ):
            if path is None or not path.exists():
                continue
            n_files += 1
            try:
                items = load(path, source_ids=source_ids)
            except GeoError as exc:
                n_problems += _print_error(exc, out)
                bad_files.add(path.name)
                continue
            if load is load_unmapped:
                unmapped = items
            else:
                indicators = items
        problems = list(cross_file_problems(loaded, registry, source_ids, unmapped))
        tour_file = tour_path(registry.path) if registry.path is not None else None
        if tour_file is not None and tour_file.exists():
            n_files += 1
            problems += _tour_problems(tour_file, registry, loaded, indicators, source_ids)
        for problem in problems:
            print(problem, file=out)
            n_problems += 1
            bad_files.add(problem.file)
    if n_problems:
        print(
            f"{n_problems} problem(s) in {len(bad_files)} file(s); {n_files} file(s) checked",
            file=out,
        )
        return _EXIT_PROBLEMS
    print(f"OK: {n_files} file(s), {n_features} feature(s), no problems", file=out)
    return _EXIT_OK


def _tour_problems(
    path: Path,
    registry: Registry,
    loaded: dict[str, geopandas.GeoDataFrame],
    indicators: list,
    source_ids: set[str],
) -> list[Problem]:
    """Return the problems of the tour file against the layers, indicators and sources."""
    _, problems = load_tour(
        path,
        layer_ids=registry.ids,
        features=features_by_id(loaded),
        indicators={item.id: item for item in indicators},
        source_ids=source_ids,
    )
    return problems


def _target_for(path: Path, registry: Registry | None, args: argparse.Namespace) -> _Target:
    """Return how to read a file: its registry entry, else --kind/--schema or a guess."""
    resolved = path.resolve()
    if registry is not None and args.kind is None and args.schema is None:
        for spec in registry.layers:
            if spec.file.resolve() == resolved:
                return _Target(spec.id, spec.file, spec.geometry_kind, spec.schema)
    # When the kind cannot be told, reading the file reports why (missing, not JSON, ...).
    kind = args.kind or _first_geometry_kind(path) or "polygon"
    return _Target(path.stem, path, kind, args.schema or "project")


def _first_geometry_kind(path: Path) -> str | None:
    """Return the geometry kind of a file's first feature, None if it cannot be told."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        gtype = doc["features"][0]["geometry"]["type"]
    except (OSError, ValueError, LookupError, TypeError):
        return None
    return next((kind for kind, types in GEOMETRY_KINDS.items() if gtype in types), None)


def _info(args: argparse.Namespace, sources_path: Path, out: TextIO) -> int:
    try:
        registry = load_registry(args.registry)
        catalog = load_catalog(registry, sources_path=sources_path)
    except GeoError as exc:
        _print_error(exc, out)
        return _EXIT_PROBLEMS
    wanted = set(args.layer or registry.ids)
    unknown = wanted - set(registry.ids)
    if unknown:
        print(f"unknown layer id(s): {', '.join(sorted(unknown))}", file=out)
        return _EXIT_PROBLEMS
    header = ("layer", "id", "name_en", "status", "accuracy", "official", "measured", "diff %")
    rows = [header]
    for layer_id, gdf in catalog.layers.items():
        if layer_id in wanted:
            rows.extend(_info_rows(registry.get(layer_id), gdf))
    print(_table(rows), file=out)
    status = _EXIT_OK
    for layer_id, error in catalog.errors.items():
        if layer_id in wanted:
            print(f"\nlayer {layer_id!r} not loaded:", file=out)
            _print_error(error, out)
            status = _EXIT_PROBLEMS
    return status


def _info_rows(spec: LayerSpec, gdf: geopandas.GeoDataFrame) -> list[tuple[str, ...]]:
    rows = []
    for fid, row in gdf.iterrows():
        official: float | None = None
        measured: float | None = None
        unit = ""
        if spec.geometry_kind == "polygon":
            official, measured, unit = _number(row.get("area_ha")), area_ha(row.geometry), "ha"
        elif spec.geometry_kind == "line":
            official, measured, unit = _number(row.get("length_km")), length_km(row.geometry), "km"
        diff = (
            f"{(measured - official) / official * 100:+.2f}"
            if official and measured is not None
            else ""
        )
        rows.append(
            (
                spec.id,
                str(fid),
                _text(row.get("name_en", row.get("code"))),  # a lot is named by its code
                _text(row.get("status")),
                _text(row.get("geometry_accuracy")),
                f"{official:,.2f} {unit}" if official is not None else "",
                f"{measured:,.2f} {unit}" if measured is not None else "",
                diff,
            )
        )
    return rows


def _number(value: object) -> float | None:
    return float(value) if is_number(value) else None


def _text(value: object) -> str:
    return value if isinstance(value, str) else "-"


def _table(rows: Sequence[Sequence[str]]) -> str:
    """Return rows as aligned text columns; numeric columns (the last three) right-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    right = set(range(len(widths) - 3, len(widths)))
    lines = []
    for row in rows:
        cells = [
            cell.rjust(w) if i in right else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
