"""The view state and its query-string form, so a copied link opens the same view.

Pure Python (no Streamlit): parsing takes a plain mapping of query parameters and
returns the state plus the list of things it ignored, each as a message key and
value, so the page can say what it left out. Values are plain strings, never
pickles: a link must not be able to run code on the server.

Query parameters
----------------
``page``      ``map``, ``dashboard``, ``investor``, ``enquiries``, ``import`` or ``tour``
              (the presenting mode)
``stop``      the tour stop shown, from 1 (with ``page=tour``)
``lang``      ``vi``, ``en`` or ``zh``
``layers``    comma-separated layer ids that are switched on
``feature``   id of the selected project
``lot``       id of the lot selected on the investor page
``date``      the "as of" date, ``YYYY-MM-DD``
``status``    comma-separated statuses to show
``groups``    comma-separated project groups to show (``zones``, ``gates``, ``roads``)
``q``         search text
``basemap``   ``offline`` (default: bundled vector data), ``none``, and with
              ``LSZ_ONLINE_BASEMAPS=1`` the tile basemaps ``osm`` and ``light``
``colour``    what the project colours show: ``status`` (default) or ``age`` (the age of
              each project's latest figure, ``geo.freshness``)
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from geo.basemaps import DEFAULT_BASEMAP, offered_basemaps
from geo.i18n import DEFAULT_LANGUAGE, LANGUAGES
from geo.style import COLOUR_BY
from geo.timeline import clamp
from geo.vocabulary import GROUPS, STATUSES

PAGES: tuple[str, ...] = ("map", "dashboard", "investor", "enquiries", "import", "tour")
#: The planners' pages: offered in the page selector only to a logged-in planner or admin.
PLANNER_PAGES: tuple[str, ...] = ("enquiries", "import")
#: Groups of project layers a user can filter on (context is not a project group).
PROJECT_GROUPS: tuple[str, ...] = tuple(g for g in GROUPS if g != "context")


@dataclass(frozen=True)
class ViewState:
    """What the user is looking at."""

    page: str = "map"
    lang: str = DEFAULT_LANGUAGE
    layers: tuple[str, ...] = ()
    feature: str | None = None
    as_of: date = field(default_factory=date.today)
    statuses: tuple[str, ...] = STATUSES
    groups: tuple[str, ...] = PROJECT_GROUPS
    search: str = ""
    basemap: str = DEFAULT_BASEMAP
    lot: str | None = None
    stop: int = 1
    colour_by: str = COLOUR_BY[0]


@dataclass(frozen=True)
class Ignored:
    """One query value that was ignored: a message key of the catalogues and its values."""

    key: str
    values: Mapping[str, str]


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _as_of(raw: str | None, bounds: tuple[date, date], ignored: list[Ignored]) -> date | None:
    """Return the date of the link, clamped into ``bounds``; report what was changed."""
    if not raw:
        return None
    try:
        wanted = date.fromisoformat(raw)
    except ValueError:
        ignored.append(Ignored("warning.bad_date", {"value": raw}))
        return None
    shown = clamp(wanted, bounds)
    if shown != wanted:
        values = {"value": raw, "first": bounds[0].isoformat(), "last": bounds[1].isoformat()}
        ignored.append(Ignored("warning.date_clamped", {**values, "shown": shown.isoformat()}))
    return shown


def _stop(raw: str | None, ignored: list[Ignored]) -> int | None:
    """Return the tour stop of a link (a whole number from 1; the tour clamps it)."""
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        ignored.append(Ignored("warning.bad_stop", {"value": raw}))
        return None
    return int(raw)


def parse_query(
    params: Mapping[str, str],
    *,
    layer_ids: Sequence[str],
    default_layers: Sequence[str],
    feature_ids: Collection[str],
    date_bounds: tuple[date, date],
    today: date,
    lot_ids: Collection[str] = (),
) -> tuple[ViewState, list[Ignored]]:
    """Turn query parameters into a view state, ignoring (and reporting) what is unknown.

    Parameters
    ----------
    params : Mapping[str, str]
        The query parameters (last value of each).
    layer_ids : sequence of str
        Every layer id of the registry, in registry order.
    default_layers : sequence of str
        Layers switched on when the link names none.
    feature_ids : collection of str
        Every selectable feature id.
    date_bounds : tuple of date
        First and last date the timeline covers; a date outside is clamped.
    today : date
        Default "as of" date (clamped into ``date_bounds``).
    lot_ids : collection of str
        Every lot id (the investor page's selection).

    Returns
    -------
    tuple of (ViewState, list of Ignored)
    """
    ignored: list[Ignored] = []

    def one_of(key: str, allowed: Collection[str], warning: str) -> str | None:
        value = params.get(key)
        if value and value not in allowed:
            ignored.append(Ignored(warning, {"value": value}))
            return None
        return value or None

    def subset(key: str, allowed: Sequence[str], warning: str) -> tuple[str, ...] | None:
        if key not in params:
            return None
        wanted = _split(params[key])
        ignored.extend(Ignored(warning, {"value": w}) for w in wanted if w not in allowed)
        known = tuple(a for a in allowed if a in wanted)
        # Only unknown values (a stale or mistyped link): the default, not an empty view.
        # An empty value (``status=``) is a real choice and stays empty.
        return None if wanted and not known else known

    chosen = {
        "page": one_of("page", PAGES, "warning.unknown_page"),
        "lang": one_of("lang", LANGUAGES, "warning.unknown_language"),
        "layers": subset("layers", layer_ids, "warning.unknown_layer"),
        "feature": one_of("feature", feature_ids, "warning.unknown_feature"),
        "as_of": _as_of(params.get("date"), date_bounds, ignored),
        "statuses": subset("status", STATUSES, "warning.unknown_status"),
        "groups": subset("groups", PROJECT_GROUPS, "warning.unknown_group"),
        "search": (params.get("q") or "")[:200] or None,
        "basemap": one_of("basemap", offered_basemaps(), "warning.unknown_basemap"),
        "lot": one_of("lot", lot_ids, "warning.unknown_lot"),
        "stop": _stop(params.get("stop"), ignored),
        "colour_by": one_of("colour", COLOUR_BY, "warning.unknown_colour_by"),
    }
    state = ViewState(layers=tuple(default_layers), as_of=clamp(today, date_bounds))
    state = replace(state, **{k: v for k, v in chosen.items() if v is not None})
    return state, ignored


def to_query(state: ViewState, *, default_layers: Sequence[str], today: date) -> dict[str, str]:
    """Return the query parameters of ``state``; defaults are left out to keep links short.

    ``parse_query(to_query(s)) == s`` for every state ``parse_query`` can return.
    """
    query: dict[str, str] = {}
    if state.page != "map":
        query["page"] = state.page
    query["lang"] = state.lang
    if tuple(state.layers) != tuple(default_layers):
        query["layers"] = ",".join(state.layers)
    if state.feature:
        query["feature"] = state.feature
    if state.as_of != today:
        query["date"] = state.as_of.isoformat()
    if tuple(state.statuses) != STATUSES:
        query["status"] = ",".join(state.statuses)
    if tuple(state.groups) != PROJECT_GROUPS:
        query["groups"] = ",".join(state.groups)
    if state.search:
        query["q"] = state.search
    if state.basemap != DEFAULT_BASEMAP:
        query["basemap"] = state.basemap
    if state.lot:
        query["lot"] = state.lot
    if state.page == "tour":
        query["stop"] = str(state.stop)
    if state.colour_by != COLOUR_BY[0]:
        query["colour"] = state.colour_by
    return query
