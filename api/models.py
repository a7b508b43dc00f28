"""Typed API responses (pydantic), so the OpenAPI document says exactly what comes back."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


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


class GraphEdge(BaseModel):
    src: str
    dst: str
    type: str
    weight: int = 1


class GraphOut(BaseModel):
    scope: str
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    firms: int = Field(description="operating firms in the scope")
    aggregated: bool
    physics: bool
    note: str | None = None


class ChangeIn(BaseModel):
    op: str = Field(pattern="^(add|remove)$")
    table: str
    values: dict[str, str]


class ScenarioIn(BaseModel):
    name: str = Field(pattern=r"^[\w-]{1,64}$")
    note: str = ""


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
    params: dict[str, str | int | float | bool] = Field(default_factory=dict)


class DiffOut(BaseModel):
    scenario: str
    query: str
    columns: list[str]
    rows: list[dict[str, Any]]


class Health(BaseModel):
    status: str
    backend: str
    firms: int
