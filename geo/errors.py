"""The error hierarchy of the geo package.

Every error raised on purpose by ``geo`` derives from :class:`GeoError`, so a caller (the app,
the CLI) can catch one base class and show the message, which always says what was expected,
what arrived and where.

Examples
--------
>>> from pathlib import Path
>>> from geo.problems import Problem
>>> p = Problem("zones.geojson", "zone-x", "status", "one of planned, unknown", "'finished'")
>>> print(LayerError(Path("layers/zones.geojson"), [p]))
zones.geojson: feature 'zone-x', field 'status': expected one of planned, unknown; found 'finished'
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geo.problems import Problem

__all__ = [
    "BasemapError",
    "CRSError",
    "DataFileError",
    "ExportError",
    "GeoError",
    "LayerError",
    "RegistryError",
    "SourcesError",
    "StoreError",
]


class GeoError(Exception):
    """Base class of every error raised on purpose by the geo package."""


class DataFileError(GeoError):
    """An error about one data file, carrying every problem found in it.

    Parameters
    ----------
    path : Path
        The file the problems were found in.
    problems : Iterable[Problem]
        Every problem found (at least one); ``str()`` gives one line per problem.
    """

    def __init__(self, path: Path, problems: Iterable[Problem]) -> None:
        self.path = Path(path)
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError(f"{type(self).__name__} needs at least one problem")
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple:
        """Pickle as ``(path, problems)``: the app's cache stores errors whole.

        Examples
        --------
        >>> import pickle
        >>> from geo.problems import Problem
        >>> error = LayerError(Path("z.geojson"), [Problem("z.geojson", "z-1", "status", "x", "y")])
        >>> again = pickle.loads(pickle.dumps(error))
        >>> type(again).__name__, again.problems == error.problems, str(again) == str(error)
        ('LayerError', True, True)
        """
        return (type(self), (self.path, self.problems))


class LayerError(DataFileError):
    """A layer file that cannot be loaded: missing, not JSON, no CRS, bad geometry or schema."""


class SourcesError(DataFileError):
    """A ``sources.json`` file that is missing or breaks the data model."""


class RegistryError(DataFileError):
    """A ``registry.json`` file that is missing or breaks the data model."""


class BasemapError(DataFileError):
    """The offline basemap's data file is missing or breaks its contract."""


class CRSError(GeoError):
    """A coordinate reference system that is missing, unknown or cannot be transformed."""


class ExportError(GeoError):
    """An export that cannot be made as asked (format, subject, lot); nothing was written."""


class StoreError(GeoError):
    """The layer store cannot be opened, read or written; nothing was written.

    The message names the store (its URL without password), the layer and, where one is at
    fault, the feature and field.
    """
