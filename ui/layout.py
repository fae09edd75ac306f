"""Page layout rules that Streamlit has no option for: a compact title on a phone.

Constant CSS only (no text from data or users), made from :mod:`geo.style`.
"""

from __future__ import annotations

import streamlit as st

from geo import style


def narrow_screen_css() -> str:
    """Return the page's CSS for windows up to ``geo.style.NARROW_SCREEN_MAX_PX`` wide.

    The title shrinks and the space above it too, so on a 390×844 phone the map begins in
    the first screen (the map's own height is set in ``geo.map_elements.MapSetup``).

    Examples
    --------
    >>> css = narrow_screen_css()
    >>> "@media (max-width: 640px)" in css and "font-size: 1.35rem" in css
    True
    """
    return (
        f"<style>@media (max-width: {style.NARROW_SCREEN_MAX_PX}px) {{"
        " [data-testid='stMainBlockContainer'] {"
        f" padding-top: {style.NARROW_TOP_PADDING_REM}rem !important; }}"
        " [data-testid='stMainBlockContainer'] h1 {"
        f" font-size: {style.NARROW_TITLE_FONT_REM}rem !important; line-height: 1.2;"
        " padding: 0 0 0.25rem 0 !important; }"
        " [data-testid='stMainBlockContainer'] [data-testid='stCaptionContainer'] {"
        " font-size: 0.8rem; }"
        "}</style>"
    )


def page_css() -> None:
    """Add the layout CSS to the page (once per run, before anything is drawn)."""
    st.html(narrow_screen_css())
