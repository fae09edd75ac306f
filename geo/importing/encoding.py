r"""Text encodings of attribute tables: ``.cpg`` files, detection, and lossless decoding.

Shapefile DBFs and CSV files from Vietnamese offices are often in Windows-1258 (cp1258),
which writes most tone marks as *combining* characters after the letter (``ê`` + U+0323 for
``ệ``). GDAL's own CP1258 conversion drops the last character of every field name and value,
so GDAL is never asked to decode it: the shapefile reader has GDAL read the bytes as Latin-1
(a lossless byte-to-character mapping) and :func:`recode` turns them back into bytes and
decodes them with Python's codec; :func:`geo.importing.normalise.nfc` then composes the
marks.

Examples
--------
>>> encoding_from_cpg("ANSI 1258")
'cp1258'
>>> detect_encoding("Đồng Đăng".encode())
('utf-8', None)
>>> detect_encoding(b"\xd0\xf4\xecng \xd0\xe3ng")[0]
'cp1258'
>>> recode('\xc4\x90', 'utf-8')
'Đ'
"""

from __future__ import annotations

import codecs
import re
from typing import Final

__all__ = ["UTF8", "detect_encoding", "encoding_from_cpg", "normalised_codec", "recode"]

UTF8: Final = "utf-8"
"""The name used for UTF-8 (the only encoding exports are written in)."""
CP1258: Final = "cp1258"
"""Windows-1258, Vietnamese."""
_CPG_CODEPAGE = re.compile(r"^(?:ANSI|CP|WINDOWS|OEM)?[\s_-]*(\d{3,5})$")
_CODEPAGE_ALIASES: Final = {"65001": UTF8, "UTF8": UTF8, "88591": "latin-1", "28591": "latin-1"}
# Windows-1258 writes these five Vietnamese tones as combining marks after a vowel.
_TONE_MARKS: Final = frozenset("\u0300\u0301\u0303\u0309\u0323")
_VOWELS: Final = frozenset("aăâeêioôơuưyAĂÂEÊIOÔƠUƯY")
_VIETNAMESE_LETTERS: Final = frozenset("ăâđêôơưĂÂĐÊÔƠƯ")


def normalised_codec(name: str) -> str | None:
    """Return Python's name of an encoding, or None when Python does not know it.

    Examples
    --------
    >>> normalised_codec("UTF8"), normalised_codec("windows-1258"), normalised_codec("x")
    ('utf-8', 'cp1258', None)
    """
    try:
        return codecs.lookup(name.strip()).name
    except LookupError:
        return None


def encoding_from_cpg(text: str) -> str | None:
    r"""Return the encoding a ``.cpg`` file names, or None when it names none Python knows.

    ``.cpg`` files hold a code page number (``1258``, ``ANSI 1258``, ``65001``) or an
    encoding name (``UTF-8``, ``ISO-8859-1``).

    Examples
    --------
    >>> encoding_from_cpg("UTF-8\n"), encoding_from_cpg("65001"), encoding_from_cpg("1252")
    ('utf-8', 'utf-8', 'cp1252')
    >>> encoding_from_cpg("klingon") is None
    True
    """
    key = text.strip().upper()
    match = _CPG_CODEPAGE.match(key)
    if match:
        page = match.group(1)
        return _CODEPAGE_ALIASES.get(page) or normalised_codec(f"cp{page}")
    return _CODEPAGE_ALIASES.get(key.replace("-", "")) or normalised_codec(key)


def detect_encoding(data: bytes) -> tuple[str, str | None]:
    r"""Tell the encoding of text bytes that declare none: UTF-8, else Windows-1258.

    Parameters
    ----------
    data : bytes
        The text (a DBF's field names and text values, a CSV file).

    Returns
    -------
    tuple of (str, str or None)
        The encoding to decode with, and None when it is certain or else a sentence saying
        why it is not (for the planner's question). Valid UTF-8 (ASCII included) is certain;
        Windows-1258 is certain when every combining tone mark follows a vowel and there is
        at least one, or a letter only Vietnamese uses (``đ``, ``ơ``, ``ư``, ``ă``).
        Anything else is decoded as Windows-1258 when it can be, else Latin-1 (which
        decodes every byte), with the doubt stated.

    Examples
    --------
    >>> detect_encoding(b"plain ascii")
    ('utf-8', None)
    >>> detect_encoding("Tân Thanh".encode("cp1258"))
    ('cp1258', None)
    >>> detect_encoding(b"caf\xe9")[1]
    'the text is not UTF-8 and shows no Vietnamese letter; it decodes as Windows-1258 ...'
    """
    try:
        data.decode(UTF8)
    except UnicodeDecodeError:
        pass
    else:
        return UTF8, None
    try:
        text = data.decode(CP1258)
    except UnicodeDecodeError:
        return "latin-1", (
            "the text is neither UTF-8 nor Windows-1258 (Vietnamese); it was read as Latin-1, "
            "which may show wrong letters"
        )
    tones = [i for i, c in enumerate(text) if c in _TONE_MARKS]
    tones_after_vowels = all(i > 0 and text[i - 1] in _VOWELS for i in tones)
    if (tones and tones_after_vowels) or (not tones and _VIETNAMESE_LETTERS & set(text)):
        return CP1258, None
    if tones:
        return CP1258, (
            "the text is not UTF-8; it decodes as Windows-1258 (Vietnamese) but some tone "
            "marks do not follow a vowel"
        )
    return CP1258, (
        "the text is not UTF-8 and shows no Vietnamese letter; it decodes as Windows-1258 "
        "(Vietnamese) but may be another code page (e.g. Windows-1252)"
    )


def recode(text: str, encoding: str) -> str:
    r"""Return text that was read as Latin-1, decoded from its bytes with ``encoding``.

    Undecodable bytes become U+FFFD (the caller reports them); the result is not yet
    NFC-normalised.

    Examples
    --------
    >>> import unicodedata
    >>> text = recode("\xd0\xf4\xecng", "cp1258")  # the bytes D0 F4 EC 6E 67
    >>> len(text), unicodedata.normalize("NFC", text)
    (5, 'Đống')
    """
    return text.encode("latin-1").decode(encoding, errors="replace")
