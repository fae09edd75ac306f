"""Reading one JSON data file, or saying exactly where it breaks.

A leaf module (it imports only :mod:`geo.errors` and :mod:`geo.problems`), so every loader
(layers, registry, sources, indicators, the store) reads JSON the same way without
importing the others.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from geo.errors import DataFileError, LayerError
from geo.problems import Problem

__all__ = ["read_json"]


def read_json(path: Path, error: type[DataFileError] = LayerError) -> Any:
    """Parse a UTF-8 JSON file, or raise ``error`` saying where it breaks.

    Parameters
    ----------
    path : Path
        The file.
    error : type
        The :class:`~geo.errors.GeoError` subclass to raise (``LayerError``,
        ``RegistryError``, ``SourcesError``), built from ``(path, problems)``.

    Returns
    -------
    Any
        The parsed document.

    Raises
    ------
    LayerError (or ``error``)
        When the file is missing or unreadable, not UTF-8, or not JSON (with line and column).

    Examples
    --------
    >>> read_json(Path("/nonexistent/zones.geojson"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geo.errors.LayerError: zones.geojson: expected an existing file; found no file at ...
    """
    path = Path(path)
    name = path.name

    def fail(expected: str, found: str) -> DataFileError:
        return error(path, [Problem(name, None, "", expected, found)])

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise fail("an existing file", f"no file at {path}") from None
    except UnicodeDecodeError as exc:
        raise fail("UTF-8 text", f"{exc.reason} at byte {exc.start}") from exc
    except OSError as exc:
        raise fail("a readable file", f"{type(exc).__name__}: {exc.strerror}") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise fail("valid JSON", f"{exc.msg} at line {exc.lineno}, column {exc.colno}") from exc
