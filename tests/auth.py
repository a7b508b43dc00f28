"""Signing tests in: a bearer token of a given role, made in the run's accounts file."""

from __future__ import annotations

from collections.abc import Sequence

from api.accounts import Role, open_accounts
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
