"""geo.map_frame: the map document's language and zoomable viewport, rendered (no browser)."""

from __future__ import annotations

import doctest
import re

import folium
import pytest

import geo.map_frame
from geo.i18n import LANGUAGES
from geo.map_frame import ZOOMABLE_VIEWPORT, FrameDocument, document_script
from geo.mapview import base_map


def rendered_script(fmap: folium.Map) -> str:
    """The map's whole rendered HTML with whitespace collapsed (as the browser gets it)."""
    return " ".join(fmap.get_root().render().split())


def test_doctests_pass():
    result = doctest.testmod(
        geo.map_frame, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize("lang", LANGUAGES)
def test_frame_document_renders_the_language_and_the_viewport_rewrite(lang: str):
    fmap = folium.Map(tiles=None)
    FrameDocument(lang).add_to(fmap)

    html = rendered_script(fmap)

    assert f'd.documentElement.lang = "{lang}";' in html
    assert f'm.content = "{ZOOMABLE_VIEWPORT}";' in html
    # What it rewrites is really there: folium's own header disables zooming.
    assert re.search(r'<meta name="viewport" content="[^"]*user-scalable=no', html)


def test_the_zoomable_viewport_does_not_itself_restrict_zoom():
    # Otherwise the rewrite would not be idempotent, and axe would still complain.
    assert not re.search(r"maximum-scale|user-scalable", ZOOMABLE_VIEWPORT)


def test_unknown_language_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown language 'xx'; expected one of vi, en, zh"):
        FrameDocument("xx")


def test_script_has_no_jinja_openers():
    # branca renders the script and parses it again as a template.
    for lang in LANGUAGES:
        assert "{{" not in document_script(lang)
        assert "{%" not in document_script(lang)


@pytest.mark.parametrize("lang", ["vi", "zh"])
def test_base_map_carries_the_frame_document_in_its_language(lang: str):
    fmap = base_map([], lang=lang, basemap="none")

    html = rendered_script(fmap)

    assert html.count("d.documentElement.lang") == 1
    assert f'd.documentElement.lang = "{lang}";' in html
