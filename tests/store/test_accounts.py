"""Accounts on both back ends: Argon2 hashes, login, the failure limit, the users command."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from geo.limits import LOGIN_FAILURE_WINDOW, LOGIN_FAILURES_ALLOWED, PASSWORD_MIN_CHARS
from geo.store import open_store, store_url
from geo.store.accounts import (
    Account,
    AccountError,
    add_account,
    authenticate,
    failures,
    list_accounts,
    login_locked,
    remove_account,
)
from tests.store.edit_fixtures import raw_connection

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"


def test_an_account_logs_in_with_its_password_only(empty_store, store_env):
    assert add_account(empty_store, "lan", PASSWORD, "planner") == Account("lan", "planner")
    assert authenticate(empty_store, "lan", PASSWORD) == Account("lan", "planner")
    assert authenticate(empty_store, "lan", PASSWORD + "x") is None
    assert authenticate(empty_store, "nobody", PASSWORD) is None
    assert [(f.name, f.reason) for f in failures(empty_store)] == [
        ("lan", "wrong password"),
        ("nobody", "unknown name"),
    ]
    conn = raw_connection(empty_store, store_env)
    try:
        [(stored,)] = conn.execute("SELECT password_hash FROM lsz_accounts").fetchall()
    finally:
        conn.close()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_after_too_many_failures_even_the_right_password_is_refused(empty_store):
    add_account(empty_store, "lan", PASSWORD, "planner")
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    for minute in range(LOGIN_FAILURES_ALLOWED):
        moment = start + timedelta(minutes=minute)
        assert authenticate(empty_store, "lan", "guess", now=moment) is None
    later = start + timedelta(minutes=LOGIN_FAILURES_ALLOWED)
    assert login_locked(empty_store, "lan", now=later)
    assert authenticate(empty_store, "lan", PASSWORD, now=later) is None
    assert failures(empty_store, "lan")[-1].reason == "locked"
    # Another account is not locked by them.
    add_account(empty_store, "minh", PASSWORD, "admin")
    assert authenticate(empty_store, "minh", PASSWORD, now=later) == Account("minh", "admin")
    # Once the failures are older than the window, the right password works again.
    after = later + LOGIN_FAILURE_WINDOW + timedelta(minutes=1)
    assert not login_locked(empty_store, "lan", now=after)
    assert authenticate(empty_store, "lan", PASSWORD, now=after) == Account("lan", "planner")


@pytest.mark.parametrize(
    ("name", "password", "role", "message"),
    [
        ("Lan Anh", PASSWORD, "planner", "account name: expected"),
        ("lan", PASSWORD, "public", "expected a role of planner, admin"),
        ("lan", "x" * (PASSWORD_MIN_CHARS - 1), "planner", "at least 12 characters"),
    ],
)
def test_a_bad_account_is_refused(empty_store, name, password, role, message):
    with pytest.raises(AccountError, match=message):
        add_account(empty_store, name, password, role)
    assert list_accounts(empty_store) == []


def test_accounts_are_listed_and_removed(empty_store):
    add_account(empty_store, "minh", PASSWORD, "admin")
    add_account(empty_store, "lan", PASSWORD, "planner")
    with pytest.raises(AccountError, match="exists already"):
        add_account(empty_store, "lan", PASSWORD, "admin")
    assert list_accounts(empty_store) == [Account("lan", "planner"), Account("minh", "admin")]
    remove_account(empty_store, "lan")
    assert authenticate(empty_store, "lan", PASSWORD) is None
    with pytest.raises(AccountError, match="no account 'lan'"):
        remove_account(empty_store, "lan")


def geo(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_users_command_reads_the_password_from_a_file(store_env, tmp_path):
    secret = tmp_path / "password"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    done = geo(
        store_env, "users", "add", "lan", "--role", "planner", "--password-file", str(secret)
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("added lan (planner)")
    assert geo(store_env, "users", "list").stdout == "lan\tplanner\n"
    with open_store(store_url(store_env)) as store:
        assert authenticate(store, "lan", PASSWORD) == Account("lan", "planner")
    refused = geo(store_env, "users", "add", "minh", "--role", "planner", "--password", PASSWORD)
    assert refused.returncode == 2 and "unrecognized arguments" in refused.stderr
    assert geo(store_env, "users", "remove", "lan").returncode == 0
    assert geo(store_env, "users", "list").stdout == ""


def _read_until(fd: int, marker: bytes) -> bytes:
    seen = b""
    while marker not in seen:
        chunk = os.read(fd, 1024)
        if not chunk:
            break
        seen += chunk
    return seen


def test_the_users_command_prompts_for_the_password_without_echo(store_env):
    env = {**os.environ, **store_env, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "geo", "users", "add", "lan", "--role", "admin"]
    pid, fd = pty.fork()
    if pid == 0:  # the child: a terminal of its own, as a planner at a shell
        os.chdir(ROOT)
        os.execve(sys.executable, argv, env)
    try:
        assert b"password for lan" in _read_until(fd, b": ")
        os.write(fd, PASSWORD.encode() + b"\n")
        assert b"again" in _read_until(fd, b"again: ")
        os.write(fd, PASSWORD.encode() + b"\n")
        rest = _read_until(fd, b"added lan")
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, rest
    assert PASSWORD.encode() not in rest  # not echoed
    with open_store(store_url(store_env)) as store:
        assert authenticate(store, "lan", PASSWORD) == Account("lan", "admin")
