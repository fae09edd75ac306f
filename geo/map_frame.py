"""The document around the map: its language, and a viewport that lets people zoom.

``st_folium`` draws the map in a component iframe whose ``index.html`` says
``<html lang="en">`` whatever the page's language, and folium's header adds
``<meta name="viewport" content="..., maximum-scale=1.0, user-scalable=no">``
to it, which stops people from zooming the page (WCAG 1.4.4; axe-core rules
``meta-viewport``). Neither can be set from folium's Python API, so the map
carries a few lines of script, :class:`FrameDocument`, that run inside that
frame with the map's own script. The same script text,
:func:`document_script`, serves any other document (the Streamlit page itself
also says ``lang="en"``).

Pure: folium and Jinja only, no Streamlit.
"""

from __future__ import annotations

import json
from typing import Final

import folium
from jinja2 import Template

from geo.i18n import LANGUAGES

#: What a viewport meta that restricts zooming is rewritten to.
ZOOMABLE_VIEWPORT: Final[str] = "width=device-width, initial-scale=1"


def document_script(lang: str) -> str:
    """Return JavaScript that sets the document's language and lets it be zoomed.

    The script sets ``document.documentElement.lang`` to ``lang`` and rewrites
    every ``<meta name="viewport">`` that sets ``maximum-scale`` or
    ``user-scalable`` to :data:`ZOOMABLE_VIEWPORT`; other viewport metas are left
    alone. Running it twice changes nothing more.

    Parameters
    ----------
    lang : str
        One of :data:`geo.i18n.LANGUAGES` (a BCP 47 primary language tag).

    Returns
    -------
    str
        One statement-list of JavaScript, with no ``<script>`` tags and no Jinja
        openers (safe inside a folium template).

    Raises
    ------
    ValueError
        If ``lang`` is not one of :data:`geo.i18n.LANGUAGES`.

    Examples
    --------
    >>> print(document_script("vi"))
    (function (d) {
        d.documentElement.lang = "vi";
        d.querySelectorAll('meta[name="viewport"]').forEach(function (m) {
            if (/maximum-scale|user-scalable/i.test(m.content)) {
                m.content = "width=device-width, initial-scale=1";
            }
        });
    })(document);
    >>> document_script("fr")
    Traceback (most recent call last):
    ...
    ValueError: unknown language 'fr'; expected one of vi, en, zh
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    return (
        "(function (d) {\n"
        f"    d.documentElement.lang = {json.dumps(lang)};\n"
        "    d.querySelectorAll('meta[name=\"viewport\"]').forEach(function (m) {\n"
        "        if (/maximum-scale|user-scalable/i.test(m.content)) {\n"
        f"            m.content = {json.dumps(ZOOMABLE_VIEWPORT)};\n"
        "        }\n"
        "    });\n"
        "})(document);"
    )


class FrameDocument(folium.MacroElement):
    """Sets the map document's language and makes its viewport zoomable.

    Add it to a :class:`folium.Map`; its script (:func:`document_script`) runs
    in whatever document draws the map: the ``st_folium`` component frame, or a
    saved HTML file.

    Parameters
    ----------
    lang : str
        One of :data:`geo.i18n.LANGUAGES`.

    Raises
    ------
    ValueError
        If ``lang`` is not one of :data:`geo.i18n.LANGUAGES`.

    Examples
    --------
    >>> fmap = folium.Map(tiles=None)
    >>> _ = FrameDocument("en").add_to(fmap)
    >>> 'd.documentElement.lang = "en";' in fmap.get_root().render()
    True
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.script }}
        {% endmacro %}
        """
    )

    def __init__(self, lang: str) -> None:
        super().__init__()
        self._name = "FrameDocument"
        self.lang = lang
        self.script = document_script(lang)
