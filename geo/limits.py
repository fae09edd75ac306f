"""Limits of the planners' side, in one place: logins, passwords, sessions.

Examples
--------
>>> LOGIN_FAILURES_ALLOWED, LOGIN_FAILURE_WINDOW.total_seconds() / 60
(5, 15.0)
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

__all__ = [
    "ACCOUNT_NAME_MAX_CHARS",
    "LOGIN_FAILURES_ALLOWED",
    "LOGIN_FAILURE_WINDOW",
    "PASSWORD_MIN_CHARS",
    "SESSION_LIFETIME",
]

#: Failed logins of one account name allowed within :data:`LOGIN_FAILURE_WINDOW`; after that
#: every attempt is refused (and logged) until the oldest failure leaves the window.
LOGIN_FAILURES_ALLOWED: Final = 5
LOGIN_FAILURE_WINDOW: Final = timedelta(minutes=15)
#: A password shorter than this is refused when an account is created.
PASSWORD_MIN_CHARS: Final = 12
ACCOUNT_NAME_MAX_CHARS: Final = 64
#: How long a login lasts in the app before the planner logs in again.
SESSION_LIFETIME: Final = timedelta(hours=8)
