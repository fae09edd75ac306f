"""Pure geo core of the Đồng Đăng – Lạng Sơn planning map (never imports streamlit).

Modules: :mod:`geo.errors` (error hierarchy), :mod:`geo.schema` (data-model vocabulary and
validators), :mod:`geo.crs` (VN-2000 ↔ WGS84), :mod:`geo.measure` (geodesic measures),
:mod:`geo.sources`, :mod:`geo.registry`, :mod:`geo.io` (reading layers), :mod:`geo.catalog`
(every layer at once) and :mod:`geo.cli` (``python -m geo``).
"""
