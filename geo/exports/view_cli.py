"""``python -m geo export --format html|png|pdf [--tour] ... OUT``: the view exports' command line.

Registered by :mod:`geo.store.commands` on its ``export`` sub-command: without ``--layer``, the
export is of the map view (the registry's default layers, home view, today's date) or, with
``--tour``, of the tour (HTML: the whole tour in one file; PDF: one page per stop; PNG: the stop
``--stop``). The layers are read from the registry's files (``--registry``). Nothing is written
when anything goes wrong; the message says what.
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Final, TextIO

from geo.i18n import DEFAULT_LANGUAGE, LANGUAGES

if TYPE_CHECKING:
    from geo.exports.view_spec import ExportView, ViewMaterial

__all__ = ["VIEW_FORMATS", "add_view_arguments", "run_view_export"]

VIEW_FORMATS: Final = ("html", "png", "pdf")


def add_view_arguments(export: argparse.ArgumentParser) -> None:
    """Add the view export's options to the ``export`` sub-command."""
    from geo.exports.view_print import DEFAULT_DPI, PAPERS

    view = export.add_argument_group(
        "view exports (--format html|png|pdf, without --layer)",
        "The map view, or the tour with --tour. Set LSZ_PUBLIC_URL to the public map's "
        "address for the QR codes' links.",
    )
    view.add_argument("--tour", action="store_true", help="the tour instead of the map view")
    view.add_argument("--stop", type=int, default=1, metavar="N", help="stop of a PNG (from 1)")
    view.add_argument("--paper", choices=tuple(PAPERS), default="A4", help="paper (PNG/PDF)")
    view.add_argument("--portrait", action="store_true", help="portrait (default: landscape)")
    view.add_argument("--dpi", type=int, default=DEFAULT_DPI, metavar="N", help="PNG resolution")
    view.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE, help="language")
    view.add_argument("--feature", metavar="ID", help="frame and highlight this feature")
    view.add_argument(
        "--date", type=dt.date.fromisoformat, metavar="YYYY-MM-DD", help="as of (default today)"
    )


def run_view_export(args: argparse.Namespace, out: TextIO) -> int:
    """Write the view export ``args`` asks for; print what was written; return the status."""
    from geo.errors import GeoError
    from geo.exports.view_spec import ExportView, load_material, stop_query, stop_view
    from geo.share_link import view_link

    try:
        material = load_material(args.registry)
    except GeoError as exc:
        print(f"error: {exc}", file=out)
        return 1
    lang = args.lang
    if args.tour:
        stops = material.stops
        if not stops:
            print("error: the tour has no valid stop (python -m geo validate says why)", file=out)
            return 1
        views = [
            stop_view(stop, lang, count=len(stops), link=view_link(stop_query(stop, lang)))
            for stop in stops
        ]
    else:
        known = (args.feature in layer.data.index for layer in material.layers.values())
        if args.feature and not any(known):
            print(f"error: --feature {args.feature!r}: no loaded feature has this id", file=out)
            return 1
        layers = tuple(spec.id for spec in material.registry.layers if spec.visible)
        view = ExportView(
            lang=lang, layers=layers, as_of=args.date or dt.date.today(), feature=args.feature
        )
        views = [replace(view, link=view_link(view.query()))]
    data = _render(args, material, views)
    if data is None:
        print(f"error: --stop {args.stop}: the tour has {len(views)} stop(s)", file=out)
        return 1
    path: Path = args.out
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)
    what = f"tour ({len(views)} stops)" if args.tour else "map view"
    print(f"wrote {path}: {what}, {args.format.upper()}, {len(data):,} bytes", file=out)
    return 0


def _render(
    args: argparse.Namespace, material: ViewMaterial, views: list[ExportView]
) -> bytes | None:
    from geo.exports.view_html import tour_html, view_html
    from geo.exports.view_print import render_pdf_pages, render_print

    if args.format == "html":
        if args.tour:
            html = tour_html(material, args.lang, links=[v.link for v in views])
        else:
            html = view_html(views[0], material)
        return html.encode("utf-8")
    if args.format == "pdf" and args.tour:
        return render_pdf_pages(views, material, paper=args.paper, portrait=args.portrait)
    index = args.stop - 1 if args.tour else 0
    if not 0 <= index < len(views):
        return None
    return render_print(
        views[index],
        material,
        fmt=args.format,
        paper=args.paper,
        portrait=args.portrait,
        dpi=args.dpi,
    )
