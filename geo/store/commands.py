"""Command line of the store: ``python -m geo seed``, ``export`` and ``users``.

``seed`` (re)creates the store (``DATABASE_URL``, else the GeoPackage in ``$LSZ_DATA_DIR`` or
``data/``) from ``layers/``; it refuses a store edited since its seed unless ``--force``.
``users`` manages accounts (:mod:`geo.store.account_commands`). ``export`` has one mode per
subject, each with its formats (:data:`EXPORT_MODES`):

- ``export --layer ID --format geojson|csv|xlsx|gpkg OUT``: a whole stored layer (GeoJSON is
  RFC 7946 with every property as stored; the others carry the notice, labels and sources,
  see :mod:`geo.exports`);
- ``export --lot LOT_ID --format pdf [--lang vi|en|zh] OUT``: the one-page A4 sheet of a lot.

Each command prints one line saying what it did, or every problem and exits with 1; nothing
is written then. Kept apart from :mod:`geo.cli` (which registers them) so that the store's
libraries are imported only when a store command runs.
"""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path
from typing import Any, Final, TextIO

from geo.registry import DEFAULT_REGISTRY_PATH
from geo.store import account_commands, backup_commands

__all__ = ["COMMANDS", "add_parsers", "run"]

COMMANDS: Final = ("seed", "export", "users", *backup_commands.COMMANDS)
#: What ``export`` can write, per mode (the option naming its subject). A new mode (a view
#: export with no --layer/--lot) adds its entry here and a branch in :func:`_export`.
EXPORT_MODES: Final = {
    "layer": ("geojson", "csv", "xlsx", "gpkg"),
    "lot": ("pdf",),
}
EXPORT_FORMATS: Final = tuple(dict.fromkeys(f for fs in EXPORT_MODES.values() for f in fs))


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``seed`` and ``export`` sub-commands to ``python -m geo``'s parser."""
    seed = sub.add_parser(
        "seed",
        help="(re)create the layer store from layers/",
        description=(
            "Replace everything in the store (DATABASE_URL, else data/lsz.gpkg or "
            "$LSZ_DATA_DIR/lsz.gpkg) with the layers of the registry, in one transaction. "
            "Layer versions go on counting; nothing is written when any layer has a problem."
        ),
    )
    seed.add_argument(
        "--registry", type=Path, default=DEFAULT_REGISTRY_PATH, help="registry.json to seed from"
    )
    seed.add_argument(
        "--force",
        action="store_true",
        help="replace a store that was edited or imported into since its seed (the audit "
        "log is kept, and says so)",
    )
    export = sub.add_parser(
        "export",
        help="write a stored layer, a lot sheet (PDF), or the map view / tour (HTML, PNG, PDF)",
        description=(
            "Write one stored layer in WGS 84 (--layer: geojson is RFC 7946 with every property "
            "kept; csv, xlsx and gpkg carry the for-reference-only notice, the illustrative "
            "labels and the sources), the one-page A4 sheet of a lot (--lot, pdf), or, with "
            "neither, the map view or the tour (html, png, pdf)."
        ),
    )
    subject = export.add_mutually_exclusive_group()
    subject.add_argument("--layer", metavar="ID", help="the stored layer's id")
    subject.add_argument("--lot", metavar="LOT_ID", help="a lot's id (a PDF lot sheet)")
    export.add_argument(
        "--format",
        required=True,
        choices=tuple(dict.fromkeys((*EXPORT_FORMATS, *_view_formats()))),
        help="; ".join(
            [f"with --{mode}: {', '.join(fs)}" for mode, fs in EXPORT_MODES.items()]
            + [f"with neither (the view): {', '.join(_view_formats())}"]
        ),
    )
    export.add_argument("out", type=Path, metavar="OUT", help="the file to write")
    _add_view_export(export)  # its --lang is also the language of a layer's or lot's notes
    account_commands.add_parser(sub)
    backup_commands.add_parsers(sub)


def _export_mode(args: argparse.Namespace) -> str:
    """Return the export's mode, or raise ExportError saying which option and format fit."""
    from geo.errors import ExportError

    modes = [mode for mode in EXPORT_MODES if getattr(args, mode, None) is not None]
    if not modes:
        options = " or ".join(f"--{mode}" for mode in EXPORT_MODES)
        raise ExportError(f"export: say what to export with {options}")
    mode = modes[0]
    if args.format not in EXPORT_MODES[mode]:
        raise ExportError(
            f"export --{mode}: --format must be one of {', '.join(EXPORT_MODES[mode])}; "
            f"got {args.format!r}"
        )
    return mode


def _view_formats() -> tuple[str, ...]:
    from geo.exports.view_cli import VIEW_FORMATS

    return VIEW_FORMATS


def _add_view_export(export: argparse.ArgumentParser) -> None:
    """Add the view exports' options (used without ``--layer``; see ``geo.exports.view_cli``)."""
    from geo.exports.view_cli import add_view_arguments

    export.add_argument(
        "--registry", type=Path, default=DEFAULT_REGISTRY_PATH, help="registry.json (views)"
    )
    add_view_arguments(export)


def _run_view_export(args: argparse.Namespace, out: TextIO) -> int | None:
    """Run a view export (no --layer, no --lot); None for a layer or lot export."""
    from geo.exports.view_cli import VIEW_FORMATS, run_view_export

    if args.layer is None and args.lot is None:
        if args.format in VIEW_FORMATS:
            return run_view_export(args, out)
        options = " or ".join(f"--{mode}" for mode in EXPORT_MODES)
        print(
            f"error: export: say what to export with {options} (the view's formats are "
            f"{', '.join(VIEW_FORMATS)}; got {args.format!r})",
            file=out,
        )
        return 1
    return None


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Run a store command; print its result or its problems; return the exit status."""
    if args.command == "export" and (status := _run_view_export(args, out)) is not None:
        return status
    from geo.errors import GeoError
    from geo.store.core import open_store, seed_store

    if args.command == "users":
        return account_commands.run(args, out)
    if args.command in backup_commands.COMMANDS:
        return backup_commands.run(args, out)
    try:
        if args.command == "seed":
            label, versions = seed_store(args.registry, force=args.force, user=getpass.getuser())
            print(
                f"seeded {label}: {len(versions)} layer(s) from {args.registry} "
                f"({', '.join(f'{k} v{v}' for k, v in versions.items())})",
                file=out,
            )
            return 0
        mode = _export_mode(args)
        with open_store() as store:
            message = _export(store, mode, args)
        print(message, file=out)
        return 0
    except GeoError as exc:
        print(f"error: {exc}", file=out)
        return 1


def _sources() -> dict[str, Any]:
    from geo.sources import load_sources

    return dict(load_sources(DEFAULT_REGISTRY_PATH.parent / "sources.json"))


def _export(store: Any, mode: str, args: argparse.Namespace) -> str:
    """Write the export of ``mode``; return the line that says what was written."""
    if mode == "layer":
        layer_id = args.layer
        version = store.versions().get(layer_id)
        if args.format == "geojson":
            from geo.store.export import write_geojson

            count = write_geojson(args.out, store.features(layer_id))
            kind = "RFC 7946 GeoJSON"
        else:
            from geo.exports import write_export

            gdf = store.read_layer(layer_id)
            entry = next(e for e in store.entries() if e["id"] == layer_id)
            title = entry["title"][args.lang]
            count = write_export(
                args.out, gdf, args.format, title=title, sources=_sources(), lang=args.lang
            )
            kind = args.format.upper()
        return f"wrote {args.out}: layer {layer_id!r} v{version}, {count} feature(s), {kind}"
    from geo.exports.lot_sheet import write_lot_sheet

    snapshot = store.snapshot()
    lot_layers = [e["id"] for e in snapshot.entries if e.get("schema") == "lot"]
    holder = next((lid for lid in lot_layers if args.lot in snapshot.layers[lid].index), None)
    if holder is None:
        from geo.errors import ExportError

        raise ExportError(
            f"no lot {args.lot!r} in the store (lot layers: {', '.join(lot_layers) or 'none'})"
        )
    write_lot_sheet(
        args.out,
        args.lot,
        lots=snapshot.layers[holder],
        layers=snapshot.layers,
        sources=_sources(),
        lang=args.lang,
    )
    version = dict(snapshot.stamp[1])[holder]
    return (
        f"wrote {args.out}: lot {args.lot!r} of layer {holder!r} v{version}, A4 PDF ({args.lang})"
    )
