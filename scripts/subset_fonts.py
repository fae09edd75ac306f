"""Subset the vendored Noto Sans SC to the Chinese characters the app writes (maintainer tool).

The full Noto Sans SC is 10 MB a weight; the Streamlit page would fetch it on every page,
even a Vietnamese one (the language selector says 语言). The subset holds only the CJK
characters of the app's texts (``geo/locales``, the data in ``layers/``, the code), about
160 KB a weight, and the page falls back to the full font (``Noto Sans SC Full`` in
``.streamlit/config.toml``) for any other character. ``tests/test_fonts.py`` fails when a text
has a character the subset lacks: then run, from the repository root::

    .venv/bin/python scripts/subset_fonts.py

It writes ``static/fonts/noto-sans-sc-subset/`` (the two subsets and the font's OFL licence:
the SIL Open Font License allows modified versions; Noto has no Reserved Font Name).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from fontTools import subset

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.fonts import FONT_DIR, SUBSET_DIR, SUBSET_FILES, app_cjk_text  # noqa: E402


def main() -> None:
    """Write :data:`geo.fonts.SUBSET_FILES` from the vendored full fonts."""
    text = app_cjk_text()
    SUBSET_DIR.mkdir(parents=True, exist_ok=True)
    for out in SUBSET_FILES:
        source = FONT_DIR / "noto-sans-sc" / out.name.replace(".subset", "")
        options = subset.Options()
        options.layout_features = ["*"]
        font = subset.load_font(str(source), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        subset.save_font(font, str(out), options)
        print(f"{out.relative_to(ROOT)}: {len(text)} characters, {out.stat().st_size} bytes")
    shutil.copy2(FONT_DIR / "noto-sans-sc" / "OFL.txt", SUBSET_DIR / "OFL.txt")


if __name__ == "__main__":
    main()
