"""The vocabulary of the data model (docs/data-model.md): fixed values and field lists.

Every value a closed field may take (statuses, accuracy levels, milestone kinds, date
precisions, feature kinds, registry groups, geometry kinds, schemas), the pattern of a
feature id, and the fields of each kind of record. The validators, the UI and the docs read
these; nothing here checks anything.

Examples
--------
>>> "partly_open" in STATUSES, GEOMETRY_KINDS["line"]
(True, ('LineString', 'MultiLineString'))
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from geo.i18n import text_fields
from geo.land_uses import LandUse, load_land_uses

__all__ = [
    "ACCURACY_LEVELS",
    "AVAILABILITIES",
    "COMMON_FIELDS",
    "DATE_PRECISIONS",
    "FEATURE_ID_PATTERN",
    "FEATURE_KINDS",
    "GEOMETRY_KINDS",
    "GROUPS",
    "HISTORY_FIELDS",
    "LAND_USES",
    "LOT_FIELDS",
    "LOT_ID_PATTERN",
    "MILESTONE_FIELDS",
    "MILESTONE_KINDS",
    "PROJECT_FIELDS",
    "SCHEMAS",
    "STATUSES",
    "UNMAPPED_FIELDS",
]

STATUSES: Final = (
    "planned",
    "preparing",
    "under_construction",
    "partly_open",
    "operational",
    "unknown",
)
ACCURACY_LEVELS: Final = ("surveyed", "digitised", "schematic", "illustrative")
MILESTONE_KINDS: Final = (
    "approval",
    "groundbreaking",
    "partial_opening",
    "opening",
    "target",
    "other",
)
DATE_PRECISIONS: Final = ("day", "month", "quarter", "year")
#: What a project feature (or an unmapped item) is. A fixed vocabulary: the UI branches on it
#: (the dashboard sums zone areas by kind, the panel skips distances within a kind).
FEATURE_KINDS: Final = (
    "cargo_transit_zone",
    "export_processing_zone",
    "non_tariff_zone",
    "trade_industry_zone",
    "cross_border_cooperation_zone",
    "international_gate",
    "national_gate",
    "secondary_gate",
    "dedicated_cargo_road",
    "expressway",
    "national_road_upgrade",
)
GROUPS: Final = ("zones", "gates", "roads", "context")
GEOMETRY_KINDS: Final[Mapping[str, tuple[str, ...]]] = {
    "polygon": ("Polygon", "MultiPolygon"),
    "line": ("LineString", "MultiLineString"),
    "point": ("Point",),
}
#: ``project``: zones, gates, roads (full schema); ``context``: common fields only; ``lot``:
#: a lot investors can lease (:data:`LOT_FIELDS`, docs/data-model.md "Lots").
SCHEMAS: Final = ("project", "context", "lot")
#: Whether a lot can still be leased. ``leased`` lots name their tenant (``tenant``).
AVAILABILITIES: Final = ("available", "reserved", "leased")
#: Land-use codes a lot may carry, from ``layers/land_uses.json`` (names, swatch, colour
#: family: planning-conventions.md §1a/§1b), read once when this module is imported.
LAND_USES: Final[Mapping[str, LandUse]] = load_land_uses()

FEATURE_ID_PATTERN: Final = re.compile(r"[a-z0-9][a-z0-9-]*")
#: A lot id: the generated plan uses ``lot-ktc-a01``; an imported plan keeps its own case and
#: may use ``_`` or ``.`` (``KTC-01``).
LOT_ID_PATTERN: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
COMMON_FIELDS: Final = (
    "id",
    "name_vi",
    "name_en",
    "name_zh",
    "geometry_accuracy",
    *text_fields("accuracy_note"),
    "sources",
)
PROJECT_FIELDS: Final = (
    "kind",
    "status",
    "progress_pct",
    "progress_as_of",
    "progress_source",
    *text_fields("progress_note"),
    "progress_history",
    "milestones",
    "area_ha",
    "area_source",
    "length_km",
    "length_source",
    "open_length_km",
    "investment_vnd_bn",
    "investment_source",
    "investor",
    "investor_source",
    *text_fields("note"),
)
HISTORY_FIELDS: Final = (
    "date",
    "date_precision",
    "progress_pct",
    "open_length_km",
    "source",
    *text_fields("note"),
)
#: Fields of an item of ``unmapped.json``: a thing the sources name whose position is not
#: known, so it is listed and never drawn (no geometry is invented for it).
UNMAPPED_FIELDS: Final = (
    "id",
    "kind",
    "name_vi",
    "name_en",
    "name_zh",
    "status",
    "milestones",
    *text_fields("location_note"),
    "related_features",
    "sources",
    *text_fields("note"),
)
MILESTONE_FIELDS: Final = (
    "date",
    "date_precision",
    "kind",
    "label_vi",
    "label_en",
    "label_zh",
    "status",
    "source",
)
#: Fields of a lot (schema ``lot``): every one present on every feature, null where unknown.
#: ``illustrative_fields`` names those whose values are illustrative (``geometry`` included).
LOT_FIELDS: Final = (
    "id",
    "code",
    "road",
    "zone_id",
    "land_use",
    "availability",
    "tenant",
    "rent_usd_m2_term",
    "lease_end_year",
    "min_plot_m2",
    "management_fee_usd_m2_month",
    "warehouse_rent_usd_m2_month",
    *text_fields("utilities"),
    *text_fields("incentives"),
    "incentives_source",
    *text_fields("contact"),
    "contact_source",
    "area_ha",
    "area_source",
    "geometry_accuracy",
    "illustrative_fields",
    *text_fields("illustrative_basis"),
    "sources",
)
