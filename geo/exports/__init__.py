"""Exports of the map's data and views (files a person takes away: HTML, PNG, PDF, ...)."""
