"""The tables of the planners' accounts: ``lsz_accounts`` and ``lsz_login_failures``.

A leaf of the store (it imports nothing from it), so :mod:`geo.store.core` can create the
tables with the store; what uses them is :mod:`geo.store.accounts`.

Examples
--------
>>> [c.name for c in ACCOUNTS.columns]
['name', 'role', 'password_hash', 'created_at']
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import Column, Connection, Integer, MetaData, Table, Text

__all__ = ["ACCOUNTS", "ACCOUNTS_TABLE", "FAILURES", "FAILURES_TABLE", "create"]

ACCOUNTS_TABLE: Final = "lsz_accounts"
FAILURES_TABLE: Final = "lsz_login_failures"

_metadata = MetaData()
ACCOUNTS: Final = Table(
    ACCOUNTS_TABLE,
    _metadata,
    Column("name", Text, primary_key=True),
    Column("role", Text, nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("created_at", Text, nullable=False),
)
#: Every failed login: the name tried, when (UTC, ISO 8601) and why.
FAILURES: Final = Table(
    FAILURES_TABLE,
    _metadata,
    Column("failure_id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False, index=True),
    Column("at", Text, nullable=False),
    Column("reason", Text, nullable=False),
)


def create(conn: Connection, dialect: str) -> None:
    """Create the accounts and login-failure tables (idempotent; the same on both back ends)."""
    _metadata.create_all(conn, checkfirst=True)
