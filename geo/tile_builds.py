"""Tile archives built in the background: one build per layer version, shared by every session.

Building a large layer's archive (:func:`geo.tiles.ensure_archive`) takes minutes for a
province-wide parcel plan, far too long to hold a Streamlit re-run. A
:class:`TileBuilds` registry starts the build of a ``(layer, stamp)`` on a worker thread
the first time it is asked for and answers every later request at once with the build's
state (:class:`BuildState`): ``building`` (with the feature count, for the map's
message), ``ready`` (with the archive) or ``failed`` (with the error's message, kept until
:meth:`TileBuilds.retry`). The app keeps one registry per process
(``st.cache_resource`` in :mod:`ui.tiled`), so it outlives re-runs and sessions.

Guarantees, under one lock:

* a ``(layer, stamp)`` is built at most once at a time: concurrent requests coalesce;
* builds of one layer run one after the other (a worker lock per layer), so an older
  version's build can never remove the archive a newer one has just written
  (:func:`geo.tiles.ensure_archive` removes the layer's other archives when it is done);
* a request for a new stamp of a layer supersedes the older ones: their states are
  dropped (a superseded build that has not started yet is skipped; one that is running
  finishes, and its result is not kept).

tippecanoe runs as a subprocess, so a build's thread waits without holding the GIL
most of the time; writing the features out for it is the part that holds it.

Pure: no Streamlit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Final, Literal

import geopandas as gpd

from geo.tiles import TileArchive, ensure_archive

__all__ = ["BuildFunction", "BuildState", "FindFunction", "TileBuilds"]

#: Builds an archive: ``(gdf, layer_id, stamp) -> TileArchive`` (default
#: :func:`geo.tiles.ensure_archive`; a test passes a slower or failing one).
BuildFunction = Callable[[gpd.GeoDataFrame, str, Hashable], TileArchive]
#: Finds an archive already built, quickly: ``(gdf, layer_id, stamp) -> TileArchive | None``
#: (:func:`geo.tiles.existing_archive`: after a server restart the archives are on disk).
FindFunction = Callable[[gpd.GeoDataFrame, str, Hashable], TileArchive | None]

BUILDING: Final = "building"
READY: Final = "ready"
FAILED: Final = "failed"


@dataclass(frozen=True)
class BuildState:
    """Where the build of one layer version is.

    ``archive`` is set when ``state`` is ``"ready"``, ``error`` (the exception's type and
    message) when it is ``"failed"``.
    """

    layer_id: str
    stamp: Hashable
    state: Literal["building", "ready", "failed"]
    features: int
    archive: TileArchive | None = None
    error: str | None = None


class TileBuilds:
    """A process-wide registry of tile builds, keyed by ``(layer_id, stamp)``.

    Parameters
    ----------
    build : callable, optional
        What builds an archive (:data:`BuildFunction`); default
        :func:`geo.tiles.ensure_archive` into ``static/tiles``.
    existing : callable, optional
        What finds an archive already built (:data:`FindFunction`), asked before a build
        is started: found, the request answers ``ready`` at once. ``None``: always build.

    Examples
    --------
    >>> from pathlib import Path
    >>> def instant(gdf, layer_id, stamp):
    ...     return TileArchive(Path("x"), "/t/x", layer_id, (0, 0, 1, 1), len(gdf))
    >>> builds = TileBuilds(instant)
    >>> first = builds.request("lots", 1, gpd.GeoDataFrame())
    >>> first.state in ("building", "ready"), builds.wait("lots", 1).state
    (True, 'ready')
    >>> builds.request("lots", 1, gpd.GeoDataFrame()).archive.url
    '/t/x'
    """

    def __init__(
        self, build: BuildFunction = ensure_archive, existing: FindFunction | None = None
    ) -> None:
        self._build = build
        self._existing = existing
        self._lock = threading.Lock()
        self._states: dict[tuple[str, Hashable], BuildState] = {}
        self._done: dict[tuple[str, Hashable], threading.Event] = {}
        self._layer_locks: dict[str, threading.Lock] = {}

    def request(self, layer_id: str, stamp: Hashable, gdf: gpd.GeoDataFrame) -> BuildState:
        """Return the build state of ``(layer_id, stamp)``, starting its build if none is known.

        Never waits for a build. A failed build stays failed (its error shown) until
        :meth:`retry`. A new ``stamp`` drops the layer's states of other stamps.
        """
        key = (layer_id, stamp)
        with self._lock:
            known = self._states.get(key)
            if known is not None:
                return known
            for other in [k for k in self._states if k[0] == layer_id]:
                del self._states[other]  # superseded: its thread sees this and stops
                self._done.pop(other, None)
            found = self._existing(gdf, layer_id, stamp) if self._existing else None
            if found is not None:  # a file check, under the lock: no build races it
                ready = self._states[key] = BuildState(
                    layer_id, stamp, READY, len(gdf), archive=found
                )
                done = self._done[key] = threading.Event()
                done.set()
                return ready
            state = BuildState(layer_id, stamp, BUILDING, len(gdf))
            self._states[key] = state
            done = self._done[key] = threading.Event()
            layer_lock = self._layer_locks.setdefault(layer_id, threading.Lock())
        worker = threading.Thread(
            target=self._run,
            args=(key, gdf, layer_lock, done),
            name=f"tiles-{layer_id}",
            daemon=True,
        )
        worker.start()
        return state

    def state(self, layer_id: str, stamp: Hashable) -> BuildState | None:
        """Return the known state of ``(layer_id, stamp)`` without starting anything."""
        with self._lock:
            return self._states.get((layer_id, stamp))

    def retry(self, layer_id: str, stamp: Hashable) -> None:
        """Forget a failed build of ``(layer_id, stamp)``: the next :meth:`request` starts it again.

        A build that is running or ready is left alone.
        """
        with self._lock:
            known = self._states.get((layer_id, stamp))
            if known is not None and known.state == FAILED:
                del self._states[(layer_id, stamp)]
                self._done.pop((layer_id, stamp), None)

    def wait(self, layer_id: str, stamp: Hashable, timeout_s: float | None = None) -> BuildState:
        """Wait until the build of ``(layer_id, stamp)`` is over; return its state.

        For tests and command lines; the app never waits.

        Raises
        ------
        KeyError
            If that build was never requested (or was superseded or retried).
        """
        with self._lock:
            done = self._done[(layer_id, stamp)]
        done.wait(timeout_s)
        with self._lock:
            return self._states[(layer_id, stamp)]

    def _current(self, key: tuple[str, Hashable], done: threading.Event) -> bool:
        with self._lock:
            return self._done.get(key) is done

    def _run(
        self,
        key: tuple[str, Hashable],
        gdf: gpd.GeoDataFrame,
        layer_lock: threading.Lock,
        done: threading.Event,
    ) -> None:
        layer_id, stamp = key
        with layer_lock:
            if not self._current(key, done):
                done.set()
                return  # superseded while waiting its turn
            try:
                archive = self._build(gdf, layer_id, stamp)
            except Exception as exc:  # kept in the state and shown on the map, never dropped
                outcome = BuildState(
                    layer_id, stamp, FAILED, len(gdf), error=f"{type(exc).__name__}: {exc}"
                )
            else:
                outcome = BuildState(layer_id, stamp, READY, len(gdf), archive=archive)
            with self._lock:
                if self._done.get(key) is done:
                    self._states[key] = outcome
            done.set()
