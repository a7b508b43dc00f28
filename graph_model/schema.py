"""The one declaration of the zone graph: node kinds, relationship kinds, and the file contract.

Everything else derives from here: the LadybugDB DDL and the Neo4j constraints
(:mod:`graph_model.ddl`), the loaders' column parsing and validation (:mod:`loaders`),
the export headers, the Cypher lint's list of labels and types, and the README's tables.

Two layers are declared:

* the **graph**: :data:`NODE_KINDS` and :data:`REL_KINDS`, what the stores hold;
* the **contract**: :data:`TABLES`, the CSV files / workbook sheets organizers exchange.
  Node tables carry a node kind's properties; link tables become relationships
  (see :mod:`graph_model.mapping` for the one place the two layers meet).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

#: The version of this declaration that backups record. Raise it when a zonegraph could not
#: read an older one's zone as it was meant: a table or column removed or renamed, a value's
#: meaning changed. (Adding an optional column does not need it: older files still load.)
#: ``zonegraph restore`` refuses a backup whose schema version is newer than this.
SCHEMA_VERSION = 1


class PropType(StrEnum):
    """A property's type, named as LadybugDB names it."""

    STRING = "STRING"
    INT = "INT64"
    FLOAT = "DOUBLE"
    BOOL = "BOOLEAN"


@dataclass(frozen=True)
class Prop:
    """One typed property (a node's or relationship's), or one contract column."""

    name: str
    type: PropType = PropType.STRING
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    default: str | int | float | bool | None = None
    #: Header spellings an organizer might type, e.g. Chinese ones (matched case-insensitively).
    aliases: tuple[str, ...] = ()
    doc: str = ""


ORG_KINDS: tuple[str, ...] = (
    "zone_committee",
    "nonpublic_committee",
    "street_committee",
    "park_org",
    "community_station",
    "enterprise_org",
    "joint_branch",
    "industry_branch",
    "association_branch",
)
FORMATIONS: tuple[str, ...] = (
    "own",
    "regional_joint",
    "industry",
    "industrial_chain",
    "leading_firm",
    "office_building",
)
COVERAGE_MODES: tuple[str, ...] = ("organization", "work")
FIRM_STATUSES: tuple[str, ...] = ("operating", "closed")
MEMBER_ROLES: tuple[str, ...] = ("lead", "member")
#: A firm's coverage state, the strongest first (see :mod:`graph_model.coverage_state`).
COVERAGE_STATES: tuple[str, ...] = ("own", "joint", "work", "none")

S, INT, F, B = PropType.STRING, PropType.INT, PropType.FLOAT, PropType.BOOL


@dataclass(frozen=True)
class NodeKind:
    """A node label with its key and properties (the key is always ``id``)."""

    label: str
    props: tuple[Prop, ...]
    doc: str
    color: str
    shape: str
    #: Derived kinds are built from other tables' values and never exported.
    derived: bool = False
    #: Node-only properties: derived data the write path keeps on the node. They are no
    #: contract column (never read from files, exported or compared); ``props`` are.
    node_only: tuple[Prop, ...] = ()

    @property
    def key(self) -> str:
        return "id"


@dataclass(frozen=True)
class RelKind:
    """A relationship type, the (from label, to label) pairs it may join, and its properties."""

    type: str
    ends: tuple[tuple[str, str], ...]
    doc: str
    props: tuple[Prop, ...] = ()


ID = Prop(
    "id", S, required=True, aliases=("编号", "ID", "代码"), doc="unique across all node kinds"
)
NAME = Prop("name", S, required=True, aliases=("名称",))

ENTERPRISE_PROPS: tuple[Prop, ...] = (
    Prop("id", S, required=True, aliases=("编号", "企业编号", "统一社会信用代码", "信用代码")),
    Prop("name", S, required=True, aliases=("名称", "企业名称", "企业")),
    Prop("industry", S, aliases=("行业", "所属行业")),
    Prop("employees", INT, minimum=0, aliases=("职工人数", "员工人数", "从业人数", "员工数")),
    Prop("party_members", INT, minimum=0, aliases=("党员人数", "党员数")),
    Prop("street", S, aliases=("街道", "所属街道")),
    Prop("community", S, aliases=("社区", "所属社区")),
    Prop("grid", S, aliases=("网格", "所属网格")),
    Prop("park", S, aliases=("园区", "所属园区")),
    Prop("star", INT, minimum=0, maximum=5, aliases=("星级",)),
    Prop("key_firm", B, aliases=("重点企业", "是否重点企业")),
    Prop(
        "status",
        S,
        choices=FIRM_STATUSES,
        default="operating",
        aliases=("状态", "经营状态"),
        doc="closed firms stay in the graph but drop out of every coverage query",
    ),
    Prop("lat", F, minimum=-90, maximum=90, aliases=("纬度",)),
    Prop("lon", F, minimum=-180, maximum=180, aliases=("经度",)),
    # What the enterprise register says, kept beside the organizers' own facts (which it
    # never overwrites): the register's industry classification, and registration facts.
    Prop("reg_industry", S, aliases=("登记行业", "国标行业"), doc="the register's industry"),
    Prop("legal_rep", S, aliases=("法定代表人", "法人代表", "法人"), doc="from the register"),
    Prop("founded", S, aliases=("成立日期", "成立时间"), doc="from the register (ISO date)"),
    Prop("capital", S, aliases=("注册资本",), doc="from the register, as written"),
    Prop("address", S, aliases=("企业地址", "住所", "注册地址", "地址"), doc="from the register"),
    Prop("reg_status", S, aliases=("登记状态",), doc="the register's status, as written"),
)

ORG_PROPS: tuple[Prop, ...] = (
    Prop("id", S, required=True, aliases=("编号", "组织编号")),
    Prop("name", S, required=True, aliases=("名称", "组织名称", "党组织名称")),
    Prop("kind", S, required=True, choices=ORG_KINDS, aliases=("类型", "组织类型")),
    Prop("parent_id", S, aliases=("上级编号", "上级组织编号", "上级")),
    Prop("enterprise_id", S, aliases=("企业编号", "所在企业编号")),
    Prop("formation", S, choices=FORMATIONS, aliases=("组建方式",)),
    Prop("street", S, aliases=("街道", "所属街道"), doc="the street a station or committee serves"),
)

STUDIO_PROPS: tuple[Prop, ...] = (
    Prop("id", S, required=True, aliases=("编号", "工作室编号")),
    Prop("name", S, required=True, aliases=("名称", "工作室名称")),
    Prop("station_id", S, aliases=("党群服务站编号", "服务站编号", "所在服务站")),
    Prop("secretary", S, aliases=("老书记", "书记")),
    Prop("instructors", INT, minimum=0, aliases=("指导员人数", "指导员")),
    Prop("street", S, aliases=("街道", "所属街道")),
)

ALLIANCE_PROPS: tuple[Prop, ...] = (
    Prop("id", S, required=True, aliases=("编号", "联盟编号")),
    Prop("name", S, required=True, aliases=("名称", "联盟名称")),
    Prop("lead_id", S, required=True, aliases=("龙头企业编号", "牵头企业编号")),
    Prop("theme", S, aliases=("主题", "领域")),
)

INSTRUCTOR_PROPS: tuple[Prop, ...] = (
    Prop("id", S, required=True, aliases=("编号", "指导员编号")),
    Prop("name", S, required=True, aliases=("姓名", "名称", "党建指导员", "指导员")),
    Prop("street", S, aliases=("街道", "所属街道")),
    Prop("phone", S, aliases=("电话", "联系电话")),
)

LIAISON_PROPS: tuple[Prop, ...] = (
    Prop("id", S, required=True),
    Prop("name", S),
    Prop("department", S),
)


def _without(props: tuple[Prop, ...], *names: str) -> tuple[Prop, ...]:
    """The properties a node stores: its table's columns less those that become relationships."""
    return tuple(p for p in props if p.name not in names)


NODE_KINDS: tuple[NodeKind, ...] = (
    NodeKind(
        "Enterprise",
        ENTERPRISE_PROPS,
        "a non-public enterprise",
        "#5b8ff9",
        "dot",
        node_only=(
            Prop(
                "coverage",
                S,
                choices=COVERAGE_STATES,
                doc="own, joint (COVERS), work (GUIDES) or none: kept by every write",
            ),
        ),
    ),
    NodeKind(
        "PartyOrg",
        _without(ORG_PROPS, "parent_id", "enterprise_id"),
        "a party organization at any level",
        "#e8684a",
        "diamond",
    ),
    NodeKind(
        "Studio",
        _without(STUDIO_PROPS, "station_id"),
        "an 'old secretary' studio",
        "#f6bd16",
        "star",
    ),
    NodeKind(
        "Alliance",
        _without(ALLIANCE_PROPS, "lead_id"),
        "a Hongqi party-building alliance",
        "#9270ca",
        "hexagon",
    ),
    NodeKind(
        "Instructor", INSTRUCTOR_PROPS, "a party-building instructor (党建指导员)", "#ff9d4d", "box"
    ),
    NodeKind("Liaison", LIAISON_PROPS, "a '1+1+5' liaison", "#5ad8a6", "triangle"),
    NodeKind(
        "Grid",
        (Prop("id", S, required=True), Prop("street", S)),
        "a grid of the zone (derived from enterprises' grid column)",
        "#bbbbbb",
        "square",
        derived=True,
    ),
)

REL_KINDS: tuple[RelKind, ...] = (
    RelKind("REPORTS_TO", (("PartyOrg", "PartyOrg"),), "org → the org it reports to"),
    RelKind("OWN_ORG", (("PartyOrg", "Enterprise"),), "an enterprise's own organization"),
    RelKind("COVERS", (("PartyOrg", "Enterprise"),), "organizational coverage (joint etc.)"),
    RelKind(
        "GUIDES",
        (("PartyOrg", "Enterprise"), ("Studio", "Enterprise"), ("Instructor", "Enterprise")),
        "work coverage (instructor, studio, station)",
    ),
    RelKind("HOSTED_BY", (("Studio", "PartyOrg"),), "studio → its community station"),
    RelKind("IN_GRID", (("Enterprise", "Grid"),), "enterprise → its grid"),
    RelKind(
        "SUPPLIES",
        (("Enterprise", "Enterprise"),),
        "supply chain, supplier → customer",
        (Prop("product", S),),
    ),
    RelKind(
        "MEMBER_OF",
        (("Enterprise", "Alliance"),),
        "enterprise → alliance",
        (Prop("role", S, choices=MEMBER_ROLES),),
    ),
    RelKind("LEADS", (("Enterprise", "Alliance"),), "leading enterprise → its alliance"),
    RelKind("LIAISES", (("Liaison", "Enterprise"),), "'1+1+5' liaison → key firm"),
)

NODES: dict[str, NodeKind] = {n.label: n for n in NODE_KINDS}

#: How messages name each label.
NOUNS: dict[str, str] = {
    "Enterprise": "enterprise",
    "PartyOrg": "party organization",
    "Studio": "studio",
    "Alliance": "alliance",
    "Instructor": "instructor",
    "Liaison": "liaison",
    "Grid": "grid",
}
RELS: dict[str, RelKind] = {r.type: r for r in REL_KINDS}


@dataclass(frozen=True)
class Ref:
    """A column that names a node: which labels it may name (and, optionally, which org kinds)."""

    column: str
    labels: tuple[str, ...]
    org_kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSpec:
    """One file of the contract (``NAME.csv`` or a workbook sheet ``NAME``)."""

    name: str
    columns: tuple[Prop, ...]
    #: Columns that identify a row: later rows with the same key replace earlier ones on upsert.
    key: tuple[str, ...]
    refs: tuple[Ref, ...] = ()
    #: The node label a node table holds (its ``id`` column is the node's key).
    node: str | None = None
    #: A file a zone may leave out entirely, even on a full (replacing) load.
    optional_file: bool = False
    aliases: tuple[str, ...] = field(default=())

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    def column(self, name: str) -> Prop:
        return next(c for c in self.columns if c.name == name)


TABLES: tuple[TableSpec, ...] = (
    TableSpec("enterprises", ENTERPRISE_PROPS, ("id",), node="Enterprise", aliases=("企业",)),
    TableSpec(
        "party_orgs",
        ORG_PROPS,
        ("id",),
        refs=(Ref("parent_id", ("PartyOrg",)), Ref("enterprise_id", ("Enterprise",))),
        node="PartyOrg",
        aliases=("党组织",),
    ),
    TableSpec(
        "studios",
        STUDIO_PROPS,
        ("id",),
        refs=(Ref("station_id", ("PartyOrg",), org_kinds=("community_station",)),),
        node="Studio",
        aliases=("工作室",),
    ),
    TableSpec(
        "coverage",
        (
            Prop("coverer_id", S, required=True, aliases=("覆盖单位编号", "组织编号")),
            Prop("enterprise_id", S, required=True, aliases=("企业编号",)),
            Prop("mode", S, required=True, choices=COVERAGE_MODES, aliases=("覆盖方式", "方式")),
        ),
        ("coverer_id", "enterprise_id", "mode"),
        refs=(
            Ref("coverer_id", ("PartyOrg", "Studio", "Instructor")),
            Ref("enterprise_id", ("Enterprise",)),
        ),
        aliases=("覆盖",),
    ),
    TableSpec(
        "supply_links",
        (
            Prop("supplier_id", S, required=True, aliases=("供应商编号", "供方编号")),
            Prop("customer_id", S, required=True, aliases=("客户编号", "需方编号")),
            Prop("product", S, aliases=("产品", "供应产品")),
        ),
        ("supplier_id", "customer_id"),
        refs=(Ref("supplier_id", ("Enterprise",)), Ref("customer_id", ("Enterprise",))),
        aliases=("供应链",),
    ),
    TableSpec(
        "alliances",
        ALLIANCE_PROPS,
        ("id",),
        refs=(Ref("lead_id", ("Enterprise",)),),
        node="Alliance",
        aliases=("联盟",),
    ),
    TableSpec(
        "alliance_members",
        (
            Prop("alliance_id", S, required=True, aliases=("联盟编号",)),
            Prop("enterprise_id", S, required=True, aliases=("企业编号",)),
            Prop("role", S, choices=MEMBER_ROLES, default="member", aliases=("角色",)),
        ),
        ("alliance_id", "enterprise_id"),
        refs=(Ref("alliance_id", ("Alliance",)), Ref("enterprise_id", ("Enterprise",))),
        aliases=("联盟成员",),
    ),
    TableSpec(
        "instructors",
        INSTRUCTOR_PROPS,
        ("id",),
        node="Instructor",
        optional_file=True,
        aliases=("党建指导员", "指导员"),
    ),
    TableSpec(
        "liaisons",
        (
            Prop("liaison_id", S, required=True, aliases=("联络员编号",)),
            Prop("name", S, aliases=("联络员", "姓名", "名称")),
            Prop("department", S, aliases=("部门", "所在部门")),
            Prop("enterprise_id", S, required=True, aliases=("企业编号",)),
        ),
        ("liaison_id", "enterprise_id"),
        refs=(Ref("enterprise_id", ("Enterprise",)),),
        optional_file=True,
        aliases=("联络员",),
    ),
)

TABLE: dict[str, TableSpec] = {t.name: t for t in TABLES}

#: Coverers that give party work only: a coverage row naming one must have mode ``work``.
WORK_ONLY: tuple[str, ...] = ("Studio", "Instructor")


def nouns(labels: tuple[str, ...]) -> str:
    """Labels as a message names them: ``party organization, studio or instructor``."""
    words = [NOUNS[label] for label in labels]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def work_only_reason(label: str) -> str:
    """Why a coverage row with mode organization is refused for a work-only coverer."""
    return f"a {NOUNS[label]} gives work coverage only (use mode work)"


#: Labels whose ids share one namespace, so a reference like ``coverer_id`` is unambiguous.
ID_LABELS: tuple[str, ...] = tuple(n.label for n in NODE_KINDS if not n.derived)


def labels() -> list[str]:
    """Every node label in the graph."""
    return [n.label for n in NODE_KINDS]


def rel_types() -> list[str]:
    """Every relationship type in the graph."""
    return [r.type for r in REL_KINDS]


#: Words organizers type for a choice value; matched after trimming, case-insensitively.
CHOICE_ALIASES: dict[str, tuple[str, ...]] = {
    "organization": ("组织覆盖", "组织"),
    "work": ("工作覆盖", "工作"),
    "operating": ("在营", "存续", "营业", "正常"),
    "closed": ("注销", "吊销", "停业", "关闭", "歇业"),
    "lead": ("龙头", "牵头"),
    "member": ("成员",),
    "own": ("单独组建",),
    "regional_joint": ("区域联建",),
    "industry": ("行业统建",),
    "industrial_chain": ("产业联建",),
    "leading_firm": ("龙头领建",),
    "office_building": ("楼宇合建",),
}
TRUE_WORDS = ("true", "1", "yes", "y", "是", "t")
FALSE_WORDS = ("false", "0", "no", "n", "否", "f")
