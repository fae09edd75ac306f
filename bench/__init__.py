"""Benchmarks of the map builder against the obvious folium paths (see README.md)."""
