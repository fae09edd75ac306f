"""``python -m geo users add NAME --role planner|admin``, ``users list``, ``users remove NAME``.

The password is read from an interactive prompt (typed twice, not echoed) or from the first
line of ``--password-file PATH``; never from the command line, where other users of the
machine and the shell history would see it.
"""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path
from typing import TextIO

from geo.errors import GeoError

__all__ = ["add_parser", "run"]


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``users`` command and its ``add`` / ``list`` / ``remove`` sub-commands."""
    from geo.store.accounts import ACCOUNT_ROLES

    users = sub.add_parser(
        "users",
        help="manage the planners' and admins' accounts in the store",
        description="Accounts of the store (DATABASE_URL, else data/lsz.gpkg).",
    )
    actions = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = actions.add_parser(
        "add",
        # No abbreviations: `--password X` must not be read as `--password-file X`.
        allow_abbrev=False,
        help="create an account",
        description=(
            "Create an account. The password is asked for at a prompt (twice), or read from "
            "the first line of --password-file; it is never given on the command line."
        ),
    )
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=ACCOUNT_ROLES)
    add.add_argument("--password-file", type=Path, metavar="PATH")
    actions.add_parser("list", help="list the accounts and their roles")
    remove = actions.add_parser("remove", help="remove an account")
    remove.add_argument("name", metavar="NAME")


def _password(args: argparse.Namespace) -> str:
    if args.password_file is not None:
        try:
            lines = args.password_file.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise GeoError(f"--password-file: cannot read {args.password_file}: {exc}") from None
        return lines[0] if lines else ""
    first = getpass.getpass(f"password for {args.name}: ")
    if getpass.getpass("the same password again: ") != first:
        raise GeoError("the two passwords differ; nothing was written")
    return first


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Run a ``users`` action; print what it did or the error; return the exit status."""
    from geo.store.accounts import add_account, list_accounts, remove_account
    from geo.store.core import open_store

    try:
        with open_store() as store:
            if args.users_command == "add":
                account = add_account(store, args.name, _password(args), args.role)
                print(f"added {account.name} ({account.role}) to {store.label}", file=out)
            elif args.users_command == "remove":
                remove_account(store, args.name)
                print(f"removed {args.name} from {store.label}", file=out)
            else:
                for account in list_accounts(store):
                    print(f"{account.name}\t{account.role}", file=out)
        return 0
    except GeoError as exc:
        print(f"error: {exc}", file=out)
        return 1
