"""The view state and its query-string form, so a copied link opens the same view.

Pure Python (no Streamlit): parsing takes a plain mapping of query parameters and
returns the state plus the list of things it ignored, each as a message key and
value, so the page can say what it left out. Values are plain strings, never
pickles: a link must not be able to run code on the server.

Query parameters
----------------
``page``      ``map`` or ``dashboard``
``lang``      ``vi``, ``en`` or ``zh``
``layers``    comma-separated layer ids that are switched on
``feature``   id of the selected project
``date``      the "as of" date, ``YYYY-MM-DD``
``status``    comma-separated statuses to show
``groups``    comma-separated project groups to show (``zones``, ``gates``, ``roads``)
``q``         search text
``basemap``   ``osm``, ``light`` or ``none`` (no tiles: for use without network)
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from geo.i18n import DEFAULT_LANGUAGE, LANGUAGES
from geo.mapview import BASEMAPS
from geo.schema import GROUPS, STATUSES
from geo.timeline import clamp

PAGES: tuple[str, ...] = ("map", "dashboard")
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
    basemap: str = "osm"


@dataclass(frozen=True)
class Ignored:
    """One query value that was ignored: a message key of the catalogues and its values."""

    key: str
    values: Mapping[str, str]


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def parse_query(
    params: Mapping[str, str],
    *,
    layer_ids: Sequence[str],
    default_layers: Sequence[str],
    feature_ids: Collection[str],
    date_bounds: tuple[date, date],
    today: date,
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

    Returns
    -------
    tuple of (ViewState, list of Ignored)
    """
    ignored: list[Ignored] = []
    state = ViewState(layers=tuple(default_layers), as_of=clamp(today, date_bounds))

    page = params.get("page")
    if page is not None:
        if page in PAGES:
            state = replace(state, page=page)
        else:
            ignored.append(Ignored("warning.unknown_page", {"value": page}))

    lang = params.get("lang")
    if lang is not None:
        if lang in LANGUAGES:
            state = replace(state, lang=lang)
        else:
            ignored.append(Ignored("warning.unknown_language", {"value": lang}))

    if "layers" in params:
        wanted = _split(params["layers"])
        for unknown in [w for w in wanted if w not in layer_ids]:
            ignored.append(Ignored("warning.unknown_layer", {"value": unknown}))
        state = replace(state, layers=tuple(i for i in layer_ids if i in wanted))

    feature = params.get("feature")
    if feature:
        if feature in feature_ids:
            state = replace(state, feature=feature)
        else:
            ignored.append(Ignored("warning.unknown_feature", {"value": feature}))

    raw_date = params.get("date")
    if raw_date:
        try:
            wanted_day = date.fromisoformat(raw_date)
        except ValueError:
            ignored.append(Ignored("warning.bad_date", {"value": raw_date}))
        else:
            shown = clamp(wanted_day, date_bounds)
            if shown != wanted_day:
                ignored.append(
                    Ignored(
                        "warning.date_clamped",
                        {
                            "value": raw_date,
                            "first": date_bounds[0].isoformat(),
                            "last": date_bounds[1].isoformat(),
                            "shown": shown.isoformat(),
                        },
                    )
                )
            state = replace(state, as_of=shown)

    if "status" in params:
        wanted = _split(params["status"])
        for unknown in [w for w in wanted if w not in STATUSES]:
            ignored.append(Ignored("warning.unknown_status", {"value": unknown}))
        state = replace(state, statuses=tuple(s for s in STATUSES if s in wanted))

    if "groups" in params:
        wanted = _split(params["groups"])
        for unknown in [w for w in wanted if w not in PROJECT_GROUPS]:
            ignored.append(Ignored("warning.unknown_group", {"value": unknown}))
        state = replace(state, groups=tuple(g for g in PROJECT_GROUPS if g in wanted))

    search = params.get("q")
    if search:
        state = replace(state, search=search[:200])

    basemap = params.get("basemap")
    if basemap is not None:
        if basemap in BASEMAPS:
            state = replace(state, basemap=basemap)
        else:
            ignored.append(Ignored("warning.unknown_basemap", {"value": basemap}))
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
    if state.basemap != "osm":
        query["basemap"] = state.basemap
    return query
