"""Reporting a breach of the data model: :class:`Problem` and the helpers that word it.

A leaf module (it imports nothing from ``geo``), so every loader, validator and error class
can report problems the same way without importing the validators. Validators never stop
at the first breach: they return every :class:`Problem` found, each saying where (file,
feature id, field), what was expected and what arrived.
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

__all__ = ["MISSING", "Problem", "show", "unknown_field_expected"]

_SHOW_MAX_CHARS = 80


@dataclass(frozen=True)
class Problem:
    """One breach of the data model: where it is, what was expected, what was found.

    Parameters
    ----------
    file : str
        File name, e.g. ``"zones.geojson"``.
    feature_id : str or None
        The feature's ``id`` (or a registry layer id, a source id: see ``item``); None when
        the problem is about the whole file or the feature has no usable id.
    field : str
        The field, with a path for nested values (``"milestones[2].status"``); empty for a
        problem about the file as a whole.
    expected : str
        What the data model asks for.
    found : str
        What arrived, shown as in the file (strings quoted).
    feature_index : int or None
        Position of the feature in the file, shown when ``feature_id`` is None.
    item : str
        What ``feature_id`` names: ``"feature"``, ``"layer"`` (registry), ``"source"``,
        ``"indicator"``, ``"item"`` (``unmapped.json``) or ``"distance target"``.

    Examples
    --------
    >>> print(Problem("zones.geojson", None, "id", "a string", "null", feature_index=3))
    zones.geojson: feature #3, field 'id': expected a string; found null
    """

    file: str
    feature_id: str | None
    field: str
    expected: str
    found: str
    feature_index: int | None = None
    item: str = "feature"

    def __str__(self) -> str:
        """Return the problem as one line: ``file: feature 'x', field 'f': expected …; found …``."""
        where = []
        if self.feature_id is not None:
            where.append(f"{self.item} {self.feature_id!r}")
        elif self.feature_index is not None:
            where.append(f"{self.item} #{self.feature_index}")
        if self.field:
            where.append(f"field {self.field!r}")
        place = f"{self.file}: {', '.join(where)}: " if where else f"{self.file}: "
        return f"{place}expected {self.expected}; found {self.found}"


class _Missing:
    """The value of a field that is absent (distinct from JSON null)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()
"""Stands for an absent field in :func:`show`."""


def show(value: object) -> str:
    """Show a JSON value as it would appear in the file, shortened, for a message.

    Examples
    --------
    >>> show("finished"), show(None), show(True), show(float("nan")), show(MISSING)
    ("'finished'", 'null', 'true', 'NaN', 'nothing (the field is missing)')
    """
    if value is MISSING:
        return "nothing (the field is missing)"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    text = repr(value) if isinstance(value, str | int | float) else _dumps(value)
    if len(text) > _SHOW_MAX_CHARS:
        text = text[: _SHOW_MAX_CHARS - 1] + "…"
    return text


def _dumps(value: object) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def unknown_field_expected(key: str, allowed: Sequence[str], what: str) -> str:
    """Return the ``expected`` text for a field that should not be there, with a hint.

    Examples
    --------
    >>> unknown_field_expected("progres_pct", ["progress_pct", "status"], "the project schema")
    "no such field in the project schema (did you mean 'progress_pct'?)"
    """
    near = difflib.get_close_matches(key, allowed, n=1)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    return f"no such field in {what}{hint}"
