"""Same-scope sums: the array arithmetic against the rule, written out as plain loops."""

from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from yuanqu.indicators.scope import CUMULATIVE, IN_MONTH, INT64_SAFE, MonthRows, ScopeSum, scope_sums

# enterprise, industry, year, month, 规上, value a, value b, reported prior a (or None)
Row = tuple[int, str, int, int, bool, int, int, int | None]
FIELDS = ("with_base", "current", "base", "current_with_base", "continuing_enterprises", "continuing_current",
          "continuing_base", "reported", "new_production")  # fmt: skip


def by_definition(rows: list[Row], years: set[int], marks: dict[int, set[int]], span: str) -> dict:
    """The rule of indicators/scope.py, one enterprise and month at a time (field a has a
    reported prior; field b never has one)."""
    result: dict = defaultdict(lambda: [0] + [[0, 0] for _ in FIELDS])
    for enterprise, industry, year, month, in_scope, *_ in rows:
        if year not in years or not in_scope or (span == IN_MONTH and month < 3):
            continue
        mine = {(r[2], r[3]): r for r in rows if r[0] == enterprise}
        months = range(1, month + 1) if span == CUMULATIVE else [month]
        current = [sum(mine[(year, m)][5 + i] for m in months if (year, m) in mine) for i in range(2)]
        own_rows = any((year - 1, m) in mine for m in range(1, month + 1))
        own = [sum(mine[(year - 1, m)][5 + i] for m in months if (year - 1, m) in mine) for i in range(2)]
        new_entrant = not any(r[2] == year - 1 and r[4] for r in mine.values())
        marked = enterprise in marks.get(year, set())
        bases: list[int | None] = []
        kinds: list[str] = []
        for i in range(2):
            reported = None
            if i == 0:
                if span == CUMULATIVE:
                    reported = mine[(year, month)][7]
                elif (year, month - 1) in mine and None not in (mine[(year, month)][7], mine[(year, month - 1)][7]):
                    reported = mine[(year, month)][7] - mine[(year, month - 1)][7]
            if reported is not None:
                bases.append(reported), kinds.append("reported")
            elif own_rows:
                bases.append(own[i]), kinds.append("own")
            elif marked:
                bases.append(0), kinds.append("new")
            else:
                bases.append(None), kinds.append("missing")
        for key in ((year, month, industry), (year, month, "")):
            entry = result[key]
            entry[0] += 1
            for i in range(2):
                has = bases[i] is not None
                base = bases[i] or 0
                values = {
                    "with_base": int(has),
                    "current": current[i],
                    "base": base if has else 0,
                    "current_with_base": current[i] if has else 0,
                    "continuing_enterprises": int(has and not new_entrant),
                    "continuing_current": current[i] if has and not new_entrant else 0,
                    "continuing_base": base if has and not new_entrant else 0,
                    "reported": int(kinds[i] == "reported"),
                    "new_production": int(kinds[i] == "new"),
                }
                for at, name in enumerate(FIELDS, start=1):
                    entry[at][i] += values[name]
    return {key: (v[0], *(tuple(pair) for pair in v[1:])) for key, v in result.items()}


def computed(rows: list[Row], years: set[int], marks: dict[int, set[int]] | None = None, span: str = CUMULATIVE):
    month_rows = MonthRows.build(
        enterprise=[r[0] for r in rows],
        industry=[r[1] for r in rows],
        year=[r[2] for r in rows],
        month=[r[3] for r in rows],
        in_scope=[r[4] for r in rows],
        values=[[r[5] for r in rows], [r[6] for r in rows]],
        prior=[[r[7] for r in rows], [None for _ in rows]],
    )
    sums: list[ScopeSum] = scope_sums(month_rows, years, marks)
    return {
        (s.year, s.month, s.industry): (s.enterprises, *(getattr(s, name) for name in FIELDS))
        for s in sums
        if s.span == span
    }


def test_a_hand_computed_zone() -> None:
    rows: list[Row] = [
        # Enterprise 1 (C38), 规上 both years: 2022 Jan–Feb 10 + 20, 2023 Jan–Feb 15 + 25.
        (1, "C38", 2022, 1, True, 10, 1, None),
        (1, "C38", 2022, 2, True, 20, 1, None),
        (1, "C38", 2023, 1, True, 15, 1, None),
        (1, "C38", 2023, 2, True, 25, 1, None),
        # Enterprise 2 (C36) enters scope in February 2023 (新入库) with no row in 2022, but its
        # report gives 上年同期累计 12 for field a: that is its base; field b has none (left out).
        (2, "C36", 2023, 1, False, 7, 0, None),
        (2, "C36", 2023, 2, True, 9, 0, 12),
        # Enterprise 3 leaves scope in February 2023 and has no January 2022 row.
        (3, "C38", 2022, 2, True, 50, 0, None),
        (3, "C38", 2023, 1, True, 40, 0, None),
        (3, "C38", 2023, 2, False, 60, 0, None),
    ]
    sums = computed(rows, {2023})
    # February 2023, field a: enterprise 1 (15+25 vs 10+20) and enterprise 2 (7+9 vs its reported 12).
    # (enterprises, with_base, current, base, current_with_base, continuing…, reported, new_production)
    assert sums[(2023, 2, "")] == (
        2, (2, 1), (56, 2), (42, 2), (56, 2), (1, 1), (40, 2), (30, 2), (1, 0), (0, 0),
    )  # fmt: skip
    assert sums[(2023, 2, "C36")][1:5] == ((1, 0), (16, 0), (12, 0), (16, 0))
    # January 2023: enterprise 1 (15 vs 10); enterprise 3 has no row up to January 2022: no base.
    assert sums[(2023, 1, "C38")][:5] == (2, (1, 1), (55, 1), (10, 1), (15, 1))
    assert (2023, 1, "C36") not in sums  # enterprise 2 was not 规上 in January
    assert sums == by_definition(rows, {2023}, {}, CUMULATIVE)


def test_a_new_production_mark_gives_a_zero_base() -> None:
    rows: list[Row] = [(1, "C38", 2023, 3, True, 30, 5, None), (2, "C38", 2022, 3, True, 10, 2, None),
                       (2, "C38", 2023, 3, True, 20, 4, None)]  # fmt: skip
    without = computed(rows, {2023})[(2023, 3, "")]
    marked = computed(rows, {2023}, {2023: {1}})[(2023, 3, "")]
    assert without[1:4] == ((1, 1), (50, 9), (10, 2))  # enterprise 1 left out
    assert marked[1:5] == ((2, 2), (50, 9), (10, 2), (50, 9))  # enterprise 1 in, against zero
    assert marked[-1] == (1, 1)


def test_in_month_sums_compare_the_month_with_the_same_month_a_year_earlier() -> None:
    rows: list[Row] = [
        (1, "C38", 2022, 5, True, 40, 1, None),
        (1, "C38", 2022, 6, True, 50, 1, None),
        (1, "C38", 2023, 5, True, 44, 1, None),
        (1, "C38", 2023, 6, True, 60, 1, None),
        # 新入库 with reported cumulative priors 100 (1—5月) and 130 (1—6月): June's base is 30.
        (2, "C36", 2023, 5, True, 20, 1, 100),
        (2, "C36", 2023, 6, True, 35, 1, 130),
    ]
    june = computed(rows, {2023}, span=IN_MONTH)[(2023, 6, "")]
    assert june[1:5] == ((2, 1), (95, 2), (80, 1), (95, 1))  # (60 + 35) vs (50 + 30) for field a
    assert june == by_definition(rows, {2023}, {}, IN_MONTH)[(2023, 6, "")]


prior_values = st.one_of(st.none(), st.integers(0, 10**9))
rows_strategy = st.lists(
    st.tuples(
        st.integers(1, 6),
        st.integers(2021, 2023),
        st.integers(1, 12),
        st.booleans(),
        st.integers(-(10**6), 10**9),
        st.integers(0, 10**9),
        prior_values,
    ),
    max_size=60,
    unique_by=lambda r: (r[0], r[1], r[2]),
)


@given(
    raw=rows_strategy,
    years=st.sets(st.integers(2021, 2024), min_size=1, max_size=3),
    marked=st.sets(st.integers(1, 6), max_size=3),
    span=st.sampled_from([CUMULATIVE, IN_MONTH]),
)
@settings(max_examples=200, deadline=None)
def test_the_arrays_give_the_rule(raw: list, years: set[int], marked: set[int], span: str) -> None:
    industries = {1: "C38", 2: "C38", 3: "C36", 4: "-", 5: "D44", 6: "C36"}
    rows: list[Row] = [(e, industries[e], y, m, s, a, b, p) for e, y, m, s, a, b, p in raw]
    marks = {year: marked for year in years}
    assert computed(rows, years, marks, span) == by_definition(rows, years, marks, span)


def test_sums_too_large_for_64_bits_stay_exact() -> None:
    big = INT64_SAFE // 2 + 12_345  # two of them overflow a signed 64-bit integer
    rows: list[Row] = [(1, "C38", 2023, 1, True, big, 0, None), (2, "C38", 2023, 1, True, big, 0, None)]
    assert computed(rows, {2023})[(2023, 1, "")][2] == (2 * big, 0)


def test_amounts_beyond_the_exact_range_of_doubles_are_summed_exactly() -> None:
    odd = 2**53 + 1  # a double would round it to 2**53
    rows: list[Row] = [(1, "C38", 2023, 1, True, odd, 0, None), (2, "C38", 2023, 1, True, 2, 0, odd)]
    assert computed(rows, {2023})[(2023, 1, "")][2] == (odd + 2, 0)
    assert computed(rows, {2023})[(2023, 1, "")][3] == (odd, 0)
