"""``zonegraph export --neo4j-admin DIR``: files neo4j-admin's full import reads as the zone.

neo4j-admin cannot run here, so the files are read back the way its CSV importer reads them
(header types, one ID space per label, an empty field a missing property, a quoted field
whole even across lines) and the zone rebuilt from them must be the stored zone.
"""

from __future__ import annotations

import csv
import shlex
from pathlib import Path
from typing import Any

import pytest

from graph_model.audit import AUDIT_LABEL
from graph_model.mapping import RelBatch, Zone, from_graph
from graph_model.schema import NODE_KINDS, REL_KINDS
from graph_model.store.embedded import EmbeddedStore
from loaders.load import export_zone, load_tables
from loaders.neo4j_admin import AdminFiles, write_admin_files
from tests.test_cli import zonegraph
from tests.zones import small_zone

HOSTILE = {
    "E1": '=HYPERLINK("http://x","click")',  # a spreadsheet would run it; neo4j-admin won't
    "E2": 'Beta, "the" firm',  # delimiter and quotes
    "E3": "Gamma\nsecond line",  # a line break inside a field
    "E5": "-2+3",
}

_PARSE = {"long": int, "double": float, "boolean": lambda v: v == "true", "": str}


def hostile_zone() -> dict[str, list[dict[str, Any]]]:
    tables = small_zone()
    for firm in tables["enterprises"]:
        firm["name"] = HOSTILE.get(firm["id"], firm["name"])
    tables["enterprises"][0].update(lat=43.88, lon=125.35, star=4)
    return tables


def read_file(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    """A file as neo4j-admin reads it: (header, rows of typed values, empty fields left out)."""
    with path.open(newline="", encoding="utf-8") as f:
        header, *rows = list(csv.reader(f))
    out = []
    for row in rows:
        assert len(row) == len(header), f"{path.name}: a row of {len(row)} fields"
        typed: dict[str, Any] = {}
        for cell, column in zip(row, header, strict=True):
            name, _, kind = column.partition(":")
            kind = "" if kind.startswith(("ID", "START_ID", "END_ID", "LABEL", "TYPE")) else kind
            key = name or column.split("(")[0]
            if cell != "":
                typed[key] = _PARSE[kind](cell)
        out.append(typed)
    return header, out


def zone_from_files(files: AdminFiles) -> tuple[Zone, dict[str, str]]:
    """The zone the files describe, and each firm's coverage state."""
    nodes: dict[str, list[dict[str, Any]]] = {}
    coverage: dict[str, str] = {}
    for name in files.nodes:
        _, rows = read_file(files.folder / name)
        for row in rows:
            label = row.pop(":LABEL")
            if label == "Enterprise":
                coverage[row["id"]] = row.pop("coverage")
            nodes.setdefault(label, []).append(row)
    rels = []
    for name in files.relationships:
        header, rows = read_file(files.folder / name)
        src, dst = (h.split("(")[1].rstrip(")") for h in header[:2])
        for row in rows:
            rtype = row.pop(":TYPE")
            rels.append(
                RelBatch(
                    rtype,
                    src,
                    dst,
                    [{"src": row.pop(":START_ID"), "dst": row.pop(":END_ID"), **row}],
                )
            )
    return from_graph(nodes, rels), coverage


@pytest.fixture
def stored(embedded: EmbeddedStore) -> EmbeddedStore:
    load_tables(embedded, hostile_zone(), source="test")
    return embedded


def test_the_files_carry_the_stored_zone_exactly(stored: EmbeddedStore, tmp_path: Path) -> None:
    zone = stored.read()
    files = write_admin_files(zone, tmp_path / "admin")
    back, _ = zone_from_files(files)
    assert back == zone
    # Hostile text is the firm's name, as stored: no apostrophe (neo4j-admin would keep it).
    names = {r["id"]: r["name"] for r in back.rows("enterprises")}
    assert {k: names[k] for k in HOSTILE} == HOSTILE
    raw = (files.folder / "nodes-Enterprise.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" not in raw and '"=HYPERLINK(""http://x"",""click"")"' in raw


def test_headers_are_the_schemas_in_the_importers_syntax(
    stored: EmbeddedStore, tmp_path: Path
) -> None:
    files = write_admin_files(stored.read(), tmp_path / "admin")
    assert set(files.nodes) == {f"nodes-{n.label}.csv" for n in NODE_KINDS}
    assert set(files.relationships) == {
        f"rels-{r.type}-{a}-{b}.csv" for r in REL_KINDS for a, b in r.ends
    }
    header, _ = read_file(files.folder / "nodes-Enterprise.csv")
    assert header[0] == "id:ID(Enterprise)" and header[-1] == ":LABEL"
    assert {"name", "employees:long", "star:long", "lat:double", "key_firm:boolean"} <= set(header)
    assert "coverage" in header  # what the write path keeps on a firm, derived here
    props = [p.name for p in NODE_KINDS[0].props]
    assert [h.split(":")[0] for h in header[1:-2]] == props[1:]
    header, _ = read_file(files.folder / "rels-SUPPLIES-Enterprise-Enterprise.csv")
    assert header == [":START_ID(Enterprise)", ":END_ID(Enterprise)", "product", ":TYPE"]
    header, _ = read_file(files.folder / "rels-GUIDES-Studio-Enterprise.csv")
    assert header == [":START_ID(Studio)", ":END_ID(Enterprise)", ":TYPE"]


def test_counts_are_the_stores(stored: EmbeddedStore, tmp_path: Path) -> None:
    files = write_admin_files(stored.read(), tmp_path / "admin")
    counted: dict[str, int] = {}
    for name, rows in {**files.nodes, **files.relationships}.items():
        kind = name.split("-")[1].removesuffix(".csv")
        counted[kind] = counted.get(kind, 0) + rows
    assert counted == stored.counts()


def test_coverage_is_the_live_derivation(stored: EmbeddedStore, tmp_path: Path) -> None:
    _, coverage = zone_from_files(write_admin_files(stored.read(), tmp_path / "admin"))
    live = {
        r["id"]: r["state"]
        for r in stored.run(
            "MATCH (e:Enterprise) RETURN e.id AS id, CASE "
            "WHEN EXISTS { MATCH (:PartyOrg)-[:OWN_ORG]->(e) } THEN 'own' "
            "WHEN EXISTS { MATCH ()-[:COVERS]->(e) } THEN 'joint' "
            "WHEN EXISTS { MATCH ()-[:GUIDES]->(e) } THEN 'work' ELSE 'none' END AS state"
        )
    }
    assert coverage == live
    assert coverage["E1"] == "own" and coverage["E7"] == "joint" and coverage["E5"] == "none"


def test_the_command_reads_every_file_and_spans_lines_only_when_needed(
    stored: EmbeddedStore, tmp_path: Path
) -> None:
    files = write_admin_files(stored.read(), tmp_path / "admin")
    args = shlex.split(files.command("zone"))
    assert args[:5] == ["neo4j-admin", "database", "import", "full", "zone"]
    given = {a.split("=", 1)[1] for a in args if a.startswith(("--nodes=", "--relationships="))}
    assert given == {str(p.resolve()) for p in files.folder.iterdir()}
    assert "--multiline-fields=true" in args  # E3's name holds a line break
    plain = small_zone()
    assert "--multiline-fields=true" not in write_admin_files(Zone(plain), tmp_path / "p").command()


def test_export_neo4j_admin_from_the_cli(tmp_path: Path) -> None:
    export_zone(Zone(hostile_zone()), tmp_path / "zone")
    db = tmp_path / "zone.lbug"
    assert zonegraph(db, "load", str(tmp_path / "zone"), "--replace").returncode == 0
    done = zonegraph(db, "export", "--neo4j-admin", str(tmp_path / "admin"))
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith(f"wrote {tmp_path / 'admin'}: ")
    command = shlex.split(done.stdout)
    assert command[:5] == ["neo4j-admin", "database", "import", "full", "neo4j"]
    # The load wrote an audit entry: the trail moves along as AuditEntry nodes.
    _, entries = read_file(tmp_path / "admin" / f"nodes-{AUDIT_LABEL}.csv")
    assert [e["action"] for e in entries] == ["load.replace"]
    both = zonegraph(db, "export", str(tmp_path / "x"), "--neo4j-admin", str(tmp_path / "y"))
    assert both.returncode == 2 and not (tmp_path / "y").exists()
