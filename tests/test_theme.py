"""The Streamlit theme: text colour from geo.style, captions readable (WCAG AA).

The browser check is ``tests/e2e/test_accessibility.py`` (axe-core measures the
rendered page); this one says why without a browser, with WCAG 2's own formulas.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from geo.style import UI_TEXT_COLOUR

CONFIG = Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"
# Streamlit 1.67 light theme: captions are theme.textColor at 60 % opacity
# (``fadedText60``), on the page (#ffffff), the sidebar (#f8f8f7) and widgets (#f1f0ee).
CAPTION_OPACITY = 0.6
BACKGROUNDS = ("#ffffff", "#f8f8f7", "#f1f0ee")
WCAG_AA_NORMAL_TEXT = 4.5


def rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def relative_luminance(colour: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    hi, lo = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def over(fg: str, bg: str, alpha: float) -> tuple[float, float, float]:
    """``fg`` at ``alpha`` opacity composited on ``bg``."""
    return tuple(alpha * f + (1 - alpha) * b for f, b in zip(rgb(fg), rgb(bg), strict=True))


def theme() -> dict:
    with CONFIG.open("rb") as f:
        return tomllib.load(f)["theme"]


def test_theme_text_colour_is_the_one_in_geo_style():
    assert theme()["base"] == "light"
    assert theme()["textColor"].lower() == UI_TEXT_COLOUR.lower()


@pytest.mark.parametrize("background", BACKGROUNDS)
def test_captions_reach_wcag_aa_on_every_light_background(background: str):
    ratio = contrast(over(UI_TEXT_COLOUR, background, CAPTION_OPACITY), rgb(background))
    assert ratio >= WCAG_AA_NORMAL_TEXT, f"caption on {background}: {ratio:.2f}:1"


def test_the_formula_reproduces_what_axe_measured_for_streamlits_default():
    # axe-core reported 3.81:1 for #7f7e7d on #f8f8f7 with the default #2f2d2b.
    ratio = contrast(over("#2f2d2b", "#f8f8f7", CAPTION_OPACITY), rgb("#f8f8f7"))
    assert ratio == pytest.approx(3.81, abs=0.01)


def test_heading_sizes_shrink_with_the_level():
    sizes = [float(size.removesuffix("rem")) for size in theme()["headingFontSizes"]]
    assert sizes == sorted(sizes, reverse=True) and len(set(sizes)) == len(sizes), sizes


def test_the_page_font_is_the_vendored_noto_served_by_the_app():
    from geo.fonts import (
        CJK_UNICODE_RANGE,
        FONT_FAMILIES,
        FONT_FILES,
        FONT_URL_PREFIX,
        SUBSET_FILES,
        SUBSET_URL_PREFIX,
    )

    families = [name.strip() for name in theme()["font"].split(",")]
    assert families[:3] == [*FONT_FAMILIES, "Noto Sans SC Full"]
    faces = {face["url"]: face for face in theme()["fontFaces"]}
    full = {f"{FONT_URL_PREFIX}/{p.parent.name}/{p.name}"[1:] for p in FONT_FILES}
    cut = {f"{SUBSET_URL_PREFIX}/{p.name}"[1:] for p in SUBSET_FILES}
    assert set(faces) == full | cut
    for url, face in faces.items():
        assert not url.startswith(("http:", "https:", "//"))
        chinese = face["family"] != "Noto Sans"
        assert (face.get("unicodeRange") == CJK_UNICODE_RANGE) == chinese
        if chinese:
            assert face["family"] == ("Noto Sans SC" if url in cut else "Noto Sans SC Full")
