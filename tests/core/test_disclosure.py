"""Disclosure control on tables small enough to check by hand, and a property over random ones.

Recoverability is checked here independently of the module: exactly, with fractions, over the
enterprises themselves (not the module's atoms, not its primes).
"""

from collections.abc import Mapping, Sequence
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from yuanqu.disclosure import Cell, Reason, Rules, protect, sensitive


def cells(**members: Sequence[int]) -> list[Cell]:
    return [Cell(key, dict.fromkeys(enterprises, 1)) for key, enterprises in members.items()]


def values(**amounts: int) -> dict[int, tuple[int, int]]:
    """Each enterprise's (this year, last year); ``e3=50`` is enterprise 3 with 50 both years."""
    return {int(name[1:]): (amount, amount) for name, amount in amounts.items()}


def in_span(rows: Sequence[Mapping[int, int]], target: Mapping[int, int]) -> bool:
    """Whether ``target`` is a rational combination of ``rows`` (vectors over enterprises)."""
    columns = sorted({e for row in [*rows, target] for e in row})
    basis: list[list[Fraction]] = []
    pivots: list[int] = []

    def reduce(vector: list[Fraction]) -> list[Fraction]:
        for row, pivot in zip(basis, pivots, strict=True):
            if vector[pivot]:
                factor = vector[pivot] / row[pivot]
                vector = [a - factor * b for a, b in zip(vector, row, strict=True)]
        return vector

    for row in rows:
        reduced = reduce([Fraction(row.get(e, 0)) for e in columns])
        pivot = next((i for i, value in enumerate(reduced) if value), None)
        if pivot is not None:
            basis.append(reduced)
            pivots.append(pivot)
    return not any(reduce([Fraction(target.get(e, 0)) for e in columns]))


def test_a_cell_of_fewer_than_three_enterprises_is_sensitive() -> None:
    rules = Rules()
    assert sensitive({1: 1, 2: 1}, values(e1=10, e2=10), rules) == Reason.FEW
    assert sensitive({1: 1, 2: 1, 3: 1}, values(e1=10, e2=10, e3=10), rules) is None
    assert sensitive({}, {}, rules) is None  # an empty cell is 0 and tells nothing


def test_a_cell_with_one_enterprise_over_85_percent_is_sensitive() -> None:
    rules = Rules()
    assert sensitive({1: 1, 2: 1, 3: 1}, values(e1=86, e2=7, e3=7), rules) == Reason.DOMINANT
    assert sensitive({1: 1, 2: 1, 3: 1}, values(e1=85, e2=10, e3=5), rules) is None  # 85% is not over 85%
    # Last year's figures count too: the enterprise held 90 of 100 a year ago.
    assert sensitive({1: 1, 2: 1, 3: 1}, {1: (40, 90), 2: (30, 5), 3: (30, 5)}, rules) == Reason.DOMINANT


def test_the_limits_are_rules() -> None:
    assert sensitive({1: 1, 2: 1, 3: 1}, values(e1=10, e2=10, e3=10), Rules(min_enterprises=4)) == Reason.FEW
    assert sensitive({1: 1, 2: 1, 3: 1}, values(e1=60, e2=20, e3=20), Rules(dominance_pct=50)) == Reason.DOMINANT


def test_a_total_with_one_hidden_part_loses_its_cheapest_other_part_too() -> None:
    # Chain = a (one enterprise) + b (3) + c (3): shown b, c and the chain would give a away.
    table = cells(chain=[1, 2, 3, 4, 5, 6, 7], a=[1], b=[2, 3, 4], c=[5, 6, 7])
    plan = protect(table, values(e1=50, e2=10, e3=10, e4=10, e5=30, e6=30, e7=30))
    assert plan.suppressed == {"a": Reason.FEW, "b": Reason.COMPLEMENTARY}  # b (30) is cheaper than c (90)
    assert plan.shows("chain") and plan.shows("c")


def test_a_residual_that_is_never_shown_is_protected_as_well() -> None:
    # The zone's total and the chain's: their difference is enterprise 7, on no chain.
    table = [*cells(zone=[1, 2, 3, 4, 5, 6, 7], chain=[1, 2, 3, 4, 5, 6]), Cell("rest", {7: 1}, published=False)]
    plan = protect(table, values(e1=10, e2=10, e3=10, e4=10, e5=10, e6=10, e7=10))
    assert plan.suppressed == {"chain": Reason.COMPLEMENTARY}  # 60 is cheaper than the zone's 70


def test_two_hidden_single_enterprises_cannot_work_each_other_out() -> None:
    # a and b are one enterprise each; with only them hidden, a's enterprise would know b's figure
    # (the chain less c, d and its own).
    table = cells(chain=[1, 2, 3, 4, 5, 6, 7, 8], a=[1], b=[2], c=[3, 4, 5], d=[6, 7, 8])
    plan = protect(table, values(e1=5, e2=5, e3=10, e4=10, e5=10, e6=20, e7=20, e8=20))
    assert plan.suppressed == {"a": Reason.FEW, "b": Reason.FEW, "c": Reason.COMPLEMENTARY}


def test_what_the_reader_knows_is_taken_out_of_every_cell() -> None:
    # A 链长 knows enterprises 1 and 2 (their own chain): of the node {1, 2, 3} only 3 is news to them.
    table = cells(node=[1, 2, 3], other=[4, 5, 6])
    amounts = values(e1=10, e2=10, e3=10, e4=10, e5=10, e6=10)
    assert protect(table, amounts).suppressed == {}
    assert protect(table, amounts, known=[1, 2]).suppressed == {"node": Reason.FEW}


def test_counting_an_enterprise_twice_is_a_cell_of_its_own() -> None:
    # Chains x and y share enterprise 3; their simple sum less their union is enterprise 3's figure.
    table = [
        *cells(x=[1, 2, 3, 4], y=[3, 5, 6, 7], union=[1, 2, 3, 4, 5, 6, 7]),
        Cell("sum", {1: 1, 2: 1, 3: 2, 4: 1, 5: 1, 6: 1, 7: 1}),
        Cell("double", {3: 1}),
    ]
    plan = protect(table, values(e1=10, e2=10, e3=10, e4=10, e5=10, e6=10, e7=10))
    # double (one enterprise) is hidden; sum − union = double, and sum = x + y. The search takes x
    # (40, before y's 40 by name), then union (70, cheaper than the sum's 80); x, being sum − y,
    # then protects nothing and is shown again.
    assert plan.suppressed == {"double": Reason.FEW, "union": Reason.COMPLEMENTARY}
    assert not in_span([cell.members for cell in table if plan.shows(cell.key)], {3: 1})


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[Cell], dict[int, tuple[int, int]]]:
    """A zone of up to 14 enterprises, its total, and up to 8 cells over random groups of them."""
    count = draw(st.integers(min_value=1, max_value=14))
    enterprises = list(range(count))
    amounts = {e: (draw(st.integers(0, 1_000)), draw(st.integers(0, 1_000))) for e in enterprises}
    groups = draw(st.lists(st.sets(st.sampled_from(enterprises), min_size=1), min_size=1, max_size=8))
    table = [Cell("zone", dict.fromkeys(enterprises, 1))]
    table += [Cell(f"cell{index}", dict.fromkeys(group, 1)) for index, group in enumerate(groups)]
    return table, amounts


@settings(max_examples=150, deadline=None, derandomize=True)
@given(tables())
def test_no_suppressed_cell_nor_sensitive_group_can_be_recovered_from_the_shown_cells(
    table: tuple[list[Cell], dict[int, tuple[int, int]]],
) -> None:
    cells_, amounts = table
    rules = Rules()
    plan = protect(cells_, amounts, rules=rules)
    shown = [cell.members for cell in cells_ if plan.shows(cell.key)]
    for cell in cells_:
        if sensitive(cell.members, amounts, rules):
            assert not plan.shows(cell.key)
        if not plan.shows(cell.key):
            assert not in_span(shown, cell.members), cell.key
    # Nor can a group of enterprises that no cell separates (the same cells hold all of them).
    groups: dict[tuple[bool, ...], dict[int, int]] = {}
    for enterprise in amounts:
        groups.setdefault(tuple(enterprise in cell.members for cell in cells_), {})[enterprise] = 1
    for group in groups.values():
        if sensitive(group, amounts, rules):
            assert not in_span(shown, group), sorted(group)
