"""``python -m geo export`` for every format and the lot sheet, as other tools call it."""

from __future__ import annotations

import codecs
import io
import json
from pathlib import Path

import openpyxl
import pyogrio
import pypdf
import pytest

from tests.store.test_store_cli import geo

LAYERS = Path(__file__).resolve().parents[2] / "layers"


def lots_count() -> int:
    return len(json.loads((LAYERS / "lots.geojson").read_text(encoding="utf-8"))["features"])


@pytest.fixture
def seeded_env(store_env):
    done = geo(store_env, "seed")
    assert done.returncode == 0, done.stdout + done.stderr
    return store_env


def test_a_whole_layer_exports_in_every_format_and_reads_back(seeded_env, tmp_path):
    n = lots_count()
    for fmt in ("geojson", "csv", "xlsx", "gpkg"):
        out = tmp_path / f"lots.{fmt}"
        done = geo(seeded_env, "export", "--layer", "lots", "--format", fmt, str(out))
        assert done.returncode == 0, done.stdout + done.stderr
        assert f"layer 'lots' v1, {n} feature(s)" in done.stdout
    assert len(pyogrio.read_dataframe(tmp_path / "lots.geojson")) == n
    assert (tmp_path / "lots.csv").read_bytes().startswith(codecs.BOM_UTF8)
    assert len(pyogrio.read_dataframe(tmp_path / "lots.csv")) == n
    book = openpyxl.load_workbook(tmp_path / "lots.xlsx")
    assert book["data"].max_row == n + 1
    assert book[book.sheetnames[1]]["A1"].value == "Thông tin chỉ có giá trị tham khảo"
    info = pyogrio.read_info(tmp_path / "lots.gpkg")
    assert info["crs"] == "EPSG:4326" and info["features"] == n
    assert "banqlktck-540" in info["layer_metadata"]["sources"]


def test_lang_sets_the_language_of_the_notes(seeded_env, tmp_path):
    out = tmp_path / "zones.xlsx"
    done = geo(
        seeded_env, "export", "--layer", "zones", "--format", "xlsx", "--lang", "zh", str(out)
    )
    assert done.returncode == 0, done.stdout
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["data", "说明"] and book["说明"]["A1"].value == "仅供参考"


def test_modes_and_formats_are_checked_with_a_clear_message(seeded_env, tmp_path):
    out = str(tmp_path / "x")
    wrong_format = geo(seeded_env, "export", "--lot", "lot-ktc-a01", "--format", "csv", out)
    pdf_of_layer = geo(seeded_env, "export", "--layer", "lots", "--format", "pdf", out)
    no_subject = geo(seeded_env, "export", "--format", "csv", out)
    both = geo(seeded_env, "export", "--layer", "lots", "--lot", "x", "--format", "pdf", out)
    unknown = geo(seeded_env, "export", "--lot", "lot-nowhere", "--format", "pdf", out)
    for done in (wrong_format, pdf_of_layer, no_subject, both, unknown):
        assert done.returncode != 0
        assert "Traceback" not in done.stdout + done.stderr
    assert "export --lot: --format must be one of pdf; got 'csv'" in wrong_format.stdout
    assert "export --layer: --format must be one of geojson, csv, xlsx, gpkg" in pdf_of_layer.stdout
    assert "say what to export with --layer or --lot" in no_subject.stdout
    assert "not allowed with argument --layer" in both.stderr
    assert "no lot 'lot-nowhere' in the store (lot layers: lots)" in unknown.stdout
    assert not (tmp_path / "x").exists()


@pytest.fixture
def gpkg_env(tmp_path):
    env = {"LSZ_DATA_DIR": str(tmp_path / "data")}
    done = geo(env, "seed")
    assert done.returncode == 0, done.stdout + done.stderr
    return env


def test_a_lot_sheet_is_written_as_a_one_page_a4_pdf(gpkg_env, tmp_path):
    out = tmp_path / "a01.pdf"
    done = geo(
        gpkg_env, "export", "--lot", "lot-ktc-a01", "--format", "pdf", "--lang", "en", str(out)
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "lot 'lot-ktc-a01' of layer 'lots' v1, A4 PDF (en)" in done.stdout
    reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
    assert len(reader.pages) == 1
    assert float(reader.pages[0].mediabox.width) == pytest.approx(595.28, abs=0.5)
    text = reader.pages[0].extract_text()
    assert "Lot A-01" in text and "For reference only" in text
