"""The hostile texts of the browser markup tests, and the checks that nothing came of them.

Shared by ``test_hostile_markup.py`` (the data's texts) and ``test_hostile_input.py`` (what
investors type and planners upload). :func:`assert_nothing_ran` looks in every frame of a
page for whatever a browser would have built from :data:`HOSTILE`; :func:`assert_literal`
checks that a shown text holds its pieces as typed.
"""

from __future__ import annotations

import json

from playwright.sync_api import Page

PAYLOAD = "window.__pwned=1"
HOSTILE = (
    f"<script>{PAYLOAD}</script>"
    f'<img src=x onerror="{PAYLOAD}">'
    f"<svg onload={PAYLOAD}></svg>"
    f" [go](javascript:{PAYLOAD}) ![i](i.png)"
    f" \"'><b onmouseover={PAYLOAD}>q</b>"
    " {{ 7*7 }} {% if 1 %}jinja{% endif %}"
)
#: Pieces that must show as typed wherever the text is shown.
LITERAL = ("<script>", "{{ 7*7 }}", "{% if 1 %}", "javascript:")

#: Whatever the browser would have built from HOSTILE, in one frame.
BUILT = """
() => ({
    pwned: window.__pwned,
    images: [...document.querySelectorAll("img")]
        .map(e => e.getAttribute("src") || "")
        .filter(s => s === "x" || s.endsWith("i.png")),
    svgs: document.querySelectorAll("svg[onload]").length,
    handlers: [...document.querySelectorAll("*")].filter(e =>
        [...e.attributes].some(a => a.name.startsWith("on") && a.value.includes("__pwned"))
    ).length,
    links: [...document.querySelectorAll("a[href]")]
        .map(a => a.getAttribute("href"))
        .filter(h => h.trim().toLowerCase().startsWith("javascript")),
    scripts: [...document.querySelectorAll("script")]
        .filter(s => s.textContent.trim() === "window.__pwned=1").length,
})
"""


def quoted(text: str) -> str:
    """Return ``text`` as it appears inside a JSON string."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def assert_nothing_ran(page: Page) -> None:
    """In every frame: no flag set, nothing built from the hostile text."""
    for frame in page.frames:
        built = frame.evaluate(BUILT)
        assert built == {
            "pwned": None,
            "images": [],
            "svgs": 0,
            "handlers": 0,
            "links": [],
            "scripts": 0,
        }, (frame.url, built)


def assert_literal(text: str, where: str) -> None:
    """Assert that ``text`` shows every piece of :data:`LITERAL` as typed, Jinja unevaluated."""
    for piece in LITERAL:
        assert piece in text, f"{where} does not show {piece!r} literally: {text[:300]!r}"
    assert "49" not in text.replace("{{ 7*7 }}", ""), f"{where} evaluated a Jinja expression"
