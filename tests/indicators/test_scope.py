"""Same-scope sums: the array arithmetic against the definition, written out as plain loops."""

from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from yuanqu.indicators.scope import INT64_SAFE, MonthRows, ScopeSum, scope_sums

Row = tuple[int, str, int, int, bool, int, int]  # enterprise, industry, year, month, 规上, value a, value b


def by_definition(rows: list[Row], years: set[int]) -> dict[tuple[int, int, str], tuple[int, int, tuple, tuple]]:
    """For year Y and month N: enterprises 规上 in N; current = their months 1..N of Y, base =
    their months 1..N of Y−1; with_base counts those with any row in months 1..N of Y−1."""
    result: dict[tuple[int, int, str], list] = defaultdict(lambda: [0, 0, [0, 0], [0, 0]])
    for enterprise, industry, year, month, in_scope, *_ in rows:
        if year not in years or not in_scope:
            continue
        mine = [r for r in rows if r[0] == enterprise]
        current = [sum(r[5 + i] for r in mine if r[2] == year and r[3] <= month) for i in range(2)]
        earlier = [r for r in mine if r[2] == year - 1 and r[3] <= month]
        base = [sum(r[5 + i] for r in earlier) for i in range(2)]
        for key in ((year, month, industry), (year, month, "")):
            entry = result[key]
            entry[0] += 1
            entry[1] += bool(earlier)
            entry[2] = [a + b for a, b in zip(entry[2], current, strict=True)]
            entry[3] = [a + b for a, b in zip(entry[3], base, strict=True)]
    return {key: (v[0], v[1], tuple(v[2]), tuple(v[3])) for key, v in result.items()}


def computed(rows: list[Row], years: set[int]) -> dict[tuple[int, int, str], tuple[int, int, tuple, tuple]]:
    month_rows = MonthRows.build(
        enterprise=[r[0] for r in rows],
        industry=[r[1] for r in rows],
        year=[r[2] for r in rows],
        month=[r[3] for r in rows],
        in_scope=[r[4] for r in rows],
        values=[[r[5] for r in rows], [r[6] for r in rows]],
    )
    sums: list[ScopeSum] = scope_sums(month_rows, years)
    return {(s.year, s.month, s.industry): (s.enterprises, s.with_base, s.current, s.base) for s in sums}


def test_a_hand_computed_zone() -> None:
    rows: list[Row] = [
        # Enterprise 1 (C38), 规上 both years: 2022 Jan–Feb 10 + 20, 2023 Jan–Feb 15 + 25.
        (1, "C38", 2022, 1, True, 10, 1),
        (1, "C38", 2022, 2, True, 20, 1),
        (1, "C38", 2023, 1, True, 15, 1),
        (1, "C38", 2023, 2, True, 25, 1),
        # Enterprise 2 (C36) enters scope in February 2023; no row in 2022 (no base).
        (2, "C36", 2023, 1, False, 7, 0),
        (2, "C36", 2023, 2, True, 9, 0),
        # Enterprise 3 leaves scope in February 2023 and has no January 2022 row.
        (3, "C38", 2022, 2, True, 50, 0),
        (3, "C38", 2023, 1, True, 40, 0),
        (3, "C38", 2023, 2, False, 60, 0),
    ]
    sums = computed(rows, {2023})
    # February 2023: enterprise 1 (15+25 vs 10+20) and enterprise 2 (7+9 vs nothing).
    assert sums[(2023, 2, "")] == (2, 1, (56, 2), (30, 2))
    assert sums[(2023, 2, "C38")] == (1, 1, (40, 2), (30, 2))
    assert sums[(2023, 2, "C36")] == (1, 0, (16, 0), (0, 0))
    # January 2023: enterprise 1 (15 vs 10) and enterprise 3 (40 vs nothing up to January 2022).
    assert sums[(2023, 1, "C38")] == (2, 1, (55, 1), (10, 1))
    assert (2023, 1, "C36") not in sums  # enterprise 2 was not 规上 in January
    assert sums == by_definition(rows, {2023})


rows_strategy = st.lists(
    st.tuples(
        st.integers(1, 6),
        st.integers(2021, 2023),
        st.integers(1, 12),
        st.booleans(),
        st.integers(-(10**6), 10**9),
        st.integers(0, 10**9),
    ),
    max_size=60,
    unique_by=lambda r: (r[0], r[1], r[2]),
)


@given(raw=rows_strategy, years=st.sets(st.integers(2021, 2024), min_size=1, max_size=3))
@settings(max_examples=200)
def test_the_arrays_give_the_definition(raw: list[tuple[int, int, int, bool, int, int]], years: set[int]) -> None:
    industries = {1: "C38", 2: "C38", 3: "C36", 4: "-", 5: "D44", 6: "C36"}
    rows: list[Row] = [(e, industries[e], y, m, s, a, b) for e, y, m, s, a, b in raw]
    assert computed(rows, years) == by_definition(rows, years)


def test_sums_too_large_for_64_bits_stay_exact() -> None:
    big = INT64_SAFE // 2 + 12_345  # two of them overflow a signed 64-bit integer
    rows: list[Row] = [(1, "C38", 2023, 1, True, big, 0), (2, "C38", 2023, 1, True, big, 0)]
    assert computed(rows, {2023})[(2023, 1, "")][2] == (2 * big, 0)


def test_amounts_beyond_the_exact_range_of_doubles_are_summed_exactly() -> None:
    odd = 2**53 + 1  # a double would round it to 2**53
    rows: list[Row] = [(1, "C38", 2023, 1, True, odd, 0), (2, "C38", 2023, 1, True, 2, 0)]
    assert computed(rows, {2023})[(2023, 1, "")][2] == (odd + 2, 0)
