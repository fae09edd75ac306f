"""Importing a planner's file into the store: read safely, convert, validate, report, write.

:mod:`geo.importing.model` holds the shapes the steps share; see its docstring for the steps.
"""
