"""Streamlit UI pieces: each function owns its widget keys and returns plain values."""
