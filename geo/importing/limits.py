"""The stated limits of an import, in one place: file size, features, vertices, archives.

Every refusal quotes the number it enforces, so a planner knows what to split or simplify.
The numbers are sized for the province's largest surveys (a 200,000-parcel cadastral
GeoPackage in EPSG:9215 is well inside every one) on a shared two-core server: past them a
file is more likely a mistake or an attack than a survey. Tests pass smaller :class:`Limits`
instead of writing gigabytes.

Examples
--------
>>> LIMITS.max_features
1000000
>>> Limits(max_zip_members=3).max_zip_members
3
>>> megabytes(1_572_864)
'1.5 MB'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = ["LIMITS", "MB", "Limits", "megabytes"]

MB: Final = 1024 * 1024
"""Bytes in one megabyte as the limits count them (MiB)."""


@dataclass(frozen=True)
class Limits:
    """The numbers an import is held to; :data:`LIMITS` holds the ones in force."""

    max_file_mb: float = 500
    """Largest file accepted, in MB: 2.5 times a 200,000-parcel GeoPackage (~200 MB), and
    small enough that reading it stays within the server's memory."""

    max_features: int = 1_000_000
    """Most features in one layer: five times the largest cadastral survey (200,000
    parcels); more is a province-wide dump that belongs in PostGIS directly."""

    max_vertices_per_feature: int = 1_000_000
    """Most vertices in one feature: a province boundary digitised at 1 m has ~300,000; a
    feature past a million is a scanning artefact that no planner can review."""

    max_vertices_total: int = 20_000_000
    """Most vertices in one layer (~320 MB of coordinates): 200,000 parcels of 50 vertices
    each is 10 million."""

    max_zip_members: int = 1_000
    """Most members in a zip: about 150 shapefiles of 6 files each; zip bombs often use
    many members to exhaust the file system instead of the disk."""

    max_uncompressed_mb: float = 2_000
    """Largest total size a zip may expand to, in MB (checked from the central directory and
    again while extracting): four times :attr:`max_file_mb`."""

    max_compression_ratio: float = 1_000
    """Largest uncompressed/compressed ratio of one member: a DBF of space-padded text fields
    compresses up to ~200 times, a zip bomb's layers 1,000 times and more."""


LIMITS: Final = Limits()
"""The limits in force."""


def megabytes(size_bytes: float) -> str:
    """Return a size in MB for messages, with at most one decimal.

    Examples
    --------
    >>> megabytes(0), megabytes(500 * MB)
    ('0 MB', '500 MB')
    """
    value = round(size_bytes / MB, 1)
    return f"{value:g} MB"
