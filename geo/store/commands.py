"""Command line of the store: ``python -m geo seed`` and ``python -m geo export``.

``seed`` (re)creates the store (``DATABASE_URL``, else the GeoPackage in ``$LSZ_DATA_DIR`` or
``data/``) from ``layers/``; ``export --layer ID --format geojson OUT`` writes a stored layer
out as RFC 7946 GeoJSON. Both print one line saying what they did, or every problem and exit
with 1; nothing is written then. Kept apart from :mod:`geo.cli` (which registers them) so that
the store's libraries are imported only when a store command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Final, TextIO

from geo.registry import DEFAULT_REGISTRY_PATH

__all__ = ["COMMANDS", "add_parsers", "run"]

COMMANDS: Final = ("seed", "export")
EXPORT_FORMATS: Final = ("geojson",)


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
    export = sub.add_parser(
        "export",
        help="write a stored layer as RFC 7946 GeoJSON, or the map view / tour (HTML, PNG, PDF)",
        description="Write one stored layer, every property kept, in WGS 84 (RFC 7946).",
    )
    export.add_argument("--layer", metavar="ID", help="the stored layer's id")
    export.add_argument(
        "--format", required=True, choices=(*EXPORT_FORMATS, *_view_formats()), help="file format"
    )
    export.add_argument("out", type=Path, metavar="OUT", help="the file to write")
    _add_view_export(export)


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
    """Run a view export, or say why the arguments are not one; None for a layer export."""
    from geo.exports.view_cli import VIEW_FORMATS, run_view_export

    if args.layer is None and args.format in VIEW_FORMATS:
        return run_view_export(args, out)
    if args.layer is None:
        print(f"error: --format {args.format} needs --layer ID", file=out)
        return 1
    if args.format in VIEW_FORMATS:
        print(f"error: --format {args.format} exports the map view: leave out --layer", file=out)
        return 1
    return None


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Run a store command; print its result or its problems; return the exit status."""
    if args.command == "export" and (status := _run_view_export(args, out)) is not None:
        return status
    from geo.errors import GeoError
    from geo.store.core import open_store, seed_store

    try:
        if args.command == "seed":
            label, versions = seed_store(args.registry)
            print(
                f"seeded {label}: {len(versions)} layer(s) from {args.registry} "
                f"({', '.join(f'{k} v{v}' for k, v in versions.items())})",
                file=out,
            )
            return 0
        with open_store() as store:
            from geo.store.export import write_geojson

            count = write_geojson(args.out, store.features(args.layer))
            version = store.versions()[args.layer]
            print(
                f"wrote {args.out}: layer {args.layer!r} v{version}, {count} feature(s), "
                "RFC 7946 GeoJSON",
                file=out,
            )
        return 0
    except GeoError as exc:
        print(f"error: {exc}", file=out)
        return 1
