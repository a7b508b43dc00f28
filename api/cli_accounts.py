"""``zonegraph user …`` and ``zonegraph token …``: the accounts of the web app and the API.

Passwords and tokens are shown once, as the last word of the command's output, and never
kept: only their hashes are (see :mod:`api.accounts`). Whoever can run these commands can
read the accounts file, so they need no sign-in of their own.

Every change is recorded in the database's audit trail (``account.*``, ``token.*``, by
``cli:<OS user>``; never a password or a token). The accounts file and the database are two
files, so the change is made first and recorded next: if the database cannot take the
entry, the command says so and exits 1.
"""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer

from api.accounts import ROLES, AccountBook, new_password, open_accounts
from api.cli_common import cli_event, err, store_for
from graph_model.errors import AccountError, StoreError, ZonegraphError
from graph_model.settings import load_settings

user_app = typer.Typer(help="People who sign in to the web app: add, list, disable, passwd.")
token_app = typer.Typer(help="Bearer tokens for scripts: create, list, revoke.")

RoleOpt = Annotated[str, typer.Option("--role", help=f"one of {', '.join(ROLES)}")]
StreetsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--streets",
        help="an organizer's streets (repeat, or comma-separated); none: the whole zone",
    ),
]
StdinOpt = Annotated[
    bool,
    typer.Option("--password-stdin", help="read the password from standard input"),
]


def _book() -> AccountBook:
    return open_accounts(load_settings())


def _record(action: str, detail: str) -> None:
    """Put an account change on the audit trail."""
    try:
        with store_for(write=True) as store:
            store.record(cli_event(action, detail))
    except ZonegraphError as exc:
        raise StoreError(f"the change was made but not recorded in the audit trail: {exc}") from exc


def _password(from_stdin: bool) -> tuple[str, bool]:
    """The password to set, and whether it was made here (and must be shown)."""
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise AccountError("no password on standard input")
        return line, False
    return new_password(), True


def _grant(streets: tuple[str, ...]) -> str:
    return "、".join(streets) if streets else "whole zone"


@user_app.command("add")
def user_add(
    name: str,
    role: RoleOpt = "viewer",
    streets: StreetsOpt = None,
    password_stdin: StdinOpt = False,
) -> None:
    """Add a person; a password is made and shown once unless --password-stdin gives one."""
    book = _book()
    password, made = _password(password_stdin)
    account = book.add_user(name, role, password, streets or ())
    where = f", streets: {_grant(account.streets)}" if account.role == "organizer" else ""
    _record("account.add", f"{account.name} ({account.role}{where})")
    typer.echo(f"added {account.name} ({account.role}{where})")
    if made:
        typer.echo(f"password for {account.name} (shown once): {password}")


@user_app.command("list")
def user_list() -> None:
    """Everyone who can sign in, with role, streets and state."""
    for a in _book().users():
        state = "disabled" if a.disabled else ("locked" if a.locked_until else "active")
        streets = _grant(a.streets) if a.role == "organizer" else "-"
        typer.echo(f"{a.name}\t{a.role}\t{streets}\t{state}\tsince {a.created}")


@user_app.command("disable")
def user_disable(name: str) -> None:
    """Disable an account: it can no longer sign in, and its sign-ins end now."""
    _book().set_disabled(name, True)
    _record("account.disable", name)
    typer.echo(f"disabled {name}")


@user_app.command("enable")
def user_enable(name: str) -> None:
    """Enable a disabled account again."""
    _book().set_disabled(name, False)
    _record("account.enable", name)
    typer.echo(f"enabled {name}")


@user_app.command("passwd")
def user_passwd(name: str, password_stdin: StdinOpt = False) -> None:
    """Set a new password (made and shown once unless --password-stdin gives one); every
    sign-in of the account ends and a lock-out is lifted."""
    book = _book()
    password, made = _password(password_stdin)
    book.set_password(name, password)
    _record("account.passwd", name)
    typer.echo(f"new password set for {name}; their sign-ins have ended")
    if made:
        typer.echo(f"password for {name} (shown once): {password}")


@token_app.command("create")
def token_create(
    role: RoleOpt = "viewer",
    streets: StreetsOpt = None,
    name: Annotated[str, typer.Option(help="what the token is for (shown in lists)")] = "",
) -> None:
    """Make a bearer token; it is printed once, as the last word of the output."""
    info, text = _book().create_token(
        role, name=name, streets=streets or (), created_by=f"cli:{getpass.getuser()}"
    )
    where = f", streets: {_grant(info.streets)}" if info.role == "organizer" else ""
    _record("token.create", f"{info.id} {info.name} ({info.role}{where})")
    err(f"token {info.id} ({info.role}{where}); it is shown once — keep it safe")
    typer.echo(text)


@token_app.command("list")
def token_list() -> None:
    """Every token made, with role, streets and whether it is revoked (never the token)."""
    for t in _book().tokens():
        state = f"revoked {t.revoked}" if t.revoked else "active"
        used = t.last_used or "never used"
        streets = _grant(t.streets) if t.role == "organizer" else "-"
        typer.echo(f"{t.id}\t{t.name}\t{t.role}\t{streets}\t{state}\t{used}")


@token_app.command("revoke")
def token_revoke(token_id: str) -> None:
    """Revoke a token by its id (from `zonegraph token list`); it stops working at once."""
    _book().revoke(token_id)
    _record("token.revoke", token_id)
    typer.echo(f"revoked {token_id}")
