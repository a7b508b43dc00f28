"""Signing tests in: a bearer token of a given role, made in the run's accounts file."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from api.accounts import Role, open_accounts
from api.sessions import COOKIE, Signer
from graph_model.settings import load_settings


def token(role: Role = "admin", streets: Sequence[str] = ()) -> str:
    """A fresh token of ``role`` (an organizer's ``streets``) in ZONEGRAPH_ACCOUNTS."""
    _, text = open_accounts(load_settings()).create_token(
        role, name=f"test-{role}", streets=streets, created_by="tests"
    )
    return text


def bearer(role: Role = "admin", streets: Sequence[str] = ()) -> dict[str, str]:
    """Headers that sign a request in as ``role``."""
    return {"Authorization": f"Bearer {token(role, streets)}"}


def session_cookie(role: Role = "admin", streets: Sequence[str] = ()) -> tuple[str, str]:
    """A new account of ``role`` and a sign-in cookie for it, as the /login page would set
    (the app signs with the accounts file's secret when ZONEGRAPH_SECRET is unset)."""
    book = open_accounts(load_settings())
    account = book.add_user(f"t{uuid.uuid4().hex[:8]}", role, "a test password", streets)
    return COOKIE, Signer(book.secret()).cookie(account.name, account.generation, 1)
