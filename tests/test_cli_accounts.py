"""``zonegraph user`` and ``zonegraph token``, and the first administrator ``serve`` makes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from api.accounts import AccountBook
from graph_model.errors import LoginRefused
from tests.test_cli import zonegraph


def _plain_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("ZONEGRAPH_", "NEO4J_"))}


def accounts(db: Path) -> AccountBook:
    return AccountBook(db.with_name(db.name + ".accounts"))


def test_user_add_shows_a_made_password_once_and_it_signs_in(tmp_path: Path) -> None:
    db = tmp_path / "z.lbug"
    r = zonegraph(db, "user", "add", "alice", "--role", "organizer", "--streets", "S1,S2")
    assert r.returncode == 0, r.stderr
    password = r.stdout.split()[-1]
    assert len(password) >= 16
    assert accounts(db).sign_in("alice", password).streets == ("S1", "S2")
    listed = zonegraph(db, "user", "list").stdout
    assert "alice\torganizer\tS1、S2\tactive" in listed
    trail = zonegraph(db, "audit", "--format", "json").stdout
    assert "account.add" in trail and "alice" in trail and password not in trail
    assert password not in listed and password not in db.with_name(db.name + ".accounts").read_text(
        errors="replace"
    )
    # The file with the hashes is for its owner only.
    assert (os.stat(db.with_name(db.name + ".accounts")).st_mode & 0o077) == 0


def test_user_commands_refuse_with_one_line_and_exit_2(tmp_path: Path) -> None:
    db = tmp_path / "z.lbug"
    assert zonegraph(db, "user", "add", "bob").returncode == 0
    for args, words in [
        (("user", "add", "bob"), "already exists"),
        (("user", "add", "carol", "--role", "root"), "unknown role"),
        (("user", "add", "has space"), "bad user name"),
        (("user", "disable", "nobody"), "no user named"),
        (("token", "revoke", "000000000000"), "no token"),
    ]:
        r = zonegraph(db, *args)
        assert r.returncode == 2, (args, r.stderr)
        assert words in r.stderr and "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1


def test_passwd_from_stdin_and_disable(tmp_path: Path) -> None:
    db = tmp_path / "z.lbug"
    zonegraph(db, "user", "add", "dora", "--role", "viewer")
    r = subprocess.run(
        [sys.executable, "-m", "api.cli", "user", "passwd", "dora", "--password-stdin"],
        input="a typed password\n",
        capture_output=True,
        text=True,
        env={**_plain_env(), "ZONEGRAPH_DB": str(db)},
        check=False,
    )
    assert r.returncode == 0, r.stderr
    assert "a typed password" not in r.stdout
    assert accounts(db).sign_in("dora", "a typed password").name == "dora"
    short = zonegraph(db, "user", "passwd", "dora", "--password-stdin")
    assert short.returncode == 2 and "no password" in short.stderr
    assert zonegraph(db, "user", "disable", "dora").returncode == 0
    with pytest.raises(LoginRefused):
        accounts(db).sign_in("dora", "a typed password")


def test_a_token_is_the_last_word_listed_without_its_secret_and_revocable(tmp_path: Path) -> None:
    db = tmp_path / "z.lbug"
    r = zonegraph(db, "token", "create", "--role", "viewer", "--name", "nightly report")
    assert r.returncode == 0, r.stderr
    text = r.stdout.split()[-1]
    info = accounts(db).check_token(text)
    assert info is not None and info.role == "viewer" and info.name == "nightly report"
    listed = zonegraph(db, "token", "list").stdout
    assert info.id in listed and text not in listed and "active" in listed
    assert zonegraph(db, "token", "revoke", info.id).returncode == 0
    assert accounts(db).check_token(text) is None
    assert "revoked" in zonegraph(db, "token", "list").stdout
    # Both are on the audit trail, and the token's text is not.
    trail = zonegraph(db, "audit", "--format", "json")
    assert trail.returncode == 0, trail.stderr
    actions = [e["action"] for e in json.loads(trail.stdout)]
    assert actions[:2] == ["token.revoke", "token.create"]
    assert text not in trail.stdout and info.id in trail.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _serve(db: Path, port: int) -> subprocess.Popen[str]:
    env = _plain_env()
    env.update(ZONEGRAPH_DB=str(db), ZONEGRAPH_PORT=str(port))
    return subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _wait(port: int) -> None:
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    raise AssertionError("the server did not start")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_serve_makes_the_first_admin_once_with_a_random_password(tmp_path: Path) -> None:
    db = tmp_path / "z.lbug"
    port = _free_port()
    server = _serve(db, port)
    try:
        _wait(port)
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=30)
    assert "user:     admin" in out
    password = out.split("password:")[1].split()[0]
    # Anonymous requests are refused; the printed password signs in.
    port = _free_port()
    server = _serve(db, port)
    try:
        _wait(port)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/queries", timeout=10)
        assert refused.value.code == 401
        refused.value.close()
        form = urllib.parse.urlencode({"username": "admin", "password": password}).encode()
        opener = urllib.request.build_opener(_NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as signed:
            opener.open(f"http://127.0.0.1:{port}/login", data=form, timeout=30)
        assert signed.value.code == 303 and "zg_session=" in signed.value.headers["set-cookie"]
        signed.value.close()
    finally:
        server.terminate()
        again, _ = server.communicate(timeout=30)
    assert "password" not in again  # shown once: the second start makes nobody
