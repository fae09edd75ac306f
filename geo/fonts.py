"""The vendored fonts every page and print uses: Noto Sans (Vietnamese) and Noto Sans SC (Chinese).

The TTF files come from the npm registry (``scripts/vendor_assets.sh``, SIL Open Font License)
and live in ``static/vendor/fonts``, where Streamlit serves them to the browser; matplotlib
(PNG/PDF exports) reads the same files, so a print shows the glyphs the screen shows.

Examples
--------
>>> sorted(p.name for p in FONT_FILES)
['NotoSans-Bold.ttf', 'NotoSans-Regular.ttf', 'NotoSansSC-Bold.ttf', 'NotoSansSC-Regular.ttf']
>>> all(p.is_file() for p in FONT_FILES)
True
>>> FONT_FAMILIES
('Noto Sans', 'Noto Sans SC')
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Final

__all__ = [
    "CJK_UNICODE_RANGE",
    "FONT_DIR",
    "FONT_FAMILIES",
    "FONT_FILES",
    "FONT_URL_PREFIX",
    "FULL_CJK_FAMILY",
    "SUBSET_DIR",
    "SUBSET_FILES",
    "SUBSET_URL_PREFIX",
    "WEB_FONT_STACK",
    "app_cjk_text",
    "font_face_css",
    "use_in_matplotlib",
]

FONT_DIR: Final = Path(__file__).resolve().parents[1] / "static" / "vendor" / "fonts"
#: Where Streamlit serves :data:`FONT_DIR` (``server.enableStaticServing``).
FONT_URL_PREFIX: Final = "/app/static/vendor/fonts"
FONT_FILES: Final = (
    FONT_DIR / "noto-sans" / "NotoSans-Regular.ttf",
    FONT_DIR / "noto-sans" / "NotoSans-Bold.ttf",
    FONT_DIR / "noto-sans-sc" / "NotoSansSC-Regular.ttf",
    FONT_DIR / "noto-sans-sc" / "NotoSansSC-Bold.ttf",
)
#: Family names in fallback order: Latin and Vietnamese first, then Chinese.
FONT_FAMILIES: Final = ("Noto Sans", "Noto Sans SC")
#: The Chinese face is 10 MB a weight: browsers fetch it only for text in these ranges.
CJK_UNICODE_RANGE: Final = "U+2E80-9FFF, U+F900-FAFF, U+FE30-FE4F, U+FF00-FFEF, U+20000-2FA1F"
_CJK: Final = re.compile(
    "[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0002fa1f]"
)

#: Noto Sans SC cut to the Chinese characters the app writes (``scripts/subset_fonts.py``):
#: ~160 KB a weight instead of 10 MB, for the Streamlit page (``.streamlit/config.toml``).
SUBSET_DIR: Final = FONT_DIR.parents[1] / "fonts" / "noto-sans-sc-subset"
SUBSET_URL_PREFIX: Final = "/app/static/fonts/noto-sans-sc-subset"
SUBSET_FILES: Final = (
    SUBSET_DIR / "NotoSansSC-Regular.subset.ttf",
    SUBSET_DIR / "NotoSansSC-Bold.subset.ttf",
)
#: The web family of the full Noto Sans SC, after the subset in a font stack.
FULL_CJK_FAMILY: Final = "Noto Sans SC Full"
#: The font stack of every page and map (CSS ``font-family``).
WEB_FONT_STACK: Final = (*FONT_FAMILIES, FULL_CJK_FAMILY)
#: Where the app's texts are (relative to the repository root): what the subset must cover.
_TEXT_FILES: Final = ("geo/locales/*.json", "layers/**/*.json", "layers/**/*.geojson",
                      "geo/**/*.py", "ui/**/*.py", "app.py")  # fmt: skip


def app_cjk_text(root: Path = FONT_DIR.parents[2]) -> str:
    """Return every CJK character of the app's texts under ``root``, sorted, once each.

    Examples
    --------
    >>> text = app_cjk_text()
    >>> "语" in text and "谅" in text and "a" not in text
    True
    """
    found: set[str] = set()
    for pattern in _TEXT_FILES:
        for path in root.glob(pattern):
            found.update(_CJK.findall(path.read_text(encoding="utf-8")))
    return "".join(sorted(found))


def font_face_css(url_prefix: str = FONT_URL_PREFIX, subset_prefix: str = SUBSET_URL_PREFIX) -> str:
    r"""Return the ``@font-face`` rules of the fonts, under ``url_prefix`` and ``subset_prefix``.

    Families, in the order a font stack names them (:data:`WEB_FONT_STACK`): ``Noto Sans``;
    ``Noto Sans SC``, the subset (:data:`SUBSET_FILES`); ``Noto Sans SC Full``, the full font,
    for a Chinese character the subset lacks. The Chinese faces only for CJK text.

    Examples
    --------
    >>> css = font_face_css("/fonts", "/cut")
    >>> css.count("@font-face")
    6
    >>> print(*css.splitlines()[0].split("; "), sep=";\n")
    @font-face { font-family: 'Noto Sans';
    src: url('/fonts/noto-sans/NotoSans-Regular.ttf') format('truetype');
    font-weight: 400;
    font-style: normal;
    font-display: swap;
    }
    >>> "url('/cut/NotoSansSC-Regular.subset.ttf')" in css.splitlines()[2]
    True
    >>> all("unicode-range" in line for line in css.splitlines()[2:])
    True
    """
    faces = [(FONT_FAMILIES[0], f"{url_prefix}/noto-sans/{p.name}", p) for p in FONT_FILES[:2]]
    faces += [(FONT_FAMILIES[1], f"{subset_prefix}/{p.name}", p) for p in SUBSET_FILES]
    faces += [(FULL_CJK_FAMILY, f"{url_prefix}/noto-sans-sc/{p.name}", p) for p in FONT_FILES[2:]]
    rules = []
    for family, url, path in faces:
        weight = 700 if "Bold" in path.name else 400
        extra = f" unicode-range: {CJK_UNICODE_RANGE};" if family != FONT_FAMILIES[0] else ""
        rules.append(
            f"@font-face {{ font-family: '{family}'; src: url('{url}') format('truetype');"
            f" font-weight: {weight}; font-style: normal; font-display: swap;{extra} }}"
        )
    return "\n".join(rules)


@functools.cache
def use_in_matplotlib() -> tuple[str, ...]:
    """Register the vendored fonts with matplotlib and return the family fallback list.

    Set ``rcParams["font.family"]`` to the result (matplotlib ≥ 3.6 falls back glyph by
    glyph, so one string can mix Vietnamese and Chinese), and ``pdf.fonttype`` 42 to embed
    them as TrueType.

    Examples
    --------
    >>> families = use_in_matplotlib()
    >>> families
    ('Noto Sans', 'Noto Sans SC')
    >>> from matplotlib import font_manager
    >>> names = {f.name for f in font_manager.fontManager.ttflist}
    >>> set(families) <= names
    True
    """
    from matplotlib import font_manager

    for path in FONT_FILES:
        font_manager.fontManager.addfont(str(path))
    return FONT_FAMILIES
