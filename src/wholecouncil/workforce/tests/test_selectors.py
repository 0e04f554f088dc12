from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wholecouncil.council import services as council_services
from wholecouncil.council.models import Council, OrgUnit, Partnership
from wholecouncil.workforce import selectors, services
from wholecouncil.workforce.engine import PostRow

pytestmark = pytest.mark.django_db


def post(
    ref: str, path: tuple[str, ...], cost: str | None = "1000.00", fte: str = "1", vacant: bool = False
) -> PostRow:
    return PostRow(
        post_ref=ref,
        org_path=path,
        job_title=f"Job {ref}",
        fte=Decimal(fte),
        annual_cost=None if cost is None else Decimal(cost),
        vacant=vacant,
    )


@pytest.fixture
def loaded(council: Council) -> Council:
    services.establishment_replace(
        council=council,
        rows=[
            post("D1", ("Place",), "100000.00"),
            post("S1", ("Place", "Highways"), "50000.00", vacant=True),
            post("T1", ("Place", "Highways", "Lighting"), "30000.00", fte="0.5"),
            post("T2", ("Place", "Highways", "Lighting"), None),
            post("A1", ("People", "Adults"), "40000.00"),
        ],
        actor=None,
    )
    return council


def unit(council: Council, name: str) -> OrgUnit:
    return OrgUnit.objects.get(council=council, name=name)


def test_org_tree_rolls_up(loaded: Council) -> None:
    tree = selectors.org_tree(loaded)
    assert [r.name for r in tree.roots] == ["People", "Place"]
    place = tree.by_id[unit(loaded, "Place").pk]
    assert place.total.posts == 4
    assert place.own.posts == 1
    assert place.total.fte == Decimal("3.50")
    assert place.total.vacant == 1
    assert place.total.annual_cost == Decimal("180000.00")
    assert place.total.uncosted == 1
    assert [n.name for n in tree.rows()] == ["People", "Adults", "Place", "Highways", "Lighting"]
    assert [n.depth for n in tree.rows()] == [0, 1, 0, 1, 2]
    assert tree.totals.posts == 5 and tree.totals.annual_cost == Decimal("220000.00")


def test_unit_detail_lists_posts_below(loaded: Council, make_council: Callable[..., Council]) -> None:
    detail = selectors.unit_detail(loaded, unit(loaded, "Highways").pk)
    assert [a.name for a in detail.ancestors] == ["Place"]
    assert sorted(p.post_ref for p in detail.posts) == ["S1", "T1", "T2"]
    other = make_council()
    with pytest.raises(OrgUnit.DoesNotExist):
        selectors.unit_detail(other, unit(loaded, "Highways").pk)


@pytest.fixture
def partnership(loaded: Council, make_council: Callable[..., Council]) -> Partnership:
    other = make_council(slug="otherton", name="Otherton Council")
    services.establishment_replace(
        council=other, rows=[post("O1", ("Shared services", "Revenues"), "12345.67")], actor=None
    )
    p = council_services.partnership_create(name="Joint", councils=[loaded, other], actor=None)
    council_services.org_unit_share(
        unit=unit(loaded, "Highways"),
        partnership=p,
        shares={loaded: Decimal("60"), other: Decimal("40")},
        actor=None,
    )
    council_services.org_unit_share(
        unit=unit(other, "Shared services"),
        partnership=p,
        shares={loaded: Decimal("33.33"), other: Decimal("66.67")},
        actor=None,
    )
    return p


def test_org_tree_shows_units_hosted_elsewhere_with_the_share(
    loaded: Council, partnership: Partnership
) -> None:
    tree = selectors.org_tree(loaded)
    [shared] = tree.shared_roots
    assert shared.name == "Shared services" and shared.host_name == "Otherton Council"
    assert shared.share_percent == Decimal("33.33")
    assert shared.share_cost == Decimal("4114.81")  # 33.33% of 12,345.67, to the penny
    assert [n.name for n in tree.shared_rows()] == ["Shared services", "Revenues"]
    highways = tree.by_id[unit(loaded, "Highways").pk]
    assert [(s.council_name, s.percent) for s in highways.shares] == [
        ("Testshire Council", Decimal("60.00")),
        ("Otherton Council", Decimal("40.00")),
    ]
    # the other council's units are visible to this council only where it has a share
    detail = selectors.unit_detail(loaded, unit(shared_council(partnership), "Revenues").pk)
    assert [p.post_ref for p in detail.posts] == ["O1"]


def shared_council(partnership: Partnership) -> Council:
    return partnership.councils.get(slug="otherton")


def test_partnership_costs_split_by_council_and_conserve_totals(
    loaded: Council, partnership: Partnership
) -> None:
    costs = selectors.partnership_costs(loaded, partnership)
    assert [c.name for c in costs.councils] == ["Otherton Council", "Testshire Council"]
    rows = {r.unit.name: r for r in costs.units}
    highways = rows["Highways"]
    assert highways.unit.exclusive_cost == Decimal("80000.00")
    assert highways.parts == [
        (Decimal("40.00"), Decimal("32000.00")),
        (Decimal("60.00"), Decimal("48000.00")),
    ]
    shared = rows["Shared services"]
    assert sum(a for _, a in shared.parts if a is not None) == Decimal("12345.67")
    assert sum(costs.totals) == costs.total == Decimal("92345.67")


def test_a_shared_unit_below_a_shared_unit_is_not_counted_twice(
    loaded: Council, partnership: Partnership
) -> None:
    other = shared_council(partnership)
    council_services.org_unit_share(
        unit=unit(loaded, "Place"), partnership=partnership, shares={loaded: Decimal("100")}, actor=None
    )
    costs = selectors.partnership_costs(loaded, partnership)
    rows = {r.unit.name: r for r in costs.units}
    assert rows["Place"].unit.exclusive_cost == Decimal("100000.00")  # Highways is split on its own line
    assert costs.total == Decimal("192345.67")
    assert sum(costs.totals) == costs.total
    assert other.pk in {c.pk for c in costs.councils}


def test_partnership_costs_refuse_a_council_outside_the_partnership(
    partnership: Partnership, make_council: Callable[..., Council]
) -> None:
    with pytest.raises(Partnership.DoesNotExist):
        selectors.partnership_costs(make_council(), partnership)


@pytest.fixture
def pair(make_council: Callable[..., Council]) -> tuple[Council, Council, Partnership]:
    a, b = make_council(), make_council()
    return a, b, council_services.partnership_create(name="P", councils=[a, b], actor=None)


# Each example replaces the establishment and the shares, so sharing the fixture between examples is safe.
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.integers(min_value=0, max_value=10_000_000), min_size=1, max_size=6),
    st.integers(min_value=1, max_value=9999),
)
def test_split_conserves_any_cost(
    pair: tuple[Council, Council, Partnership], pennies: list[int], share: int
) -> None:
    a, b, p = pair
    rows = [post(f"P{i}", ("Joint team",), str(Decimal(n) / 100)) for i, n in enumerate(pennies)]
    services.establishment_replace(council=a, rows=rows, actor=None)
    pct = Decimal(share) / 100
    council_services.org_unit_share(
        unit=OrgUnit.objects.get(council=a, name="Joint team"),
        partnership=p,
        shares={a: pct, b: Decimal(100) - pct},
        actor=None,
    )
    costs = selectors.partnership_costs(b, p)
    assert sum(costs.totals) == costs.total == sum(Decimal(x) for x in pennies) / 100
