"""Links to a view (LSZ_PUBLIC_URL) and their QR codes, made on the machine."""

from __future__ import annotations

import io

from PIL import Image

from geo.share_link import (
    DEFAULT_PUBLIC_URL,
    PUBLIC_URL_ENV,
    public_url,
    qr_matrix,
    qr_png,
    qr_svg,
    view_link,
)


def test_the_public_address_comes_from_the_setting_else_the_default(monkeypatch):
    monkeypatch.delenv(PUBLIC_URL_ENV, raising=False)
    assert public_url() == DEFAULT_PUBLIC_URL
    monkeypatch.setenv(PUBLIC_URL_ENV, "  https://map.example.vn/lsz/  ")
    assert public_url() == "https://map.example.vn/lsz/"
    assert (
        view_link({"page": "tour", "stop": "2"}) == "https://map.example.vn/lsz/?page=tour&stop=2"
    )
    monkeypatch.setenv(PUBLIC_URL_ENV, "")
    assert public_url() == DEFAULT_PUBLIC_URL


def test_a_link_is_quoted_and_an_old_query_replaced():
    link = view_link({"q": "Đồng Đăng & co", "lang": "vi"}, base="http://h/?x=1")
    assert link == "http://h/?q=%C4%90%E1%BB%93ng+%C4%90%C4%83ng+%26+co&lang=vi"


def test_the_qr_code_grows_with_the_link_and_renders_as_png_and_svg():
    short, long = qr_matrix("http://h/"), qr_matrix("http://h/?" + "x" * 200)
    assert len(short) < len(long)
    assert all(len(row) == len(short) for row in short)
    with Image.open(io.BytesIO(qr_png("http://h/", scale=4))) as image:
        # segno adds a quiet zone of 4 modules on each side.
        assert image.size == ((len(short) + 8) * 4,) * 2
    svg = qr_svg("http://h/")
    assert svg.startswith("<svg") and "http" not in svg.replace("http://www.w3.org", "")
