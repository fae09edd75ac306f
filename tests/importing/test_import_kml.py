import zipfile

import pytest
from builders import GATE_LONLAT, VIETNAMESE

from geo.importing.model import ImportFileError
from geo.importing.read import read_file

LON, LAT = GATE_LONLAT
KML = f"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2">
<Document><name>Khảo sát</name>
<Schema name="lots" id="lots"><SimpleField name="TEN_LO" type="string"/></Schema>
<Folder><name>Lô</name>
  <Placemark id="pm-1">
    <name>KTC-01</name>
    <description>{VIETNAMESE}</description>
    <ExtendedData>
      <Data name="ID"><value>KTC-01</value></Data>
      <Data name="progress_pct"><displayName>Tiến độ</displayName><value>40</value></Data>
      <SchemaData schemaUrl="#lots"><SimpleData name="TEN_LO">Lô A</SimpleData></SchemaData>
    </ExtendedData>
    <Polygon>
      <outerBoundaryIs><LinearRing><coordinates>
        {LON},{LAT},0 {LON + 0.001},{LAT},0 {LON + 0.001},{LAT + 0.001},0 {LON},{LAT},0
      </coordinates></LinearRing></outerBoundaryIs>
      <innerBoundaryIs><LinearRing><coordinates>
        {LON + 0.0002},{LAT + 0.0001} {LON + 0.0004},{LAT + 0.0001}
        {LON + 0.0004},{LAT + 0.0002} {LON + 0.0002},{LAT + 0.0001}
      </coordinates></LinearRing></innerBoundaryIs>
    </Polygon>
  </Placemark>
</Folder>
<Placemark><name>Cổng</name><Point><coordinates>{LON},{LAT}</coordinates></Point></Placemark>
<Placemark><name>Đường</name><MultiGeometry>
  <LineString><coordinates>{LON},{LAT} {LON + 0.01},{LAT}</coordinates></LineString>
  <LineString><coordinates>{LON},{LAT + 0.01} {LON + 0.01},{LAT + 0.01}</coordinates></LineString>
</MultiGeometry></Placemark>
</Document></kml>
"""


def check_survey(layer):
    frame = layer.frame
    assert frame.crs.to_string() == "EPSG:4326" and layer.crs_text is None
    assert list(frame.columns) == [
        "name",
        "description",
        "ID",
        "progress_pct",
        "TEN_LO",
        "id",
        "geometry",
    ]
    first = frame.iloc[0]
    assert (first["name"], first["ID"], first["progress_pct"], first["TEN_LO"], first["id"]) == (
        "KTC-01",
        "KTC-01",
        "40",
        "Lô A",
        "pm-1",
    )
    assert first["description"] == VIETNAMESE
    polygon = frame.geometry.iloc[0]
    assert polygon.exterior.coords[0] == (LON, LAT, 0.0) and len(polygon.interiors) == 1
    assert polygon.interiors[0].coords[1] == (LON + 0.0004, LAT + 0.0001)
    assert frame.geometry.iloc[1].coords[0] == (LON, LAT)
    assert frame.geometry.iloc[2].geom_type == "MultiLineString"
    assert list(frame["name"]) == ["KTC-01", "Cổng", "Đường"]
    assert layer.problems == []


def test_kml_placemarks_with_extended_data(tmp_path):
    path = tmp_path / "survey.kml"
    path.write_text(KML, encoding="utf-8")
    [layer] = read_file(path)
    assert layer.file == "survey.kml" and layer.name == "survey"
    check_survey(layer)


def test_kmz_reads_its_doc_kml(tmp_path):
    path = tmp_path / "survey.kmz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("files/other.kml", "<kml/>")
        zf.writestr("doc.kml", KML)
        zf.writestr("files/icon.png", b"\x89PNG")
    [layer] = read_file(path)
    assert layer.file == "survey.kmz!doc.kml"
    check_survey(layer)


def test_an_unclosed_kml_ring_is_reported(tmp_path):
    path = tmp_path / "open.kml"
    ring = f"{LON},{LAT} {LON + 0.001},{LAT} {LON + 0.001},{LAT + 0.001}"
    path.write_text(
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>x</name><Polygon>'
        f"<outerBoundaryIs><LinearRing><coordinates>{ring}</coordinates></LinearRing>"
        "</outerBoundaryIs></Polygon></Placemark></kml>"
    )
    [layer] = read_file(path)
    [problem] = layer.problems
    assert (problem.feature, problem.rule) == ("#1", "unclosed-ring")
    assert f"ends at [{LON + 0.001}, {LAT + 0.001}]" in problem.message


def test_kml_coordinates_that_are_not_numbers_are_a_problem(tmp_path):
    path = tmp_path / "bad.kml"
    path.write_text(
        "<kml><Placemark><Point><coordinates>106,7;21,9</coordinates></Point></Placemark></kml>"
    )
    [layer] = read_file(path)
    [problem] = layer.problems
    assert problem.rule == "unreadable-geometry" and "'106,7;21,9'" in problem.message
    assert layer.frame.geometry.iloc[0] is None


XXE = """<?xml version="1.0"?>
<!DOCTYPE kml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<kml><Placemark><name>&secret;</name></Placemark></kml>"""
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">\n' for i in range(1, 10))
    + "]>\n<kml><Placemark><name>&lol9;</name></Placemark></kml>"
).replace("&lol0;", "&lol;")


@pytest.mark.parametrize("content", [XXE, LAUGHS], ids=["external-entity", "billion-laughs"])
def test_hostile_kml_is_refused_naming_the_file(tmp_path, content):
    path = tmp_path / "evil.kml"
    path.write_text(content)
    with pytest.raises(ImportFileError, match=r"^evil\.kml: refused: the XML declares"):
        read_file(path)


def test_hostile_kml_inside_a_kmz_names_the_member(tmp_path):
    path = tmp_path / "evil.kmz"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("doc.kml", XXE)
    with pytest.raises(ImportFileError, match=r"^evil\.kmz!doc\.kml: refused"):
        read_file(path)


def test_truncated_kml_is_refused_with_the_position(tmp_path):
    path = tmp_path / "cut.kml"
    path.write_text(KML[:300], encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"^cut\.kml: not well-formed XML at line \d+"):
        read_file(path)


def test_without_doc_kml_the_first_kml_in_the_archive_is_read(tmp_path):
    path = tmp_path / "survey.kmz"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("z_first.kml", KML)
        zf.writestr("a_second.kml", "<kml/>")
    [layer] = read_file(path)
    assert layer.file == "survey.kmz!z_first.kml" and len(layer.frame) == 3


def test_a_kmz_with_a_hostile_member_is_refused_before_extracting(tmp_path, scratch):
    path = tmp_path / "survey.kmz"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("doc.kml", KML)
        zf.writestr("../../x.kml", "<kml/>")
    with pytest.raises(ImportFileError, match=r"^survey\.kmz!\.\./\.\./x\.kml: refused"):
        read_file(path)
    assert list(scratch.iterdir()) == []


def test_a_zip_named_zip_holding_only_kml_is_read_as_kmz(tmp_path):
    path = tmp_path / "survey.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("doc.kml", KML)
    [layer] = read_file(path)
    assert layer.file == "survey.zip!doc.kml"


def test_kml_positions_written_with_spaces_after_commas(tmp_path):
    path = tmp_path / "spaced.kml"
    path.write_text(
        f"<kml><Placemark><LineString><coordinates>{LON}, {LAT} {LON + 0.01}, {LAT}"
        "</coordinates></LineString></Placemark></kml>"
    )
    [layer] = read_file(path)
    assert list(layer.frame.geometry.iloc[0].coords) == [(LON, LAT), (LON + 0.01, LAT)]
