"""The browser tests' network guard: requests to this machine go on, every other one fails.

``conftest``'s ``page`` fixture only *records* requests that leave the machine; a test that
must prove a view works with no network routes them through :func:`block_external`, which
aborts them and lists them. (``test_offline`` has its own, stricter guard: it also shows
what a disconnected browser shows.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

#: The host names that are this machine.
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


def block_external(page: Page, requested: list[str] | None = None) -> list[str]:
    """Abort every request of ``page``'s context to another machine; return the blocked URLs.

    Parameters
    ----------
    page : Page
        The page whose browser context is guarded (its frames included).
    requested : list of str, optional
        When given, every request URL (local or not) is appended to it.

    Returns
    -------
    list of str
        The URLs refused so far; the list grows as the page goes on.
    """
    blocked: list[str] = []

    def guard(route: Route) -> None:
        url = route.request.url
        if requested is not None:
            requested.append(url)
        if urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    page.context.route("**/*", guard)
    return blocked
