"""Command line of the illustrative lot plan: ``python -m geo plan-lots [--check]``.

Draws the lots of every zone whose outline is drawn (``geometry_accuracy`` surveyed,
digitised or schematic; see :data:`geo.lot_plan.DRAWN_ACCURACIES`) by the rules of
``layers/recipes/lot_plan.json`` and writes ``layers/lots.geojson`` (the registry's ``lots``
file). ``--check`` writes nothing and exits with 1 when the shipped file is not exactly what
the rules draw. Kept apart from :mod:`geo.cli`, which registers it.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import Final, TextIO

from geo.registry import DEFAULT_REGISTRY_PATH

__all__ = ["COMMANDS", "LOTS_LAYER", "add_parsers", "run"]

COMMANDS: Final = ("plan-lots",)
#: The registry layer the plan is written to, and the zones it is drawn in.
LOTS_LAYER: Final = "lots"
ZONES_LAYER: Final = "zones"


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``plan-lots`` sub-command to ``python -m geo``'s parser."""
    from geo.lot_plan import RULES_PATH

    plan = sub.add_parser(
        "plan-lots",
        help="draw the illustrative lot plan into layers/lots.geojson",
        description=(
            "Draw the illustrative lots of every zone whose outline is drawn (not the "
            "illustrative circles) by the rules of layers/recipes/lot_plan.json, and write the "
            "registry's 'lots' file. The same zones and rules give the same bytes."
        ),
    )
    plan.add_argument(
        "--registry", type=Path, default=DEFAULT_REGISTRY_PATH, help="registry.json to use"
    )
    plan.add_argument("--rules", type=Path, default=RULES_PATH, help="lot_plan.json to use")
    plan.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when the lots file differs from what the rules draw",
    )


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``plan-lots``; print what it did or the problem; return the exit status."""
    from geo.errors import GeoError
    from geo.io import read_layer
    from geo.lot_plan import load_rules, lots_geojson, plan_layer
    from geo.registry import load_registry
    from geo.sources import load_sources

    try:
        registry = load_registry(args.registry)
        sources = load_sources(args.registry.parent / "sources.json")
        zones = read_layer(registry.get(ZONES_LAYER), source_ids=set(sources))
        lots = plan_layer(zones, load_rules(args.rules))
        target = registry.get(LOTS_LAYER).file
    except GeoError as exc:
        print(f"error: {exc}", file=out)
        return 1
    text = lots_geojson(lots)
    zone_ids = ", ".join(sorted(set(lots["zone_id"])))
    if args.check:
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current != text:
            print(
                f"{target}: not what the rules draw ({len(lots)} lot(s) in {zone_ids}); "
                "run `python -m geo plan-lots`",
                file=out,
            )
            return 1
        print(f"{target}: up to date ({len(lots)} lot(s) in {zone_ids})", file=out)
        return 0
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
        stream.write(text)
    os.chmod(tmp, 0o644)  # mkstemp makes it private; a data file is readable by all
    os.replace(tmp, target)
    print(f"wrote {target}: {len(lots)} lot(s) in {zone_ids}", file=out)
    return 0
