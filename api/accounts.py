"""The accounts file: people, their roles and street grants, bearer-token hashes, and the
secret that signs sign-ins.

It is a small SQLite file beside the database (``Settings.accounts_file``), apart from the
graph on purpose: a failed sign-in is counted on every attempt, and such small writes should
not rewrite the graph file. Passwords are stored as argon2id hashes, tokens as SHA-256
hashes of 256 random bits (a token cannot be guessed, so a slow hash would only slow every
request); neither can be read back.

Roles, from least to most: ``viewer`` reads; ``organizer`` also runs plans and scenarios,
imports and edits, in the streets of their grant (no streets: the whole zone); ``admin`` may
do everything, accounts included.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Literal

from api.passwords import hash_password, needs_rehash, verify_password
from graph_model.errors import AccountError, LoginRefused
from graph_model.settings import Settings

Role = Literal["viewer", "organizer", "admin"]
ROLES: tuple[Role, ...] = ("viewer", "organizer", "admin")

#: A user name: letters (any script), digits, and . _ @ - ; 1 to 64 characters.
NAME = re.compile(r"^[\w.@-]{1,64}$")
#: The shortest password we accept.
MIN_PASSWORD = 10
#: Tokens look like ``zg_<id>_<secret>``; the id finds the row, the secret is checked.
TOKEN = re.compile(r"^zg_(?P<id>[0-9a-f]{12})_(?P<secret>[A-Za-z0-9_-]{43})$")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    streets TEXT NOT NULL DEFAULT '[]',
    password TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    generation INTEGER NOT NULL DEFAULT 1,
    failures INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT
);
CREATE TABLE IF NOT EXISTS tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    streets TEXT NOT NULL DEFAULT '[]',
    hash TEXT NOT NULL,
    created TEXT NOT NULL,
    created_by TEXT NOT NULL,
    revoked TEXT,
    last_used TEXT
);
"""


def now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Account:
    """A person who signs in. ``streets`` empty means the whole zone. ``generation`` grows
    whenever the password changes or the account is disabled, which ends its sign-ins."""

    name: str
    role: Role
    streets: tuple[str, ...]
    disabled: bool
    created: str
    generation: int
    locked_until: str | None = None


@dataclass(frozen=True)
class TokenInfo:
    """A bearer token for scripts, as listed (its secret is never kept)."""

    id: str
    name: str
    role: Role
    streets: tuple[str, ...]
    created: str
    created_by: str
    revoked: str | None
    last_used: str | None


def check_role(role: str) -> Role:
    for known in ROLES:
        if role == known:
            return known
    raise AccountError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")


def clean_streets(streets: Sequence[str]) -> tuple[str, ...]:
    """Street names as granted: trimmed, without blanks or repeats, in the given order."""
    out: dict[str, None] = {}
    for street in streets:
        for part in street.split(","):
            if part.strip():
                out.setdefault(part.strip(), None)
    return tuple(out)


def new_password() -> str:
    """A random password a person can type: 16 characters from 96 bits."""
    return secrets.token_urlsafe(12)


def _token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class AccountBook:
    """The accounts file at ``path`` (created with its tables on first use)."""

    def __init__(self, path: Path, *, attempts: int = 5, lockout_minutes: float = 15.0) -> None:
        self.path = Path(path)
        self.attempts = attempts
        self.lockout = timedelta(minutes=lockout_minutes)
        self._create()

    @contextmanager
    def _db(self, *, write: bool = True, wait: float = 30) -> Iterator[sqlite3.Connection]:
        """One connection per use, one transaction, committed on success (SQLite connections
        must not cross threads, and requests run on many). Readers do not wait for each
        other; a writer takes the file's write lock at its start."""
        db = sqlite3.connect(self.path, timeout=wait, isolation_level=None)
        try:
            db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            db.close()

    def _create(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Only its owner may read the file: it holds password hashes and the signing key.
        fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
        os.close(fd)
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
        finally:
            db.close()

    # -- the secret -------------------------------------------------------------------------
    def secret(self) -> bytes:
        """The key that signs sign-ins: made once at random and kept here."""
        with self._db() as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'secret'").fetchone()
            if row is None:
                value = secrets.token_hex(32)
                db.execute("INSERT INTO meta VALUES ('secret', ?)", (value,))
                return bytes.fromhex(value)
            return bytes.fromhex(row[0])

    # -- people -----------------------------------------------------------------------------
    def add_user(self, name: str, role: str, password: str, streets: Sequence[str] = ()) -> Account:
        if not NAME.match(name):
            raise AccountError(
                f"bad user name {name!r}: 1 to 64 letters, digits or . _ @ - (no spaces)"
            )
        known = check_role(role)
        _check_password(password)
        grant = clean_streets(streets)
        with self._db() as db:
            if db.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                raise AccountError(f"a user named {name!r} already exists")
            db.execute(
                "INSERT INTO users (name, role, streets, password, created) VALUES (?,?,?,?,?)",
                (
                    name,
                    known,
                    json.dumps(grant, ensure_ascii=False),
                    hash_password(password),
                    _iso(now()),
                ),
            )
        return self.user(name)

    def user(self, name: str) -> Account:
        with self._db(write=False) as db:
            row = db.execute(
                "SELECT name, role, streets, disabled, created, generation, locked_until "
                "FROM users WHERE name = ?",
                (name,),
            ).fetchone()
        if row is None:
            raise AccountError(f"no user named {name!r}")
        return _account(row)

    def users(self) -> list[Account]:
        with self._db(write=False) as db:
            rows = db.execute(
                "SELECT name, role, streets, disabled, created, generation, locked_until "
                "FROM users ORDER BY name"
            ).fetchall()
        return [_account(r) for r in rows]

    def has_admin(self) -> bool:
        with self._db(write=False) as db:
            row = db.execute(
                "SELECT 1 FROM users WHERE role = 'admin' AND disabled = 0 LIMIT 1"
            ).fetchone()
        return row is not None

    def set_password(self, name: str, password: str) -> None:
        """A new password; every sign-in of the account ends, and a lock-out is lifted."""
        _check_password(password)
        self._update(
            name,
            "password = ?, generation = generation + 1, failures = 0, locked_until = NULL",
            (hash_password(password),),
        )

    def set_disabled(self, name: str, disabled: bool) -> None:
        """Disable (ending every sign-in) or enable an account."""
        self._update(name, "disabled = ?, generation = generation + 1", (1 if disabled else 0,))

    def _update(self, name: str, assignments: str, values: tuple[object, ...]) -> None:
        with self._db() as db:
            cur = db.execute(f"UPDATE users SET {assignments} WHERE name = ?", (*values, name))
            if cur.rowcount == 0:
                raise AccountError(f"no user named {name!r}")

    def sign_in(self, name: str, password: str) -> Account:
        """The account, if the password is right and the account is neither disabled nor
        locked; each failure counts, and ``attempts`` in a row lock it for a while.

        Raises
        ------
        LoginRefused
            Saying only "wrong name or password" (or that the account is locked for now).
        """
        moment = now()
        refusal: LoginRefused | None = None
        # The failure is counted in a transaction that commits; the refusal is raised after.
        with self._db() as db:
            row = db.execute(
                "SELECT password, disabled, failures, locked_until FROM users WHERE name = ?",
                (name,),
            ).fetchone()
            if row is None:
                verify_password(_dummy_hash(), password)
                refusal = LoginRefused("wrong user name or password")
            else:
                refusal = self._check(db, name, password, row, moment)
        if refusal is not None:
            raise refusal
        return self.user(name)

    def _check(
        self,
        db: sqlite3.Connection,
        name: str,
        password: str,
        row: Sequence[object],
        moment: datetime,
    ) -> LoginRefused | None:
        stored, disabled = str(row[0]), bool(row[1])
        failures, locked_until = int(str(row[2])), row[3]
        if locked_until and datetime.fromisoformat(str(locked_until)) > moment:
            wait = datetime.fromisoformat(str(locked_until)) - moment
            return LoginRefused(
                "too many failed sign-ins: the account is locked", int(wait.total_seconds()) + 1
            )
        if not verify_password(stored, password) or disabled:
            failures += 1
            lock = _iso(moment + self.lockout) if failures >= self.attempts else None
            db.execute(
                "UPDATE users SET failures = ?, locked_until = ? WHERE name = ?",
                (0 if lock else failures, lock, name),
            )
            if lock:
                return LoginRefused(
                    "too many failed sign-ins: the account is locked",
                    int(self.lockout.total_seconds()),
                )
            return LoginRefused("wrong user name or password")
        db.execute("UPDATE users SET failures = 0, locked_until = NULL WHERE name = ?", (name,))
        if needs_rehash(stored):
            db.execute(
                "UPDATE users SET password = ? WHERE name = ?", (hash_password(password), name)
            )
        return None

    # -- tokens -----------------------------------------------------------------------------
    def create_token(
        self, role: str, *, name: str = "", streets: Sequence[str] = (), created_by: str
    ) -> tuple[TokenInfo, str]:
        """A new bearer token: its listing and its text (shown once, never kept)."""
        known = check_role(role)
        token_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        text = f"zg_{token_id}_{secret}"
        with self._db() as db:
            db.execute(
                "INSERT INTO tokens (id, name, role, streets, hash, created, created_by) "
                "VALUES (?,?,?,?,?,?,?)",
                (
                    token_id,
                    name or token_id,
                    known,
                    json.dumps(clean_streets(streets), ensure_ascii=False),
                    _token_hash(secret),
                    _iso(now()),
                    created_by,
                ),
            )
        return self.token(token_id), text

    def token(self, token_id: str) -> TokenInfo:
        with self._db(write=False) as db:
            row = db.execute(
                "SELECT id, name, role, streets, created, created_by, revoked, last_used "
                "FROM tokens WHERE id = ?",
                (token_id,),
            ).fetchone()
        if row is None:
            raise AccountError(f"no token with id {token_id!r}")
        return _token(row)

    def tokens(self) -> list[TokenInfo]:
        with self._db(write=False) as db:
            rows = db.execute(
                "SELECT id, name, role, streets, created, created_by, revoked, last_used "
                "FROM tokens ORDER BY created, id"
            ).fetchall()
        return [_token(r) for r in rows]

    def revoke(self, token_id: str) -> None:
        with self._db() as db:
            cur = db.execute(
                "UPDATE tokens SET revoked = ? WHERE id = ? AND revoked IS NULL",
                (_iso(now()), token_id),
            )
            if cur.rowcount == 0:
                known = db.execute("SELECT 1 FROM tokens WHERE id = ?", (token_id,)).fetchone()
                raise AccountError(
                    f"token {token_id!r} is already revoked"
                    if known
                    else f"no token with id {token_id!r}"
                )

    def check_token(self, text: str) -> TokenInfo | None:
        """The token ``text`` is, if it is one we gave out and have not revoked."""
        m = TOKEN.match(text)
        if m is None:
            return None
        with self._db(write=False) as db:
            row = db.execute(
                "SELECT id, name, role, streets, created, created_by, revoked, last_used, hash "
                "FROM tokens WHERE id = ?",
                (m["id"],),
            ).fetchone()
        if row is None or row[6] is not None:
            return None
        if not hmac.compare_digest(row[8], _token_hash(m["secret"])):
            return None
        moment = now()
        # Written at most once a minute: a busy script should not write on every request.
        if row[7] is None or datetime.fromisoformat(row[7]) < moment - timedelta(minutes=1):
            try:
                with self._db(wait=0.05) as db:
                    db.execute(
                        "UPDATE tokens SET last_used = ? WHERE id = ?", (_iso(moment), row[0])
                    )
            except sqlite3.OperationalError:
                pass  # another writer has the file: the next request says it instead
        return _token(row[:8])


@cache
def _dummy_hash() -> str:
    """A hash to check unknown names against, so a sign-in with an unknown name costs what
    a wrong password does (made once, when first needed: a hash takes ~0.1 s)."""
    return hash_password(secrets.token_hex(8))


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")


def _account(row: Sequence[object]) -> Account:
    name, role, streets, disabled, created, generation, locked = row
    return Account(
        name=str(name),
        role=check_role(str(role)),
        streets=tuple(json.loads(str(streets))),
        disabled=bool(disabled),
        created=str(created),
        generation=int(str(generation)),
        locked_until=None if locked is None else str(locked),
    )


def _token(row: Sequence[object]) -> TokenInfo:
    token_id, name, role, streets, created, created_by, revoked, last_used = row
    return TokenInfo(
        id=str(token_id),
        name=str(name),
        role=check_role(str(role)),
        streets=tuple(json.loads(str(streets))),
        created=str(created),
        created_by=str(created_by),
        revoked=None if revoked is None else str(revoked),
        last_used=None if last_used is None else str(last_used),
    )


def open_accounts(settings: Settings) -> AccountBook:
    """The accounts file the settings name (created on first use)."""
    return AccountBook(
        settings.accounts_file(),
        attempts=settings.login_attempts,
        lockout_minutes=settings.lockout_minutes,
    )


def first_admin(accounts: AccountBook) -> tuple[str, str] | None:
    """When no administrator exists, make one with a random password and give its name and
    password (to be shown once); otherwise None. There is never a default password."""
    if accounts.has_admin():
        return None
    taken = {a.name for a in accounts.users()}
    name = "admin" if "admin" not in taken else f"admin-{secrets.token_hex(3)}"
    password = new_password()
    accounts.add_user(name, "admin", password)
    return name, password
