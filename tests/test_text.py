"""Accent-insensitive search and Markdown escaping."""

import pytest

from geo.text import escape_markdown, fold, matches


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đồng Đăng", "dong dang"),
        ("ĐỒNG ĐĂNG", "dong dang"),
        ("Hữu Nghị – Chi Lăng", "huu nghi – chi lang"),
        ("  Cốc   Nam ", "coc nam"),
        ("Khu phi thuế quan", "khu phi thue quan"),
        ("友谊关", "友谊关"),
    ],
)
def test_fold_removes_vietnamese_diacritics_and_case(text, folded):
    assert fold(text) == folded


def test_search_finds_with_and_without_diacritics():
    names = ["Cửa khẩu Đồng Đăng", "Dong Dang rail gate", None]
    assert matches("dong dang", names)
    assert matches("Đồng Đăng", names)
    assert matches("ĐỒNG", names)
    assert not matches("tan thanh", names)


def test_blank_search_matches_everything():
    assert matches("   ", ["x"])


def test_escape_markdown_neutralises_links_and_html():
    text = "[click](javascript:alert(1)) <b>bold</b> *x*"
    escaped = escape_markdown(text)
    assert "[" not in escaped.replace("\\[", "")
    assert "<" not in escaped.replace("\\<", "")
    assert "*" not in escaped.replace("\\*", "")
