"""The council spine's services and selectors: defaults, templates, ordering, codes, shares and search."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from wholecouncil.council import defaults, selectors, services
from wholecouncil.council.models import (
    AuditEvent,
    Council,
    DesignPrinciple,
    Layer,
    Lever,
    OperatingModel,
    OrgUnit,
    OrgUnitShare,
)

pytestmark = pytest.mark.django_db


def _layer_names(council: Council) -> list[str]:
    return list(Layer.objects.filter(council=council).values_list("name", flat=True))


def test_a_new_council_starts_with_seven_layers_five_levers_and_nine_principles(council: Council) -> None:
    assert council.operating_model.template == OperatingModel.Template.SEVEN_LAYER
    assert _layer_names(council) == [d.name for d in defaults.SEVEN_LAYER]
    assert len(_layer_names(council)) == 7
    levers = list(Lever.objects.filter(council=council))
    assert [lv.code for lv in levers] == [d.code for d in defaults.LEVERS]
    assert len(levers) == 5
    principles = list(DesignPrinciple.objects.filter(council=council))
    assert len(principles) == 9
    for p in principles:
        assert p.we_will_list, f"{p.title} has no 'we will'"
        assert p.we_wont_list, f"{p.title} has no 'we won't'"
    assert AuditEvent.objects.filter(council=council, action="council.create").count() == 1


def test_council_short_names_are_unique(council: Council) -> None:
    with pytest.raises(services.DomainError, match="already exists"):
        services.council_create(slug=council.slug, name="Another")


def test_applying_the_six_function_template_replaces_the_layers_and_is_audited(council: Council) -> None:
    kept = Layer.objects.get(council=council, code="pre-front-door")
    services.operating_model_apply_template(council=council, template="six_function", actor=None)
    assert _layer_names(council) == [d.name for d in defaults.SIX_FUNCTION]
    assert Layer.objects.get(council=council, code="pre-front-door").pk == kept.pk
    council.operating_model.refresh_from_db()
    assert council.operating_model.template == OperatingModel.Template.SIX_FUNCTION
    event = AuditEvent.objects.get(council=council, action="operating_model.apply_template")
    assert event.before == {"template": "seven_layer", "layers": [d.name for d in defaults.SEVEN_LAYER]}
    assert event.after == {"template": "six_function", "layers": [d.name for d in defaults.SIX_FUNCTION]}


def test_an_unknown_template_is_refused(council: Council) -> None:
    with pytest.raises(services.DomainError, match="no layer template"):
        services.operating_model_apply_template(council=council, template="nine_box", actor=None)
    assert len(_layer_names(council)) == 7


def test_adding_a_layer_makes_the_model_custom_and_refuses_a_used_code(council: Council) -> None:
    layer = services.layer_create(council=council, code="data-office", name="Data office", actor=None)
    assert layer.position == 7
    council.operating_model.refresh_from_db()
    assert council.operating_model.template == OperatingModel.Template.CUSTOM
    with pytest.raises(services.DomainError, match="already used"):
        services.layer_create(council=council, code="data-office", name="Second data office", actor=None)
    with pytest.raises(services.DomainError, match="already used"):
        services.layer_update(layer=layer, code="customer-management", actor=None)
    assert Layer.objects.filter(council=council, code="data-office").count() == 1


def test_the_same_code_may_be_used_by_another_council(council: Council, make_council: Callable) -> None:
    other = make_council()
    services.lever_create(council=council, code="shared-code", name="One", actor=None)
    services.lever_create(council=other, code="shared-code", name="Two", actor=None)


def test_updating_records_before_and_after(council: Council) -> None:
    principle = DesignPrinciple.objects.filter(council=council).first()
    old_title = principle.title
    services.principle_update(principle=principle, title="Residents first", we_will="Ask them", actor=None)
    event = AuditEvent.objects.get(council=council, action="principle.update")
    assert event.before["title"] == old_title
    assert event.after["title"] == "Residents first"
    assert event.after["we_will"] == "Ask them"


def test_an_update_that_changes_nothing_records_nothing(council: Council) -> None:
    lever = Lever.objects.filter(council=council).first()
    services.lever_update(lever=lever, name=lever.name, actor=None)
    assert not AuditEvent.objects.filter(action="lever.update").exists()


def test_the_last_layer_cannot_be_removed(council: Council) -> None:
    layers = list(Layer.objects.filter(council=council))
    for layer in layers[:-1]:
        services.layer_delete(layer=layer, actor=None)
    with pytest.raises(services.DomainError, match="at least one layer"):
        services.layer_delete(layer=layers[-1], actor=None)
    assert _layer_names(council) == [layers[-1].name]
    assert AuditEvent.objects.filter(council=council, action="layer.delete").count() == 6


def test_moving_an_item_swaps_it_with_its_neighbour_and_is_audited(council: Council) -> None:
    levers = list(Lever.objects.filter(council=council))
    services.item_move(item=levers[2], direction=-1, actor=None)
    order = list(Lever.objects.filter(council=council).values_list("code", flat=True))
    assert order[1] == levers[2].code
    assert order[2] == levers[1].code
    event = AuditEvent.objects.get(council=council, action="lever.reorder")
    assert event.before["order"][1] == levers[1].name
    assert event.after["order"][1] == levers[2].name


def test_moving_the_first_item_up_does_nothing(council: Council) -> None:
    first = Layer.objects.filter(council=council).first()
    services.item_move(item=first, direction=-1, actor=None)
    assert Layer.objects.filter(council=council).first().pk == first.pk
    assert not AuditEvent.objects.filter(action="layer.reorder").exists()


# --- shares across a partnership ----------------------------------------------------------------------


@pytest.fixture
def pair(council: Council, make_council: Callable) -> tuple[Council, Council, object, OrgUnit]:
    other = make_council(slug="otherton", name="Otherton Council")
    partnership = services.partnership_create(name="Joint", councils=[council, other], actor=None)
    unit = services.org_unit_create(council=council, name="Legal", kind=OrgUnit.Kind.SERVICE, actor=None)
    return council, other, partnership, unit


def test_shares_that_do_not_make_100_are_refused_and_nothing_is_saved(pair: tuple) -> None:
    council, other, partnership, unit = pair
    events = AuditEvent.objects.count()
    with pytest.raises(services.DomainError, match="not 100%"):
        services.org_unit_share(
            unit=unit, partnership=partnership, shares={council: Decimal(60), other: Decimal(30)}, actor=None
        )
    assert not OrgUnitShare.objects.exists()
    unit.refresh_from_db()
    assert unit.partnership is None
    assert AuditEvent.objects.count() == events


def test_valid_shares_are_saved_and_audited_in_both_councils(pair: tuple) -> None:
    council, other, partnership, unit = pair
    services.org_unit_share(
        unit=unit,
        partnership=partnership,
        shares={council: Decimal("62.5"), other: Decimal("37.5")},
        actor=None,
    )
    assert {s.council_id: s.percent for s in unit.shares.all()} == {
        council.pk: Decimal("62.50"),
        other.pk: Decimal("37.50"),
    }
    for c in (council, other):
        event = AuditEvent.objects.get(council=c, action="org_unit.share")
        assert event.after == {council.name: "62.5", other.name: "37.5"}
    assert unit in selectors.units_visible_to(other)


def test_a_council_outside_the_partnership_cannot_take_a_share(pair: tuple, make_council: Callable) -> None:
    council, _, partnership, unit = pair
    outsider = make_council()
    with pytest.raises(services.DomainError, match="not in the partnership"):
        services.org_unit_share(
            unit=unit,
            partnership=partnership,
            shares={council: Decimal(50), outsider: Decimal(50)},
            actor=None,
        )
    assert not OrgUnitShare.objects.exists()


# --- service catalogue ------------------------------------------------------------------------------


@pytest.fixture
def catalogue(council: Council) -> Council:
    services.services_import(
        council=council,
        entries=[
            (12, "Planning applications", "Deciding applications for planning permission"),
            (123, "Street lighting", "Maintaining street lights"),
            (524, "Household waste collection", "Collecting bins from homes"),
            (1, "Garden waste", "Collecting green waste"),
        ],
        actor=None,
    )
    return council


def _names(council: Council, query: str) -> list[str]:
    return [s.name for s in selectors.services_search(council, query)]


def test_search_by_word_in_the_name_or_description(catalogue: Council) -> None:
    assert _names(catalogue, "waste") == ["Garden waste", "Household waste collection"]
    assert _names(catalogue, "PERMISSION") == ["Planning applications"]
    assert _names(catalogue, "waste homes") == ["Household waste collection"]
    assert _names(catalogue, "") == [
        "Garden waste",
        "Household waste collection",
        "Planning applications",
        "Street lighting",
    ]


def test_search_by_lgsl_code_matches_the_whole_code(catalogue: Council) -> None:
    assert _names(catalogue, "12") == ["Planning applications"]
    assert _names(catalogue, "524") == ["Household waste collection"]


def test_search_never_returns_another_councils_services(catalogue: Council, make_council: Callable) -> None:
    other = make_council()
    services.services_import(council=other, entries=[(99, "Waste transfer station", "")], actor=None)
    assert "Waste transfer station" not in _names(catalogue, "waste")


def test_importing_the_catalogue_again_adds_only_new_codes(catalogue: Council) -> None:
    added = services.services_import(
        council=catalogue, entries=[(12, "Planning", ""), (7, "Libraries", "")], actor=None
    )
    assert added == 1
    assert catalogue.services.count() == 5
