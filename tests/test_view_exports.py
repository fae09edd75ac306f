"""View exports on the tests/data fixture layers.

PDF/PNG page sizes and text, HTML self-containment, and the command line
(``python -m geo export --format html|png|pdf``).
"""

from __future__ import annotations

import io
import json
import re
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from geo import style
from geo.cli import main
from geo.exports.view_html import external_urls, tour_html, view_html
from geo.exports.view_print import render_pdf_pages, render_print
from geo.exports.view_spec import ExportView, load_material, stop_view
from geo.feature_text import age_class_label
from geo.freshness import AGE_CLASSES
from geo.i18n import LANGUAGES, t
from geo.legend import legend_entries

DATA = Path(__file__).resolve().parent / "data"
LINK = "http://presenter.example/?page=tour&stop=1&lang=en"
#: A4 and A3 in PostScript points (1/72 in): ISO 216 millimetres × 72 / 25.4.
PAGE_POINTS = {"A4": (595.28, 841.89), "A3": (841.89, 1190.55)}
TITLES = {"vi": "Điểm thử nghiệm", "en": "Fixture stop", "zh": "测试站点"}


def stop_doc(stop_id: str, feature: str | None, figures: list[dict]) -> dict:
    return {
        "id": stop_id,
        **{f"title_{lang}": f"{TITLES[lang]} {stop_id}" for lang in LANGUAGES},
        **{f"text_{lang}": f"{TITLES[lang]} text" for lang in LANGUAGES},
        "feature": feature,
        "centre": None if feature else [21.95, 106.72],
        "zoom": None if feature else 12,
        "layers": ["valid_zone", "valid_road", "valid_points"],
        "as_of": "2025-06-30",
        "figures": figures,
    }


def figure(fid: str, field: str, value: float, unit: str) -> dict:
    labels = {"vi": "Diện tích", "en": "Fixture figure", "zh": "测试数字"}
    return {
        "value": value,
        "unit": unit,
        "label": labels,
        "source": "fixture-src",
        "from": {"feature": fid, "field": field},
    }


@pytest.fixture(scope="module")
def layers_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/data with a two-stop tour beside its registry."""
    folder = tmp_path_factory.mktemp("layers")
    for path in DATA.iterdir():
        if path.is_file():
            shutil.copy(path, folder / path.name)
    figures = [
        figure("zone-valid", "area_ha", 4.58, "ha"),
        figure("road-valid", "length_km", 1.1, "km"),
    ]
    tour = {"stops": [stop_doc("zone", "zone-valid", figures), stop_doc("road", None, figures)]}
    (folder / "tour.json").write_text(json.dumps(tour, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def material(layers_dir: Path):
    loaded = load_material(layers_dir / "registry.json")
    assert [p for p in loaded.problems] == []
    assert len(loaded.stops) == 2
    return loaded


def view_of(material, lang: str = "en", index: int = 0) -> ExportView:
    return stop_view(material.stops[index], lang, count=len(material.stops), link=LINK)


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def squashed(text: str) -> str:
    """Text without whitespace: a label wrapped over two lines still matches."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("paper", ["A4", "A3"])
@pytest.mark.parametrize("portrait", [False, True])
def test_the_pdf_page_is_the_paper_size_in_points(material, paper, portrait):
    data = render_print(view_of(material), material, fmt="pdf", paper=paper, portrait=portrait)
    (page,) = PdfReader(io.BytesIO(data)).pages
    short, long = PAGE_POINTS[paper]
    expected = (short, long) if portrait else (long, short)
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
        expected, abs=0.05
    )


def test_the_pdf_text_holds_the_title_the_figures_and_every_legend_entry(material):
    view = view_of(material)
    text = squashed(pdf_text(render_print(view, material, fmt="pdf")))
    assert squashed(view.stop.title["en"]) in text
    assert squashed(t("unit.ha", "en", value="4.58")) in text
    entries = legend_entries(material.visible(view), lang="en", as_of=view.as_of)
    assert entries, "the fixture view has a legend"
    for entry in entries:
        assert squashed(str(entry["label"])) in text
    assert squashed(t("legend.title", "en")) in text
    assert squashed(t("app.disclaimer", "en")) in text


def test_a_chinese_pdf_has_extractable_chinese_text(material):
    view = view_of(material, "zh")
    text = squashed(pdf_text(render_print(view, material, fmt="pdf")))
    assert squashed(view.stop.title["zh"]) in text
    assert squashed(t("legend.title", "zh")) in text
    assert squashed(t("export.data_sources", "zh")) in text


def test_a_png_at_a4_landscape_150_dpi_is_1754_by_1240_pixels(material):
    data = render_print(view_of(material), material, fmt="png", paper="A4", dpi=150)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        assert image.size == (1754, 1240)


def test_a_png_follows_the_paper_orientation_and_resolution(material):
    data = render_print(view_of(material), material, fmt="png", paper="A3", portrait=True, dpi=72)
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (842, 1191)


def test_the_tour_pdf_has_one_page_per_stop(material):
    views = [view_of(material, "vi", i) for i in range(len(material.stops))]
    reader = PdfReader(io.BytesIO(render_pdf_pages(views, material)))
    assert len(reader.pages) == 2
    assert squashed(views[1].stop.title["vi"]) in squashed(reader.pages[1].extract_text())


def test_a_bad_print_format_or_resolution_is_refused(material):
    with pytest.raises(ValueError, match="unknown print format 'svg'"):
        render_print(view_of(material), material, fmt="svg")
    with pytest.raises(ValueError, match="at least 50 dpi"):
        render_print(view_of(material), material, fmt="png", dpi=10)


def fetched_urls(html: str) -> list[str]:
    """The http(s) addresses of src/href attributes and CSS url(): what a browser would load."""
    return [u for u in external_urls(html) if re.match(r"\s*(https?:)?//", u)]


def test_the_tour_html_needs_nothing_from_outside(material):
    html = tour_html(material, "zh", links=[LINK, LINK])
    assert fetched_urls(html) == []
    assert external_urls(html) == []  # not even a relative address
    assert "<script src=" not in html and 'rel="stylesheet"' not in html
    assert "L.map(" in html and "@font-face" in html
    data = re.search(r'<script type="application/json" id="lsz-tour-data">(.*?)</script>', html)
    stops = json.loads(data.group(1))["stops"]
    assert [s["title"] for s in stops] == [f"{TITLES['zh']} zone", f"{TITLES['zh']} road"]
    assert all(s["qr"].startswith("data:image/svg+xml;base64,") for s in stops)


def test_the_view_html_needs_nothing_from_outside_and_holds_its_layers(material):
    view = ExportView(
        lang="vi", layers=("valid_zone", "valid_points"), as_of=date(2025, 6, 30), feature=None
    )
    html = view_html(view, material)
    assert external_urls(html) == []
    assert '"zone-valid"' in html  # the zone's feature is in the page's data
    assert '"road-valid"' not in html  # a layer not shown is not


def test_data_text_cannot_open_a_tag_in_the_html(layers_dir, tmp_path):
    folder = tmp_path / "layers"
    shutil.copytree(layers_dir, folder)
    doc = json.loads((folder / "tour.json").read_text(encoding="utf-8"))
    doc["stops"][0]["title_en"] = "</script><img src=https://evil.example/x.png>"
    (folder / "tour.json").write_text(json.dumps(doc), encoding="utf-8")
    html = tour_html(load_material(folder / "registry.json"), "en")
    assert external_urls(html) == []
    assert "</script><img" not in html


def test_geo_export_writes_a_png_of_the_map_view(layers_dir, tmp_path, capsys):
    out = tmp_path / "view.png"
    registry = str(layers_dir / "registry.json")
    args = ["export", "--format", "png", "--dpi", "100", "--registry", registry, str(out)]
    assert main(args) == 0
    assert f"wrote {out}: map view, PNG" in capsys.readouterr().out
    with Image.open(out) as image:
        assert image.size == (1169, 827)


def test_geo_export_writes_the_tour_as_html_and_a_pdf_stop_in_portrait(layers_dir, tmp_path):
    registry = ["--registry", str(layers_dir / "registry.json")]
    html_out, pdf_out = tmp_path / "tour.html", tmp_path / "stop.pdf"
    assert (
        main(["export", "--format", "html", "--tour", "--lang", "en", *registry, str(html_out)])
        == 0
    )
    assert external_urls(html_out.read_text(encoding="utf-8")) == []
    args = ["export", "--format", "pdf", "--tour", "--portrait", "--paper", "A3", *registry]
    assert main([*args, str(pdf_out)]) == 0
    reader = PdfReader(pdf_out)
    assert len(reader.pages) == 2
    assert float(reader.pages[0].mediabox.height) == pytest.approx(1190.55, abs=0.05)


def test_geo_export_refuses_what_it_cannot_do_and_writes_nothing(layers_dir, tmp_path, capsys):
    registry = ["--registry", str(layers_dir / "registry.json")]
    out = tmp_path / "x.png"
    assert main(["export", "--format", "png", "--tour", "--stop", "9", *registry, str(out)]) == 1
    assert "--stop 9: the tour has 2 stop(s)" in capsys.readouterr().out
    assert main(["export", "--format", "geojson", str(out)]) == 1
    assert "say what to export with --layer or --lot" in capsys.readouterr().out
    assert main(["export", "--layer", "zones", "--format", "pdf", str(out)]) == 1
    assert "export --layer: --format must be one of geojson" in capsys.readouterr().out
    assert main(["export", "--format", "png", "--feature", "zone-nope", *registry, str(out)]) == 1
    assert "no loaded feature has this id" in capsys.readouterr().out
    assert not out.exists()


def test_an_export_coloured_by_age_draws_and_lists_the_age_classes(material):
    status_view = ExportView(
        lang="en", layers=("valid_zone", "valid_points"), as_of=date(2025, 6, 30), feature=None
    )
    view = replace(status_view, colour_by="age")
    assert view.query()["colour"] == "age" and "colour" not in status_view.query()
    entries = legend_entries(material.visible(view), lang="en", as_of=view.as_of, colour_by="age")
    classes = {age_class_label(c, "en") for c in AGE_CLASSES}
    age_colours = {e["colour"] for e in entries if e["label"] in classes}
    assert age_colours and age_colours <= set(style.AGE_COLOURS.values())
    html = view_html(view, material)
    assert t("legend.age_heading", "en", date="").strip() in html
    for colour in age_colours:
        assert colour in html
    assert t("legend.age_heading", "en", date="").strip() not in view_html(status_view, material)
    text = squashed(pdf_text(render_print(view, material, fmt="pdf")))
    for entry in entries:
        assert squashed(str(entry["label"])) in text
