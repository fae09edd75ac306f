"""Pure geo core of the Đồng Đăng – Lạng Sơn planning map (never imports streamlit).

Modules: :mod:`geo.errors` (error hierarchy), :mod:`geo.problems` (reporting a breach),
:mod:`geo.vocabulary` (the data model's fixed values and field lists), :mod:`geo.field_checks`
and :mod:`geo.collection_checks` (the validators of one feature and of one layer file),
:mod:`geo.jsonfile` (reading a JSON file), :mod:`geo.crs` (VN-2000 ↔ WGS84),
:mod:`geo.measure` (geodesic measures), :mod:`geo.sources`, :mod:`geo.registry`, :mod:`geo.io`
(reading layers), :mod:`geo.catalog` (every layer at once) and :mod:`geo.cli` (``python -m geo``).
"""
