"""The Chinese subset font covers every Chinese character the app writes."""

from __future__ import annotations

from fontTools.ttLib import TTFont

from geo.fonts import FONT_DIR, SUBSET_FILES, app_cjk_text


def test_the_subset_has_a_glyph_for_every_chinese_character_of_the_app():
    text = app_cjk_text()
    assert len(text) > 100  # the locales and the data's names are found
    for path in SUBSET_FILES:
        cmap = TTFont(path).getBestCmap()
        missing = [c for c in text if ord(c) not in cmap]
        assert not missing, f"{path.name} lacks {''.join(missing)}: run scripts/subset_fonts.py"
        full = FONT_DIR / "noto-sans-sc" / path.name.replace(".subset", "")
        assert path.stat().st_size < 0.05 * full.stat().st_size


def test_the_subset_carries_the_font_licence():
    licence = SUBSET_FILES[0].parent / "OFL.txt"
    assert "SIL OPEN FONT LICENSE" in licence.read_text(encoding="utf-8").upper()


def test_the_map_font_stack_is_the_web_font_stack():
    from geo.fonts import WEB_FONT_STACK
    from geo.style import MAP_FONT_STACK

    assert MAP_FONT_STACK == ", ".join([*(f"'{f}'" for f in WEB_FONT_STACK), "sans-serif"])
