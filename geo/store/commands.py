"""Command line of the store: ``python -m geo seed``, ``export`` and ``users``.

``seed`` (re)creates the store (``DATABASE_URL``, else the GeoPackage in ``$LSZ_DATA_DIR`` or
``data/``) from ``layers/``; ``export --layer ID --format geojson OUT`` writes a stored layer
out as RFC 7946 GeoJSON; ``users`` manages accounts (:mod:`geo.store.account_commands`).
``seed`` refuses a store edited since its seed unless ``--force``. They print one line
saying what they did, or every problem and exit with 1; nothing is written then. Kept apart
from :mod:`geo.cli` (which registers them) so that the store's libraries are imported only
when a store command runs.
"""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path
from typing import Final, TextIO

from geo.registry import DEFAULT_REGISTRY_PATH
from geo.store import account_commands

__all__ = ["COMMANDS", "add_parsers", "run"]

COMMANDS: Final = ("seed", "export", "users")
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
    seed.add_argument(
        "--force",
        action="store_true",
        help="replace a store that was edited or imported into since its seed (the audit "
        "log is kept, and says so)",
    )
    export = sub.add_parser(
        "export",
        help="write a stored layer as RFC 7946 GeoJSON",
        description="Write one stored layer, every property kept, in WGS 84 (RFC 7946).",
    )
    export.add_argument("--layer", required=True, metavar="ID", help="the stored layer's id")
    export.add_argument("--format", required=True, choices=EXPORT_FORMATS, help="file format")
    export.add_argument("out", type=Path, metavar="OUT", help="the file to write")
    account_commands.add_parser(sub)


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Run a store command; print its result or its problems; return the exit status."""
    from geo.errors import GeoError
    from geo.store.core import open_store, seed_store

    if args.command == "users":
        return account_commands.run(args, out)
    try:
        if args.command == "seed":
            label, versions = seed_store(args.registry, force=args.force, user=getpass.getuser())
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
