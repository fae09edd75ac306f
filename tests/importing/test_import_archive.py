import stat
import struct
import zipfile

import pytest
from builders import survey_frame, zip_folder

from geo.importing.archive import extracted
from geo.importing.limits import Limits
from geo.importing.model import ImportFileError
from geo.importing.read import read_file


def make_zip(path, members, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as zf:
        for info, data in members:
            zf.writestr(info, data)
    return path


def everything_under(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def good_zip(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    survey_frame("EPSG:4326").to_file(folder / "lots.shp", engine="pyogrio")
    return zip_folder(folder, tmp_path / "survey.zip")


def symlink(name, target):
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        ([("lots.shp", b"x"), ("../x.shp", b"x")], r"survey\.zip!\.\./x\.shp: refused: .*'\.\.'"),
        ([("a/../../x.shp", b"x")], r"survey\.zip!a/\.\./\.\./x\.shp: refused: .*'\.\.'"),
        ([("/etc/x", b"x")], r"survey\.zip!/etc/x: refused: .*absolute"),
        ([("C:\\x.shp", b"x")], r"survey\.zip!C:\\x\.shp: refused: .*absolute"),
        ([symlink("lots.shp", "/etc/passwd")], r"survey\.zip!lots\.shp: refused: .*symbolic link"),
    ],
    ids=["dot-dot", "nested-dot-dot", "absolute", "drive", "symlink"],
)
def test_hostile_member_is_refused_before_anything_is_extracted(
    tmp_path, scratch, members, expected
):
    path = make_zip(tmp_path / "survey.zip", members)
    with pytest.raises(ImportFileError, match=f"^{expected}"):
        read_file(path)
    assert everything_under(scratch) == []
    assert not (tmp_path / "x.shp").exists() and not (tmp_path.parent / "x.shp").exists()


def test_a_zip_bomb_by_ratio_is_refused_quoting_the_limit(tmp_path, scratch):
    path = make_zip(tmp_path / "bomb.zip", [("lots.dbf", bytes(2_000_000))])
    with pytest.raises(
        ImportFileError, match=r"^bomb\.zip!lots\.dbf: refused: .*compressed \d+ times; at most 50 "
    ):
        read_file(path, limits=Limits(max_compression_ratio=50))
    assert everything_under(scratch) == []


def test_a_zip_over_the_total_size_is_refused_quoting_the_limit(tmp_path, scratch):
    members = [(f"part{i}.dbf", bytes(400_000)) for i in range(3)]
    path = make_zip(tmp_path / "big.zip", members)
    with pytest.raises(
        ImportFileError,
        match=r"^big\.zip: refused: the archive would expand to 1\.1 MB; at most 1 MB",
    ):
        read_file(path, limits=Limits(max_uncompressed_mb=1))
    assert everything_under(scratch) == []


def test_too_many_members_are_refused_quoting_the_limit(tmp_path, scratch):
    path = make_zip(tmp_path / "many.zip", [(f"f{i}.txt", b"x") for i in range(5)])
    with pytest.raises(ImportFileError, match=r"^many\.zip: refused: .*5 members; at most 3 "):
        read_file(path, limits=Limits(max_zip_members=3))
    assert everything_under(scratch) == []


def test_a_member_lying_about_its_size_is_stopped_while_extracting(tmp_path, scratch):
    path = make_zip(tmp_path / "liar.zip", [("lots.dbf", b"A" * 1000)], zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    # Declare 100 bytes instead of 1000 in both the local header and the central directory.
    local = data.index(b"PK\x03\x04")
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, 100)
    struct.pack_into("<I", data, central + 24, 100)
    path.write_bytes(bytes(data))
    with pytest.raises(ImportFileError, match=r"^liar\.zip!lots\.dbf: "):
        with extracted(path):
            pass
    assert everything_under(scratch) == []


def test_a_good_zip_is_extracted_privately_and_removed_afterwards(tmp_path, scratch):
    path = good_zip(tmp_path)
    with extracted(path) as folder:
        assert folder.parent == scratch and folder.name.startswith("lsz-import-")
        assert {"lots.shp", "lots.dbf", "lots.shx", "lots.prj"} <= set(everything_under(folder))
    assert everything_under(scratch) == []
    [layer] = read_file(path)
    assert len(layer.frame) == 2 and everything_under(scratch) == []


def test_a_truncated_zip_is_refused_naming_the_file(tmp_path, scratch):
    path = good_zip(tmp_path)
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ImportFileError, match=r"^survey\.zip: not a readable zip archive"):
        read_file(path)
    assert everything_under(scratch) == []


def test_a_zip_name_on_a_file_that_is_not_a_zip(tmp_path):
    path = tmp_path / "survey.zip"
    path.write_text("not a zip")
    with pytest.raises(ImportFileError, match=r"^survey\.zip: not a zip archive"):
        read_file(path)


def test_two_members_of_one_name_are_refused(tmp_path, scratch):
    with pytest.warns(UserWarning, match="Duplicate name"):
        path = make_zip(tmp_path / "twice.zip", [("lots.dbf", b"a"), ("lots.dbf", b"b")])
    with pytest.raises(ImportFileError, match=r"^twice\.zip!lots\.dbf: refused: .*two members"):
        read_file(path)
    assert everything_under(scratch) == []
