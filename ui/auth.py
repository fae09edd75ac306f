"""Who is using the app: public by default, a planner or an admin after a login.

The role is never read from anything a browser can send (query string, widget values) or
from a value a script could set in the session state: a successful
:func:`geo.store.accounts.authenticate` opens a session in the server's :class:`Sessions`
table and puts only its random token in the session state (:data:`ui.state.AUTH_TOKEN_KEY`).
Each run looks the token up in that table (a forged or expired token names nobody) and reads
the account's role from the store again (a removed account loses its rights at once).
"""

from __future__ import annotations

import os
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

import streamlit as st

from geo.i18n import t
from geo.limits import LOGIN_FAILURE_WINDOW, SESSION_LIFETIME
from geo.store import Store
from geo.store.accounts import Account, authenticate, get_account, login_locked
from ui import state as ui_state
from ui.data import REGISTRY_ENV, app_store


@dataclass(frozen=True)
class _Login:
    name: str
    expires: datetime


class Sessions:
    """The server's table of open logins: token → account name and expiry (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._logins: dict[str, _Login] = {}

    def open(self, account: Account, now: datetime | None = None) -> str:
        """Open a login for ``account``; return its token (random, 256 bits)."""
        token = secrets.token_urlsafe(32)
        moment = now or datetime.now(UTC)
        with self._lock:
            self._logins[token] = _Login(account.name, moment + SESSION_LIFETIME)
        return token

    def name(self, token: object, now: datetime | None = None) -> str | None:
        """Return the account name of a token still open, else None."""
        if not isinstance(token, str):
            return None
        moment = now or datetime.now(UTC)
        with self._lock:
            login = self._logins.get(token)
            if login is not None and login.expires <= moment:
                del self._logins[token]
                login = None
        return None if login is None else login.name

    def close(self, token: object) -> None:
        """Close a login (logout)."""
        if isinstance(token, str):
            with self._lock:
                self._logins.pop(token, None)


@st.cache_resource(show_spinner=False)
def sessions() -> Sessions:
    """Return the server's session table (one per server process)."""
    return Sessions()


def current_account(store: Store | None) -> Account | None:
    """Return the account logged in in this session, or None (public)."""
    if store is None:
        return None
    name = sessions().name(st.session_state.get(ui_state.AUTH_TOKEN_KEY))
    return None if name is None else get_account(store, name)


def can_edit() -> bool:
    """Return whether this session is a logged-in planner or admin (draws nothing)."""
    account = current_account(app_store())
    return account is not None and account.can_edit


def _login(store: Store) -> None:
    name = str(st.session_state.get(ui_state.LOGIN_NAME_KEY) or "").strip()
    password = str(st.session_state.get(ui_state.LOGIN_PASSWORD_KEY) or "")
    account = authenticate(store, name, password)
    if account is None:
        locked = login_locked(store, name)
        st.session_state[ui_state.LOGIN_ERROR_KEY] = "login.locked" if locked else "login.failed"
        return
    st.session_state[ui_state.AUTH_TOKEN_KEY] = sessions().open(account)
    st.session_state.pop(ui_state.LOGIN_ERROR_KEY, None)


def _logout() -> None:
    sessions().close(st.session_state.pop(ui_state.AUTH_TOKEN_KEY, None))


def login(lang: str) -> Account | None:
    """Draw the sidebar's login (or who is logged in and a logout); return the account."""
    store = app_store()
    account = current_account(store)
    st.sidebar.subheader(t("login.title", lang))
    if store is None:  # no store with $LSZ_REGISTRY; else the store file is damaged
        st.sidebar.caption(
            t("login.no_store" if os.environ.get(REGISTRY_ENV) else "readonly.login", lang)
        )
        return None
    if account is not None:
        st.sidebar.text(
            t("login.as", lang, name=account.name, role=t(f"role.{account.role}", lang))
        )
        st.sidebar.button(t("login.logout", lang), key=ui_state.LOGOUT_BUTTON_KEY, on_click=_logout)
        return account
    with st.sidebar.form(ui_state.LOGIN_FORM_KEY, clear_on_submit=True):
        st.text_input(t("login.name", lang), key=ui_state.LOGIN_NAME_KEY)
        st.text_input(t("login.password", lang), type="password", key=ui_state.LOGIN_PASSWORD_KEY)
        st.form_submit_button(t("login.submit", lang), on_click=_login, args=(store,))
    flash = st.session_state.get(ui_state.LOGIN_ERROR_KEY)
    if flash in ("login.failed", "login.locked"):
        minutes = int(LOGIN_FAILURE_WINDOW.total_seconds() // 60)
        st.sidebar.error(t(flash, lang, minutes=minutes))  # our own text, no data in it
    return None
