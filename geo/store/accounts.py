"""Accounts of planners and admins, kept in the store; passwords hashed with Argon2id.

Three roles (:data:`ROLES`): ``public`` (anyone: read-only, no account), ``planner`` (edit,
import, enquiries) and ``admin`` (accounts as well). Accounts are ``planner`` or ``admin``.

Passwords are hashed with ``argon2-cffi``'s :class:`argon2.PasswordHasher` (Argon2id, its
RFC 9106 defaults) and never stored or logged. :func:`authenticate`:

- verifies against a fixed dummy hash when the name is unknown, so an unknown name takes as
  long as a wrong password (names cannot be probed by timing);
- refuses every attempt once an account name had :data:`geo.limits.LOGIN_FAILURES_ALLOWED`
  failures within :data:`geo.limits.LOGIN_FAILURE_WINDOW`;
- logs every failed attempt (``lsz_login_failures``: name, when, why).

Examples
--------
>>> Account("lan", "planner").can_edit, Account("lan", "planner").can_manage_accounts
(True, False)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import (
    Connection,
    delete,
    func,
    insert,
    select,
    update,
)

from geo.errors import GeoError
from geo.limits import (
    ACCOUNT_NAME_MAX_CHARS,
    LOGIN_FAILURE_WINDOW,
    LOGIN_FAILURES_ALLOWED,
    PASSWORD_MIN_CHARS,
)
from geo.store.account_tables import ACCOUNTS, FAILURES
from geo.store.core import Store

__all__ = [
    "ACCOUNT_ROLES",
    "ROLES",
    "Account",
    "AccountError",
    "LoginFailure",
    "add_account",
    "authenticate",
    "failures",
    "get_account",
    "list_accounts",
    "login_locked",
    "remove_account",
]

ROLES: Final = ("public", "planner", "admin")
#: The roles an account can have (``public`` is everyone without one).
ACCOUNT_ROLES: Final = ("planner", "admin")
_NAME: Final = re.compile(rf"[a-z0-9][a-z0-9._-]{{0,{ACCOUNT_NAME_MAX_CHARS - 1}}}")
_ACCOUNTS: Final = ACCOUNTS
_FAILURES: Final = FAILURES


class AccountError(GeoError):
    """An account that cannot be created or removed (the message says why)."""


@dataclass(frozen=True)
class Account:
    """A planner's or an admin's account (never its password or hash)."""

    name: str
    role: str

    @property
    def can_edit(self) -> bool:
        """Tell whether the account may edit, import and read enquiries."""
        return self.role in ACCOUNT_ROLES

    @property
    def can_manage_accounts(self) -> bool:
        """Tell whether the account may manage accounts."""
        return self.role == "admin"


@dataclass(frozen=True)
class LoginFailure:
    """One failed login: the name tried, when (UTC, ISO 8601) and why."""

    name: str
    at: str
    reason: str


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Return a hash no password is known for: unknown names are verified against it."""
    return _hasher().hash("no account has this password; it only costs the same time")


def _check_name(name: object) -> str:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise AccountError(
            "account name: expected 1 to "
            f"{ACCOUNT_NAME_MAX_CHARS} characters of a-z, 0-9, '.', '_', '-', starting with a "
            f"letter or digit; found {name!r}"
        )
    return name


def add_account(store: Store, name: str, password: str, role: str) -> Account:
    """Create an account; the password is hashed here and never kept.

    Raises
    ------
    AccountError
        When the name is malformed or taken, the role unknown, or the password too short.
    """
    _check_name(name)
    if role not in ACCOUNT_ROLES:
        raise AccountError(
            f"account {name!r}: expected a role of {', '.join(ACCOUNT_ROLES)}; found {role!r}"
        )
    if not isinstance(password, str) or len(password) < PASSWORD_MIN_CHARS:
        raise AccountError(
            f"account {name!r}: expected a password of at least {PASSWORD_MIN_CHARS} "
            "characters; found a shorter one"
        )
    digest = _hasher().hash(password)
    with store._writing() as conn:
        taken = conn.execute(select(_ACCOUNTS.c.name).where(_ACCOUNTS.c.name == name)).first()
        if taken is not None:
            raise AccountError(f"account {name!r} exists already; remove it first")
        conn.execute(
            insert(_ACCOUNTS).values(
                name=name,
                role=role,
                password_hash=digest,
                created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            )
        )
    return Account(name, role)


def list_accounts(store: Store) -> list[Account]:
    """Return every account, by name."""
    with store._reading() as conn:
        rows = conn.execute(select(_ACCOUNTS.c.name, _ACCOUNTS.c.role).order_by(_ACCOUNTS.c.name))
        return [Account(str(r[0]), str(r[1])) for r in rows]


def get_account(store: Store, name: str) -> Account | None:
    """Return the account of ``name`` as stored now (None if there is none)."""
    with store._reading() as conn:
        row = conn.execute(select(_ACCOUNTS.c.role).where(_ACCOUNTS.c.name == name)).first()
    return None if row is None else Account(name, str(row[0]))


def remove_account(store: Store, name: str) -> None:
    """Remove an account (its login failures stay logged).

    Raises
    ------
    AccountError
        When there is no such account.
    """
    with store._writing() as conn:
        done = conn.execute(delete(_ACCOUNTS).where(_ACCOUNTS.c.name == name))
        if done.rowcount != 1:
            raise AccountError(f"no account {name!r}")


def _recent_failures(conn: Connection, name: str, now: datetime) -> int:
    since = (now - LOGIN_FAILURE_WINDOW).isoformat(timespec="microseconds")
    return int(
        conn.execute(
            select(func.count())
            .select_from(_FAILURES)
            .where(_FAILURES.c.name == name, _FAILURES.c.at > since)
        ).scalar_one()
    )


def login_locked(store: Store, name: str, *, now: datetime | None = None) -> bool:
    """Tell whether logins of ``name`` are refused now (too many recent failures)."""
    with store._reading() as conn:
        return _recent_failures(conn, name, now or datetime.now(UTC)) >= LOGIN_FAILURES_ALLOWED


def authenticate(
    store: Store, name: str, password: str, *, now: datetime | None = None
) -> Account | None:
    """Return the account when ``password`` is its password, else None (and log why).

    ``now`` (UTC) is for tests of the failure window; default the current time.
    """
    moment = now or datetime.now(UTC)
    with store._reading() as conn:
        row = conn.execute(
            select(_ACCOUNTS.c.role, _ACCOUNTS.c.password_hash).where(_ACCOUNTS.c.name == name)
        ).first()
        locked = _recent_failures(conn, name, moment) >= LOGIN_FAILURES_ALLOWED
    digest = _dummy_hash() if row is None else str(row[1])
    try:
        verified = _hasher().verify(digest, password if isinstance(password, str) else "")
    except (VerificationError, InvalidHashError):
        verified = False
    if verified and row is not None and not locked:
        if _hasher().check_needs_rehash(digest):
            with store._writing() as conn:
                conn.execute(
                    update(_ACCOUNTS)
                    .where(_ACCOUNTS.c.name == name)
                    .values(password_hash=_hasher().hash(password))
                )
        return Account(name, str(row[0]))
    reason = "locked" if locked else ("unknown name" if row is None else "wrong password")
    with store._writing() as conn:
        conn.execute(
            insert(_FAILURES).values(
                name=str(name)[: ACCOUNT_NAME_MAX_CHARS * 2],
                at=moment.isoformat(timespec="microseconds"),
                reason=reason,
            )
        )
    return None


def failures(store: Store, name: str | None = None) -> list[LoginFailure]:
    """Return the logged failed logins (of one name), oldest first."""
    query = select(_FAILURES).order_by(_FAILURES.c.failure_id)
    if name is not None:
        query = query.where(_FAILURES.c.name == name)
    with store._reading() as conn:
        return [LoginFailure(r.name, r.at, r.reason) for r in conn.execute(query)]
