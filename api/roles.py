"""Who may do what: the roles, every route's rule, and organizers' street grants.

Every route of the app has exactly one rule in :data:`RULES`, keyed by its endpoint
function; :func:`api.deps.current_user` enforces it before the route runs, and a route
without a rule is refused to everyone but admins (and fails ``tests/test_roles.py``, which
walks the app's routes). The table is also what the README's security section shows.

An organizer's grant names streets (none: the whole zone). Their writes go through
:class:`GrantedStore`, which checks the change set's dry run before writing: every firm it
creates, changes, deletes or links must lie in those streets, before and after, and other
nodes may be created but not changed unless they name a granted street.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from fastapi import FastAPI
from fastapi.routing import APIRoute

from api.accounts import ROLES, Role
from graph_model.changes import ApplyReport, ChangeSet, RowChange
from graph_model.errors import Forbidden
from graph_model.mapping import Zone
from graph_model.schema import TABLE
from graph_model.store.base import Dialect, Store

Rule = Literal["public", "viewer", "organizer", "admin"]


@dataclass(frozen=True)
class User:
    """Who is asking: a signed-in person, a bearer token's holder, or nobody (``anonymous``).

    ``streets`` is an organizer's grant (empty: the whole zone); ``via`` says how the user
    was recognised; ``csrf`` is the sign-in's form token (sessions only)."""

    name: str
    role: Role | None
    streets: tuple[str, ...] = ()
    via: Literal["session", "token", "anonymous"] = "anonymous"
    csrf: str = ""

    def may(self, rule: Rule) -> bool:
        if rule == "public":
            return True
        if self.role is None:
            return False
        return ROLES.index(self.role) >= ROLES.index(rule)

    @property
    def zone_wide(self) -> bool:
        """Whether the user may change any firm of the zone (admins, ungranted organizers)."""
        return self.role == "admin" or not self.streets


ANONYMOUS = User("anonymous", None)

#: Every route's rule, by the endpoint's module and function name (a trailing ``*`` covers
#: the endpoints made one per catalog query).
RULES: dict[str, Rule] = {
    # open to everyone: the healthcheck, signing in and out
    "api.app.health": "public",
    "api.pages_login.login_page": "public",
    "api.pages_login.login": "public",
    "api.pages_login.logout": "public",
    # reading: the pages, the query catalog, firms, the network, scenarios
    "api.pages.dashboard": "viewer",
    "api.pages.gaps": "viewer",
    "api.pages.network": "viewer",
    "api.pages.alliances": "viewer",
    "api.pages_tables.rules": "viewer",
    "api.pages_tables.queries_index": "viewer",
    "api.pages_tables.query_page": "viewer",
    "api.pages_firms.firm": "viewer",
    "api.pages_docs.swagger_ui": "viewer",
    "api.pages_docs.redoc": "viewer",
    "api.pages_report.report": "viewer",
    "api.pages_map.map_page": "viewer",
    "api.routes.map.map_data": "viewer",
    "api.routes.queries.list_queries": "viewer",
    "api.routes.queries.query_*": "viewer",
    "api.routes.enterprises.find": "viewer",
    "api.routes.enterprises.profile": "viewer",
    "api.routes.graph.graph": "viewer",
    "api.routes.graph.neighbors": "viewer",
    "api.routes.graph.path": "viewer",
    "api.routes.graph.coverage_chain": "viewer",
    # saved network views: anyone signed in saves their own (the route checks ownership)
    "api.routes.views.list_views": "viewer",
    "api.routes.views.show_view": "viewer",
    "api.routes.views.put_view": "viewer",
    "api.routes.views.delete_view": "viewer",
    "api.routes.scenarios.list_scenarios": "viewer",
    "api.routes.scenarios.show": "viewer",
    "api.routes.scenarios.diff": "viewer",
    # planning: what-if and scenarios
    "api.routes.scenarios.whatif": "organizer",
    "api.routes.scenarios.new": "organizer",
    "api.routes.scenarios.add_change": "organizer",
    "api.routes.scenarios.apply": "organizer",
    "api.routes.scenarios.drop": "organizer",
    # changing the zone: imports and edits (in the organizer's streets)
    "api.routes.enterprises.patch": "organizer",
    "api.routes.enterprises.post_coverage": "organizer",
    "api.routes.enterprises.delete_coverage": "organizer",
    "api.routes.enterprises.post_liaison": "organizer",
    "api.routes.enterprises.delete_liaison": "organizer",
    "api.routes.imports.upload_file": "organizer",
    "api.routes.imports.show_upload": "organizer",
    "api.routes.imports.commit_upload": "organizer",
    "api.routes.imports.discard_upload": "organizer",
    "api.pages_firms.firm_save": "organizer",
    "api.pages_firms.firm_add_coverage": "organizer",
    "api.pages_firms.firm_remove_coverage": "organizer",
    "api.pages_firms.firm_add_liaison": "organizer",
    "api.pages_firms.firm_remove_liaison": "organizer",
    "api.pages_imports.import_index": "organizer",
    "api.pages_imports.import_upload": "organizer",
    "api.pages_imports.import_show": "organizer",
    "api.pages_imports.import_commit": "organizer",
    "api.pages_imports.import_cancel": "organizer",
    "api.pages_imports.import_job": "organizer",
    "api.pages_imports.import_job_status": "organizer",
    # the record of who changed what
    "api.routes.audit.audit_log": "admin",
    "api.pages_audit.audit_page": "admin",
}


def endpoint_key(endpoint: Callable[..., Any]) -> str:
    return f"{endpoint.__module__}.{endpoint.__name__}"


def rule_for(route: object) -> Rule:
    """The route's rule; a route nobody gave a rule is for admins only (fail closed)."""
    endpoint = getattr(route, "endpoint", None)
    if endpoint is None:
        return "admin"
    key = endpoint_key(endpoint)
    if key in RULES:
        return RULES[key]
    for pattern, rule in RULES.items():
        if pattern.endswith("*") and key.startswith(pattern[:-1]):
            return rule
    return "admin"


def app_routes(app: FastAPI) -> Iterator[APIRoute]:
    """Every API route of the app, through included routers."""

    def walk(routes: list[Any]) -> Iterator[APIRoute]:
        for route in routes:
            if isinstance(route, APIRoute):
                yield route
            elif hasattr(route, "original_router"):
                yield from walk(route.original_router.routes)

    yield from walk(app.router.routes)


# -- street grants ----------------------------------------------------------------------------
def outside_grant(user: User, store: Store, report: ApplyReport) -> list[str]:
    """What in ``report`` lies outside the user's streets (nothing for zone-wide users)."""
    if user.zone_wide:
        return []
    granted = set(user.streets)
    problems: list[str] = []
    linked: set[str] = set()
    for change in report.rows:
        spec = TABLE[change.table]
        rows = [r for r in (change.before, change.after) if r is not None]
        if spec.node == "Enterprise":
            for row in rows:
                street = str(row.get("street") or "")
                if street not in granted:
                    problems.append(f"firm {row.get('id')} is in {street or 'no street'}")
            continue
        for ref in spec.refs:
            if "Enterprise" in ref.labels:
                linked.update(str(r[ref.column]) for r in rows if r.get(ref.column))
        if spec.node is not None:
            problems += _other_node(change, granted)
    if linked:
        for row in store.run(
            "MATCH (e:Enterprise) WHERE e.id IN $ids RETURN e.id AS id, e.street AS street",
            {"ids": sorted(linked)},
        ):
            if str(row["street"] or "") not in granted:
                problems.append(f"firm {row['id']} is in {row['street'] or 'no street'}")
    return sorted(set(problems))


def _other_node(change: RowChange, granted: set[str]) -> list[str]:
    """A node that is not a firm: created freely; changed or deleted only when it names a
    granted street before and after."""
    if change.before is None:
        return []
    rows = [r for r in (change.before, change.after) if r is not None]
    if all(str(r.get("street") or "") in granted for r in rows):
        return []
    return [f"{change.table} {change.key[0]} is shared beyond the granted streets"]


class GrantedStore:
    """A store seen by one organizer: reads as the store; writes only inside the grant.

    Every ``apply`` is checked first (a dry run, then the grant); a whole-zone ``replace`` is
    for zone-wide users only.
    """

    def __init__(self, store: Store, user: User) -> None:
        self._store = store
        self.user = user
        self.dialect: Dialect = store.dialect

    def apply(self, changes: ChangeSet, *, dry_run: bool = False, **extra: Any) -> ApplyReport:
        report = self._store.apply(changes, dry_run=True, **extra)
        problems = outside_grant(self.user, self._store, report)
        if problems:
            streets = "、".join(self.user.streets)
            what = "; ".join(problems[:5]) + (
                f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
            )
            raise Forbidden(
                f"{self.user.name} may change firms of {streets} only: {what}",
                reason="street",
                streets=streets,
                what=what,
            )
        if dry_run:
            return report
        return self._store.apply(changes, **extra)

    def replace(self, zone: Zone, **extra: Any) -> None:
        if not self.user.zone_wide:
            raise Forbidden(f"{self.user.name} may not replace the whole zone")
        self._store.replace(zone, **extra)

    def apply_schema(self) -> None:
        self._store.apply_schema()

    def read(self) -> Zone:
        return self._store.read()

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        return self._store.run(cypher, params)

    def counts(self) -> dict[str, int]:
        return self._store.counts()

    def close(self) -> None:
        """The app's store outlives a request: nothing to close here."""

    def __getattr__(self, name: str) -> Any:
        # Whatever else a store offers (a copy for what-ifs, the embedded path) reads through.
        return getattr(self._store, name)
