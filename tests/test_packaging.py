"""What a plain ``pip install .`` (the Dockerfile's) ships: every file the packages read at
run time, not only what an editable install happens to find in the checkout."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def _shipped(package: str, relative: str) -> bool:
    globs = CONFIG.get("package-data", {}).get(package, [])
    return any(fnmatch(relative, g) for g in globs)


def test_every_data_file_of_a_package_is_in_its_package_data() -> None:
    missing = []
    for package in CONFIG["packages"]:
        folder = ROOT / package.replace(".", "/")
        # Data files in sub-folders that are not packages themselves belong to this package.
        for path in sorted(folder.rglob("*")):
            if path.is_dir() or path.suffix in {".py", ".pyc"} or "__pycache__" in path.parts:
                continue
            owner = path.parent
            while owner != folder and not (owner / "__init__.py").exists():
                owner = owner.parent
            if owner != folder:
                continue
            relative = path.relative_to(folder).as_posix()
            if not _shipped(package, relative):
                missing.append(f"{package}: {relative}")
    assert missing == []


def test_every_python_package_is_listed() -> None:
    packages = set(CONFIG["packages"])
    found = {
        init.parent.relative_to(ROOT).as_posix().replace("/", ".")
        for top in {p.split(".")[0] for p in packages}
        for init in (ROOT / top).rglob("__init__.py")
    }
    assert found - packages == set()
