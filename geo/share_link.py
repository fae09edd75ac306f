"""Links to a view of the public map, and their QR codes (drawn here, never fetched).

The base address of the public map is the setting ``LSZ_PUBLIC_URL`` (environment), default
:data:`DEFAULT_PUBLIC_URL`; a view is its query string (see ``ui.query``). The QR code is made
by ``segno`` on the machine: a matrix of modules, an SVG or a PNG.

Examples
--------
>>> view_link({"page": "tour", "stop": "3", "lang": "en"}, base="https://map.example.vn/")
'https://map.example.vn/?page=tour&stop=3&lang=en'
>>> matrix = qr_matrix("https://map.example.vn/?page=tour&stop=3")
>>> len(matrix) == len(matrix[0]) >= 21
True
>>> qr_svg("x").startswith("<svg")
True
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from typing import Final
from urllib.parse import urlencode

import segno

__all__ = [
    "DEFAULT_PUBLIC_URL",
    "PUBLIC_URL_ENV",
    "public_url",
    "qr_matrix",
    "qr_png",
    "qr_svg",
    "view_link",
]

#: The setting naming the public map's address (what the audience's phones open).
PUBLIC_URL_ENV: Final = "LSZ_PUBLIC_URL"
#: Used when the setting is empty: the app as ``make run`` serves it on this machine.
DEFAULT_PUBLIC_URL: Final = "http://localhost:8501/"
#: Error correction "M" (15 %): readable from a projector screen or a print.
_ERROR: Final = "m"


def public_url() -> str:
    """Return the public map's base address: ``$LSZ_PUBLIC_URL``, else the default."""
    return os.environ.get(PUBLIC_URL_ENV, "").strip() or DEFAULT_PUBLIC_URL


def view_link(query: Mapping[str, str], *, base: str | None = None) -> str:
    """Return the link to a view: the base address with the view's query string."""
    root = (base or public_url()).split("?", 1)[0]
    return f"{root}?{urlencode(dict(query))}" if query else root


def qr_matrix(link: str) -> list[list[bool]]:
    """Return the QR code of ``link`` as rows of modules (True = dark), quiet zone excluded."""
    code = segno.make(link, error=_ERROR, micro=False)
    return [[bool(v) for v in row] for row in code.matrix]


def qr_svg(link: str, *, scale: int = 6) -> str:
    """Return the QR code of ``link`` as an SVG document (dark on white, no XML declaration)."""
    code = segno.make(link, error=_ERROR, micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=scale, xmldecl=False, svgns=True, light="#fff")
    return out.getvalue().decode("utf-8")


def qr_png(link: str, *, scale: int = 8) -> bytes:
    """Return the QR code of ``link`` as PNG bytes."""
    code = segno.make(link, error=_ERROR, micro=False)
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, light="#fff")
    return out.getvalue()
