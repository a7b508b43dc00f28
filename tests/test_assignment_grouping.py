"""Studio assignment and joint-branch grouping: known answers, and brute force on small cases."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator, Sequence
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from queries.assignment import FirmSlot, StudioAssignment, StudioSlot, assign_studios
from queries.grouping import JointGroup, SmallFirm, plan_joint_branches

# --- assignment: known answers ------------------------------------------------------------


def test_shortfall_is_filled_before_community_preference() -> None:
    # Studio "full" already has the minimum and shares the firms' community; "short" has 2
    # and another community. Three firms exactly cover the shortfall, so all go to "short".
    studios = [StudioSlot("full", "S", "home", 6), StudioSlot("short", "S", "away", 2)]
    firms = [FirmSlot(f"f{i}", "S", "home") for i in range(3)]
    plan = assign_studios(firms, studios)
    assert plan.pairs == [("f0", "short"), ("f1", "short"), ("f2", "short")]
    assert plan.below_minimum == []
    assert plan.left_over == []


def test_beyond_the_shortfall_firms_prefer_their_own_community() -> None:
    studios = [StudioSlot("a", "S", "ca", 3), StudioSlot("b", "S", "cb", 5)]
    firms = [FirmSlot(f"f{i}", "S", "cb") for i in range(4)]
    plan = assign_studios(firms, studios)
    counts = Counter(studio for _, studio in plan.pairs)
    assert counts == {"a": 2, "b": 2}  # two fill a's shortfall, the others stay in cb
    assert plan.below_minimum == []


def test_community_breaks_ties_between_studios_with_shortfall() -> None:
    studios = [StudioSlot("a", "S", "ca", 0), StudioSlot("b", "S", "cb", 0)]
    firms = [FirmSlot("x", "S", "cb"), FirmSlot("y", "S", "ca"), FirmSlot("z", "S", None)]
    plan = assign_studios(firms, studios)
    assert ("x", "b") in plan.pairs and ("y", "a") in plan.pairs
    assert len(plan.pairs) == 3
    assert sorted(load for _, load in plan.below_minimum) == [1, 2]


def test_capacity_is_respected() -> None:
    studios = [StudioSlot("a", "S", None, 13), StudioSlot("b", "S", None, 15)]
    firms = [FirmSlot(f"f{i}", "S", None) for i in range(4)]
    plan = assign_studios(firms, studios, minimum=5, capacity=15)
    assert len(plan.pairs) == 2 and {s for _, s in plan.pairs} == {"a"}
    assert [reason for _, reason in plan.left_over] == ["studios in street S are full"] * 2


def test_studio_over_capacity_takes_nobody() -> None:
    plan = assign_studios([FirmSlot("f", "S", "c")], [StudioSlot("a", "S", "c", 20)])
    assert plan.pairs == []
    assert plan.left_over == [("f", "studios in street S are full")]


def test_streets_must_match_and_reasons_say_why() -> None:
    studios = [StudioSlot("a", "S", "c", 1), StudioSlot("nowhere", None, "c", 0)]
    firms = [FirmSlot("f1", "T", "c"), FirmSlot("f2", None, "c"), FirmSlot("f3", "S", "x")]
    plan = assign_studios(firms, studios)
    assert plan.pairs == [("f3", "a")]
    assert plan.left_over == [("f1", "no studio in street T"), ("f2", "firm has no street")]
    # Both studios are still short: "a" at 2 and the studio without a street at 0.
    assert plan.below_minimum == [("a", 2), ("nowhere", 0)]


def test_empty_inputs() -> None:
    assert assign_studios([], []) == StudioAssignment([], [], [])
    assert assign_studios([], [StudioSlot("a", "S", None, 7)]) == StudioAssignment([], [], [])
    plan = assign_studios([FirmSlot("f", "S", None)], [])
    assert plan.left_over == [("f", "no studio in street S")]


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="duplicate firm ids: f"):
        assign_studios([FirmSlot("f", "S", None)] * 2, [])
    with pytest.raises(ValueError, match="duplicate studio ids: a"):
        assign_studios([], [StudioSlot("a", "S", None, 0)] * 2)
    with pytest.raises(ValueError, match="load"):
        assign_studios([], [StudioSlot("a", "S", None, -1)])
    with pytest.raises(ValueError, match="negative"):
        assign_studios([], [], minimum=-1)


# --- assignment: brute force ---------------------------------------------------------------

STREETS = st.sampled_from(["S", "T", None])
COMMUNITIES = st.sampled_from(["c1", "c2", None])


@st.composite
def assignment_cases(
    draw: st.DrawFn,
) -> tuple[list[FirmSlot], list[StudioSlot], int, int]:
    n_firms = draw(st.integers(0, 6))
    n_studios = draw(st.integers(0, 3))
    firms = [FirmSlot(f"f{i}", draw(STREETS), draw(COMMUNITIES)) for i in range(n_firms)]
    studios = [
        StudioSlot(f"s{i}", draw(STREETS), draw(COMMUNITIES), draw(st.integers(0, 5)))
        for i in range(n_studios)
    ]
    minimum = draw(st.integers(0, 5))
    capacity = draw(st.integers(0, 6))
    return firms, studios, minimum, capacity


def _score(
    pairs: Sequence[tuple[str, str]],
    firms: Sequence[FirmSlot],
    studios: Sequence[StudioSlot],
    minimum: int,
) -> tuple[int, int, int]:
    """(firms assigned, assignments filling a shortfall, firms in their own community)."""
    firm = {f.id: f for f in firms}
    studio = {s.id: s for s in studios}
    added = Counter(s for _, s in pairs)
    shortfall = sum(min(k, max(0, minimum - studio[s].load)) for s, k in added.items())
    same = sum(
        1
        for f, s in pairs
        if firm[f].community is not None and firm[f].community == studio[s].community
    )
    return len(pairs), shortfall, same


def _brute_best(
    firms: Sequence[FirmSlot], studios: Sequence[StudioSlot], minimum: int, capacity: int
) -> tuple[int, int, int]:
    options = [
        [None, *(s.id for s in studios if f.street is not None and s.street == f.street)]
        for f in firms
    ]
    room = {s.id: max(0, capacity - s.load) for s in studios}
    best = (0, 0, 0)
    for choice in itertools.product(*options):
        added = Counter(s for s in choice if s is not None)
        if any(k > room[s] for s, k in added.items()):
            continue
        pairs = [(f.id, s) for f, s in zip(firms, choice, strict=True) if s is not None]
        best = max(best, _score(pairs, firms, studios, minimum))
    return best


def _check_constraints(
    plan: StudioAssignment,
    firms: Sequence[FirmSlot],
    studios: Sequence[StudioSlot],
    minimum: int,
    capacity: int,
) -> None:
    firm = {f.id: f for f in firms}
    studio = {s.id: s for s in studios}
    assert plan.pairs == sorted(plan.pairs)
    assigned = [f for f, _ in plan.pairs]
    assert len(assigned) == len(set(assigned))
    assert sorted(assigned + [f for f, _ in plan.left_over]) == sorted(firm)
    for f, s in plan.pairs:
        assert firm[f].street is not None and firm[f].street == studio[s].street
    added = Counter(s for _, s in plan.pairs)
    for s, k in added.items():
        assert studio[s].load + k <= capacity
    after = {s.id: s.load + added[s.id] for s in studios}
    assert plan.below_minimum == sorted((s, n) for s, n in after.items() if n < minimum)
    for f, reason in plan.left_over:
        street = firm[f].street
        if street is None:
            assert reason == "firm has no street"
        elif not any(s.street == street for s in studios):
            assert reason == f"no studio in street {street}"
        else:
            assert reason == f"studios in street {street} are full"
            # A maximum plan leaves no room in the firm's street.
            assert all(after[s.id] >= capacity for s in studios if s.street == street)


@settings(max_examples=300, deadline=None)
@given(assignment_cases())
def test_assignment_is_lexicographically_optimal(
    case: tuple[list[FirmSlot], list[StudioSlot], int, int],
) -> None:
    firms, studios, minimum, capacity = case
    plan = assign_studios(firms, studios, minimum, capacity)
    _check_constraints(plan, firms, studios, minimum, capacity)
    assert _score(plan.pairs, firms, studios, minimum) == _brute_best(
        firms, studios, minimum, capacity
    )


@settings(max_examples=100, deadline=None)
@given(assignment_cases(), st.permutations(range(6)), st.permutations(range(3)))
def test_assignment_does_not_depend_on_input_order(
    case: tuple[list[FirmSlot], list[StudioSlot], int, int],
    firm_order: list[int],
    studio_order: list[int],
) -> None:
    firms, studios, minimum, capacity = case
    shuffled_firms = [firms[i] for i in firm_order if i < len(firms)]
    shuffled_studios = [studios[i] for i in studio_order if i < len(studios)]
    assert assign_studios(firms, studios, minimum, capacity) == assign_studios(
        shuffled_firms, shuffled_studios, minimum, capacity
    )


# --- grouping: known answers ---------------------------------------------------------------


def _firms(area: str | None, members: Sequence[int], prefix: str = "") -> list[SmallFirm]:
    return [SmallFirm(f"{prefix}{i:02d}", area, m) for i, m in enumerate(members)]


def test_two_twos_and_a_one_make_one_branch() -> None:
    assert plan_joint_branches(_firms("A", [2, 2, 1])) == [JointGroup("A", ("00", "01", "02"), 5)]


def test_too_few_members_make_no_branch() -> None:
    assert plan_joint_branches(_firms("A", [1, 1])) == []
    assert plan_joint_branches(_firms("A", [2])) == []
    assert plan_joint_branches([]) == []


def test_firms_without_an_area_are_never_grouped() -> None:
    assert plan_joint_branches(_firms(None, [2, 2, 2, 1])) == []
    groups = plan_joint_branches(_firms(None, [2, 2], "n") + _firms("A", [1, 1, 1], "a"))
    assert groups == [JointGroup("A", ("a00", "a01", "a02"), 3)]


def test_areas_are_never_mixed() -> None:
    # Two 1-member firms in each of two areas: four members, but no area reaches three.
    assert plan_joint_branches(_firms("A", [1, 1], "a") + _firms("B", [1, 1], "b")) == []


def test_max_firms_splits_a_large_area() -> None:
    groups = plan_joint_branches(_firms("A", [1] * 12))
    assert [len(g.firm_ids) for g in groups] == [6, 6]
    assert sum(g.members for g in groups) == 12


def test_left_out_firms_are_one_member_firms_with_the_largest_ids() -> None:
    # Groups of at most 2 firms need a 2-member firm each: 4 groups, 8 firms placed.
    firms = _firms("A", [2, 1, 1, 2, 1, 1, 2, 1, 1, 2])
    groups = plan_joint_branches(firms, min_members=3, max_firms=2)
    placed = {i for g in groups for i in g.firm_ids}
    assert len(groups) == 4 and all(g.members == 3 for g in groups)
    assert sorted({f.id for f in firms} - placed) == ["07", "08"]


def test_output_is_sorted_by_area_then_first_id() -> None:
    firms = _firms("B", [1, 1, 1], "b") + _firms("A", [1] * 6, "a")
    groups = plan_joint_branches(firms, max_firms=3)
    assert [(g.area, g.firm_ids[0]) for g in groups] == [("A", "a00"), ("A", "a03"), ("B", "b00")]


def test_bad_input_is_refused_by_grouping() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        plan_joint_branches([SmallFirm("x", "A", 1)] * 2)
    with pytest.raises(ValueError, match="1 or 2"):
        plan_joint_branches([SmallFirm("x", "A", 3)])
    with pytest.raises(ValueError, match="at least 1"):
        plan_joint_branches([], min_members=0)


# --- grouping: exact optimum -----------------------------------------------------------------


def _partitions(items: tuple[int, ...], max_block: int) -> Iterator[list[list[int]]]:
    """Every partition of every subset of ``items`` into blocks of at most ``max_block``."""
    if not items:
        yield []
        return
    head, rest = items[0], items[1:]
    for partition in _partitions(rest, max_block):
        yield partition  # head left out
        yield [[head], *partition]
        for i, block in enumerate(partition):
            if len(block) < max_block:
                yield [*partition[:i], [head, *block], *partition[i + 1 :]]


@cache
def _brute_max_placed(members: tuple[int, ...], min_members: int, max_firms: int) -> int:
    """Most firms placed, by trying every set partition of every subset of the firms."""
    return max(
        sum(len(b) for b in p)
        for p in _partitions(members, max_firms)
        if all(sum(b) >= min_members for b in p)
    )


def _check_groups(
    groups: Sequence[JointGroup], firms: Sequence[SmallFirm], min_members: int, max_firms: int
) -> None:
    firm = {f.id: f for f in firms}
    ids = [i for g in groups for i in g.firm_ids]
    assert len(ids) == len(set(ids))
    for g in groups:
        assert g.firm_ids == tuple(sorted(g.firm_ids))
        assert 1 <= len(g.firm_ids) <= max_firms
        assert all(firm[i].area == g.area for i in g.firm_ids)
        assert g.members == sum(firm[i].members for i in g.firm_ids) >= min_members
    assert list(groups) == sorted(groups, key=lambda g: (g.area, g.firm_ids[0]))


@st.composite
def grouping_cases(draw: st.DrawFn) -> tuple[list[SmallFirm], int, int]:
    areas: list[str | None] = [*["A", "B", "C"][: draw(st.integers(1, 3))]]
    if draw(st.booleans()):
        areas.append(None)
    firms: list[SmallFirm] = []
    for n, area in enumerate(areas):
        for i, m in enumerate(draw(st.lists(st.sampled_from([1, 2]), max_size=8))):
            firms.append(SmallFirm(f"{n}-{i}", area, m))
    params = draw(st.sampled_from([(3, 10), (3, 3), (3, 2), (1, 1), (2, 2), (4, 3), (5, 4)]))
    return firms, *params


@settings(max_examples=300, deadline=None)
@given(grouping_cases())
def test_grouping_places_as_many_firms_as_brute_force(
    case: tuple[list[SmallFirm], int, int],
) -> None:
    firms, min_members, max_firms = case
    groups = plan_joint_branches(firms, min_members, max_firms)
    _check_groups(groups, firms, min_members, max_firms)
    best = sum(
        _brute_max_placed(
            tuple(sorted(f.members for f in firms if f.area == area)), min_members, max_firms
        )
        for area in {f.area for f in firms if f.area is not None}
    )
    assert sum(len(g.firm_ids) for g in groups) == best


def _dp_max_placed(
    max_ones: int, max_twos: int, min_members: int, max_firms: int
) -> list[list[int]]:
    """Most firms placed for every (ones, twos), by a DP over the kinds of group."""
    kinds = [
        (p, q)
        for p in range(max_firms + 1)
        for q in range(max_firms + 1 - p)
        if p + q >= 1 and p + 2 * q >= min_members
    ]
    splittable = [[False] * (max_twos + 1) for _ in range(max_ones + 1)]
    splittable[0][0] = True
    for a in range(max_ones + 1):
        for b in range(max_twos + 1):
            if (a, b) != (0, 0):
                splittable[a][b] = any(
                    p <= a and q <= b and splittable[a - p][b - q] for p, q in kinds
                )
    return [
        [
            max(x + y for x in range(a + 1) for y in range(b + 1) if splittable[x][y])
            for b in range(max_twos + 1)
        ]
        for a in range(max_ones + 1)
    ]


@pytest.mark.parametrize("min_members", [1, 2, 3, 4, 5, 7])
@pytest.mark.parametrize("max_firms", [1, 2, 3, 4, 10])
def test_grouping_matches_a_dp_on_larger_counts(min_members: int, max_firms: int) -> None:
    size = 14
    table = _dp_max_placed(size, size, min_members, max_firms)
    for ones in range(size + 1):
        for twos in range(size + 1):
            firms = _firms("A", [1] * ones + [2] * twos)
            groups = plan_joint_branches(firms, min_members, max_firms)
            _check_groups(groups, firms, min_members, max_firms)
            assert sum(len(g.firm_ids) for g in groups) == table[ones][twos]
