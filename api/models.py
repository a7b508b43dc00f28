"""Typed API responses (pydantic), so the OpenAPI document says exactly what comes back."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from queries.scenarios import NAME_PATTERN


class ParamInfo(BaseModel):
    name: str
    type: str
    required: bool
    default: str | int | float | bool | None
    minimum: float | None = None
    maximum: float | None = None
    choices: list[str] = Field(default_factory=list)
    doc: str = ""


class QueryInfo(BaseModel):
    name: str
    description: str
    columns: list[str]
    params: list[ParamInfo]
    kind: str = Field(description="cypher or analysis")


class QueriesPublic(BaseModel):
    data: list[QueryInfo]
    count: int


class QueryRows(BaseModel):
    query: str
    columns: list[str]
    rows: list[dict[str, Any]]
    total: int = Field(description="rows in the whole result")
    page: int
    per_page: int
    notes: list[str] = Field(default_factory=list)
    scenario: str | None = None


class ProblemOut(BaseModel):
    file: str
    line: int | None
    column: str | None
    value: str | None
    reason: str
    text: str


class ErrorOut(BaseModel):
    error: str
    detail: str
    problems: list[ProblemOut] = Field(default_factory=list)


class Related(BaseModel):
    id: str
    name: str | None
    detail: str | None = None


class OrgLink(BaseModel):
    id: str
    name: str | None
    kind: str | None
    how: str


class EnterpriseProfile(BaseModel):
    enterprise: dict[str, Any]
    coverage: str = Field(description="own, joint, work, uncovered or closed")
    organizations: list[OrgLink]
    liaisons: list[Related]
    alliances: list[Related]
    suppliers: list[Related]
    customers: list[Related]


class GraphNode(BaseModel):
    id: str
    label: str = Field(description="Enterprise, PartyOrg, Studio, Alliance, Liaison or Group")
    name: str | None = None
    group: str = Field(description="what colours the node: coverage, org kind or label")
    size: float = 1.0
    title: str = ""
    x: float | None = None
    y: float | None = None
    firms: int | None = Field(None, description="firms inside an aggregated node")
    expand: str | None = Field(None, description="scope to open when an aggregate is clicked")
    focus: bool = Field(
        False, description="the view's focal firm, or a member or the lead of its alliance"
    )
    props: dict[str, Any] = Field(
        default_factory=dict,
        description="raw values to filter and style by: a firm's coverage (own, joint, work, "
        "none), party_members, employees, star, key_firm, industry, street, grid; another "
        "node's kind and street; an aggregate's kind (grid or street), firms and uncovered",
    )


class GraphEdge(BaseModel):
    src: str
    dst: str
    type: str = Field(description="the schema's relationship type, e.g. SUPPLIES")
    weight: int = 1
    title: str = Field("", description="tooltip in the requested language")


class GraphOut(BaseModel):
    scope: str
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    firms: int = Field(description="operating firms in the scope")
    aggregated: bool
    physics: bool
    note: str | None = None


class GraphPathOut(GraphOut):
    path: list[str] = Field(description="node ids in order along the path or chain")


class ViewIn(BaseModel):
    state: dict[str, Any] = Field(
        description="what the page keeps: scope, hops, filters, style, positions (at most "
        "256 KB as JSON; the server does not read it)"
    )


class ViewSummary(BaseModel):
    name: str
    owner: str
    updated_at: str = Field(description="when it was last saved (ISO 8601, UTC)")


class ViewOut(ViewSummary):
    state: dict[str, Any]


class ViewsPublic(BaseModel):
    data: list[ViewSummary]
    count: int


class ChangeIn(BaseModel):
    op: str = Field(pattern="^(add|remove)$")
    table: str = Field(max_length=40)
    values: dict[str, str] = Field(max_length=60, description="the row, column by column")


class ScenarioIn(BaseModel):
    name: str = Field(pattern=NAME_PATTERN, description="ASCII letters, digits, _ or -")
    note: str = Field("", max_length=2000)


class ScenarioOut(BaseModel):
    name: str
    note: str
    changes: list[ChangeIn]


class ScenariosPublic(BaseModel):
    data: list[str]
    count: int


class WhatIfIn(BaseModel):
    changes: list[ChangeIn] = Field(max_length=200)
    query: str | None = Field(None, description="a catalog query (default: the zone summary)")
    params: dict[str, str | int | float | bool] = Field(default_factory=dict, max_length=20)


class DiffOut(BaseModel):
    scenario: str
    query: str
    columns: list[str]
    rows: list[dict[str, Any]]
    #: A reach diff's net change by firm (entered, entered_uncovered, left, left_uncovered,
    #: joined, closer, farther, covered, uncovered); absent for other queries.
    net: dict[str, int] | None = None
    #: The net change as lines to read first (English; the pages say them from ``net``).
    notes: list[str] = Field(default_factory=list)


class Health(BaseModel):
    status: str
    backend: str
    firms: int


class RowPreview(BaseModel):
    """One contract row a write would change: its key, how, and the row before and after."""

    key: list[str]
    change: str = Field(description="new, changed, closed or removed")
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class TablePreview(BaseModel):
    """What a write would do to one contract table, with its first changing rows."""

    table: str
    new: int = 0
    changed: int = Field(default=0, description="rows updated, other than firms being closed")
    closed: int = Field(default=0, description="firms whose status goes to closed")
    unchanged: int = 0
    removed: int = 0
    rows: list[RowPreview] = Field(default_factory=list)


class RenameOut(BaseModel):
    table: str
    old: str
    new: str


class PreviewOut(BaseModel):
    """What committing an upload would write (nothing has been written)."""

    whole_zone: bool = Field(description="true for a first load: the file becomes the zone")
    tables: list[TablePreview]
    renamed: list[RenameOut] = Field(default_factory=list)
    written: int = Field(description="rows that would be created, updated or removed")
    warnings: list[ProblemOut] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class ImportOut(BaseModel):
    """An upload, checked: its token for the commit, and what committing it would write."""

    token: str = Field(description="names the upload for the commit (kept for an hour)")
    kind: str = Field(description="contract, ledger or register")
    source: str = Field(description="the file's name as uploaded")
    problems: list[ProblemOut] = Field(
        default_factory=list, description="always empty here: a refused file is a 422"
    )
    preview: PreviewOut


class ImportResult(BaseModel):
    """What a commit wrote, in one transaction."""

    kind: str
    source: str
    whole_zone: bool
    tables: list[TablePreview]
    renamed: list[RenameOut] = Field(default_factory=list)
    written: int
    summary: str


Scalar = str | int | float | bool | None


class EnterprisePatch(BaseModel):
    """The organizers' facts about a firm that the profile edits; a field left out stays as
    it is, and ``null`` clears it. Values are checked as a load checks the same columns."""

    model_config = ConfigDict(extra="forbid")

    status: Scalar = Field(None, description="operating or closed (在营 / 注销)")
    street: Scalar = None
    community: Scalar = None
    grid: Scalar = None
    park: Scalar = None
    employees: Scalar = Field(None, description="a whole number ≥ 0")
    party_members: Scalar = Field(None, description="a whole number ≥ 0")
    star: Scalar = Field(None, description="a whole number 0–5")
    key_firm: Scalar = Field(None, description="true or false (是 / 否)")


class CoverageIn(BaseModel):
    coverer_id: str = Field(description="a party organization, studio or instructor")
    mode: str = Field(description="organization or work (组织覆盖 / 工作覆盖)")


class LiaisonIn(BaseModel):
    """A liaison by id (a new id adds a new liaison, named by ``name``), or by the name of an
    existing liaison alone."""

    liaison_id: str | None = None
    name: str | None = None
    department: str | None = None
