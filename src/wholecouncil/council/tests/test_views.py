"""The council's web pages: the operating model editor, the audit log, services and partnerships."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wholecouncil.accounts.roles import Role
from wholecouncil.council import defaults, services
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

_AUDIT_ROW = re.compile(
    r'<th scope="row" class="govuk-table__header">(?P<field>.*?)</th>\s*'
    r'<td class="govuk-table__cell wc-diff-before">(?P<before>.*?)</td>\s*'
    r'<td class="govuk-table__cell wc-diff-after">(?P<after>.*?)</td>',
    re.S,
)
_SUMMARY_LINK = re.compile(r'<li><a href="(?P<href>[^"]*)">(?P<text>.*?)</a></li>', re.S)


def audit_rows(client: Client, council: Council, area: str = "") -> list[tuple[str, str, str]]:
    """(field, before, after) for every change shown on the first page of the audit log."""
    response = client.get(reverse("council:audit", args=[council.slug]), {"area": area} if area else {})
    assert response.status_code == 200
    return [
        (html.unescape(m["field"]), html.unescape(m["before"]), html.unescape(m["after"]))
        for m in _AUDIT_ROW.finditer(response.content.decode())
    ]


def error_summary(content: bytes) -> list[tuple[str, str]]:
    page = content.decode()
    assert 'class="govuk-error-summary"' in page, "no GOV.UK error summary on the page"
    summary = page.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return [(m["href"], html.unescape(m["text"])) for m in _SUMMARY_LINK.finditer(summary)]


def url(name: str, council: Council, *args: object) -> str:
    return reverse(f"council:{name}", args=[council.slug, *args])


@pytest.fixture
def admin(council: Council, client_for: Callable[..., Client]) -> Client:
    return client_for(council, Role.ADMIN)


# --- the operating model page ------------------------------------------------------------------------


def test_a_new_council_shows_the_default_operating_model(admin: Client, council: Council) -> None:
    page = admin.get(url("operating_model", council)).content.decode()
    for layer in defaults.SEVEN_LAYER:
        assert f'<th scope="row" class="govuk-table__header">{html.escape(layer.name)}</th>' in page
    for lever in defaults.LEVERS:
        assert html.escape(lever.name) in page
    assert page.count('class="govuk-summary-card"') == 9
    assert page.count('<dt class="govuk-summary-list__key">We will</dt>') == 9
    assert page.count('<dt class="govuk-summary-list__key">We won\'t</dt>') == 9
    for principle in defaults.PRINCIPLES:
        assert html.escape(principle.we_will[0]) in page
        assert html.escape(principle.we_wont[0]) in page
    assert "Seven-layer model" in page


def test_an_admin_sees_change_links_and_a_councillor_does_not(
    admin: Client, council: Council, client_for: Callable[..., Client]
) -> None:
    admin_page = admin.get(url("operating_model", council)).content.decode()
    assert "Choose a template" in admin_page
    assert url("layer_add", council) in admin_page
    councillor_page = (
        client_for(council, Role.COUNCILLOR).get(url("operating_model", council)).content.decode()
    )
    for text in (
        "Choose a template",
        "Add a layer",
        "Add a lever",
        "Add a design principle",
        ">Change<",
        ">Remove<",
    ):
        assert text not in councillor_page
    assert "/move/" not in councillor_page
    assert "Customer management" in councillor_page


# --- templates ---------------------------------------------------------------------------------------


def test_an_admin_applies_the_six_function_template(admin: Client, council: Council) -> None:
    form = admin.get(url("operating_model_template", council))
    assert form.status_code == 200
    assert b"Six-function model" in form.content
    response = admin.post(url("operating_model_template", council), {"template": "six_function"})
    assert response.status_code == 302
    assert response["Location"].endswith(url("operating_model", council) + "#layers")
    assert list(Layer.objects.filter(council=council).values_list("name", flat=True)) == [
        d.name for d in defaults.SIX_FUNCTION
    ]
    event = AuditEvent.objects.get(council=council, action="operating_model.apply_template")
    assert event.before["template"] == "seven_layer"
    assert event.after["layers"] == [d.name for d in defaults.SIX_FUNCTION]
    page = admin.get(url("operating_model", council)).content.decode()
    assert "Six-function model" in page
    assert "Layers replaced with the template." in page
    rows = {f: (b, a) for f, b, a in audit_rows(admin, council)}
    before, after = rows["layers"]
    assert "Customer assessment" in before
    assert "Customer assessment" not in after
    assert "Commissioning and procurement" in after
    assert rows["template"] == ("seven_layer", "six_function")


def test_choosing_no_template_shows_the_error_summary(admin: Client, council: Council) -> None:
    # What a browser sends when no option is chosen: only the CSRF token.
    response = admin.post(url("operating_model_template", council), {"csrfmiddlewaretoken": "t"})
    assert response.status_code == 200
    assert error_summary(response.content) == [("#id_template-0", "Choose a template")]
    assert b'id="id_template-0"' in response.content  # the link reaches the first radio button
    assert b"govuk-form-group--error" in response.content
    assert not AuditEvent.objects.filter(action="operating_model.apply_template").exists()


# --- add, change, remove and reorder ------------------------------------------------------------------

KINDS = {
    "layer": (
        Layer,
        {"name": "Data office", "code": "data-office", "description": "Owns the council's data"},
        "name",
    ),
    "lever": (
        Lever,
        {"name": "Shared services", "code": "shared-services", "description": "Run it once"},
        "name",
    ),
    "principle": (
        DesignPrinciple,
        {
            "title": "Green by design",
            "code": "green",
            "summary": "Every change cuts carbon",
            "we_will": "Count the carbon\nChoose the lower-carbon option",
            "we_wont": "Ignore the carbon cost",
        },
        "title",
    ),
}


@pytest.mark.parametrize("kind", KINDS)
def test_an_admin_adds_an_item_and_it_is_audited(admin: Client, council: Council, kind: str) -> None:
    model, data, label = KINDS[kind]
    assert admin.get(url(f"{kind}_add", council)).status_code == 200
    response = admin.post(url(f"{kind}_add", council), data)
    assert response.status_code == 302
    item = model.objects.get(council=council, code=data["code"])
    assert getattr(item, label) == data[label]
    event = AuditEvent.objects.get(council=council, action=f"{kind}.create")
    assert event.before is None
    assert event.after[label] == data[label]
    assert (label, "—", data[label]) in audit_rows(admin, council, kind)
    page = admin.get(url("operating_model", council)).content.decode()
    assert html.escape(data[label]) in page
    if kind == "principle":
        assert "Choose the lower-carbon option" in page
        assert "Ignore the carbon cost" in page


@pytest.mark.parametrize("kind", KINDS)
def test_an_admin_changes_an_item_and_the_audit_log_shows_before_and_after(
    admin: Client, council: Council, kind: str
) -> None:
    model, data, label = KINDS[kind]
    item = model.objects.filter(council=council)[1]
    old_value, old_code = getattr(item, label), item.code
    form = admin.get(url(f"{kind}_edit", council, item.pk))
    assert form.status_code == 200
    assert html.escape(old_value).encode() in form.content
    response = admin.post(url(f"{kind}_edit", council, item.pk), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert getattr(item, label) == data[label]
    assert item.code == data["code"]
    event = AuditEvent.objects.get(council=council, action=f"{kind}.update")
    assert event.before[label] == old_value
    assert event.after[label] == data[label]
    rows = audit_rows(admin, council, kind)
    assert (label, old_value, data[label]) in rows
    assert ("code", old_code, data["code"]) in rows


@pytest.mark.parametrize("kind", KINDS)
def test_an_admin_removes_an_item_and_it_is_audited(admin: Client, council: Council, kind: str) -> None:
    model, _, label = KINDS[kind]
    item = model.objects.filter(council=council).last()
    confirm = admin.get(url(f"{kind}_delete", council, item.pk))
    assert confirm.status_code == 200
    assert html.escape(getattr(item, label)).encode() in confirm.content
    assert model.objects.filter(pk=item.pk).exists(), "a GET must not remove anything"
    response = admin.post(url(f"{kind}_delete", council, item.pk))
    assert response.status_code == 302
    assert not model.objects.filter(pk=item.pk).exists()
    event = AuditEvent.objects.get(council=council, action=f"{kind}.delete")
    assert event.before[label] == getattr(item, label)
    assert event.after is None
    assert (label, getattr(item, label), "—") in audit_rows(admin, council, kind)


@pytest.mark.parametrize("kind", KINDS)
def test_an_admin_reorders_items(admin: Client, council: Council, kind: str) -> None:
    model, _, label = KINDS[kind]
    first, second = list(model.objects.filter(council=council)[:2])
    response = admin.post(url("operating_model_move", council, kind, first.pk), {"direction": "down"})
    assert response.status_code == 302
    assert list(model.objects.filter(council=council)[:2]) == [second, first]
    event = AuditEvent.objects.get(council=council, action=f"{kind}.reorder")
    assert event.before["order"][:2] == [getattr(first, label), getattr(second, label)]
    assert event.after["order"][:2] == [getattr(second, label), getattr(first, label)]
    assert any(field == "order" for field, _, _ in audit_rows(admin, council, kind))
    admin.post(url("operating_model_move", council, kind, first.pk), {"direction": "up"})
    assert list(model.objects.filter(council=council)[:2]) == [first, second]


def test_moving_needs_a_post_and_a_known_kind(admin: Client, council: Council) -> None:
    layer = Layer.objects.filter(council=council).first()
    assert admin.get(url("operating_model_move", council, "layer", layer.pk)).status_code == 405
    assert admin.post(url("operating_model_move", council, "council", layer.pk)).status_code == 404


@pytest.mark.parametrize(
    ("kind", "data", "expected"),
    [
        (
            "layer",
            {"name": "", "code": "", "description": ""},
            ["Enter the layer's name", "Enter a short code"],
        ),
        ("lever", {"name": "", "code": "ok", "description": ""}, ["Enter the lever's name"]),
        (
            "principle",
            {"title": "", "code": "", "summary": ""},
            ["Enter the principle's title", "Enter a short code", "Enter a one-line description"],
        ),
        ("layer", {"name": "Bad code", "code": "Not a slug!", "description": ""}, None),
    ],
)
def test_form_errors_show_the_govuk_error_summary(
    admin: Client, council: Council, kind: str, data: dict, expected: list[str] | None
) -> None:
    events = AuditEvent.objects.count()
    response = admin.post(url(f"{kind}_add", council), data)
    assert response.status_code == 200
    summary = error_summary(response.content)
    assert summary, "the error summary lists no errors"
    if expected is not None:
        assert [text for _, text in summary] == expected
    for href, _ in summary:
        assert href.startswith("#id_")
        assert f'id="{href[1:]}"'.encode() in response.content, f"{href} links to nothing"
        assert f'id="{href[1:]}-error"'.encode() in response.content
    assert b"govuk-form-group--error" in response.content
    assert b"<title>Error: " in response.content
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("kind", KINDS)
def test_a_duplicate_short_code_is_refused_with_a_message(admin: Client, council: Council, kind: str) -> None:
    model, data, _ = KINDS[kind]
    existing = model.objects.filter(council=council).first()
    count = model.objects.filter(council=council).count()
    response = admin.post(url(f"{kind}_add", council), {**data, "code": existing.code})
    assert response.status_code == 200
    assert any("already used" in text for _, text in error_summary(response.content))
    assert model.objects.filter(council=council).count() == count
    other = model.objects.filter(council=council)[1]
    response = admin.post(url(f"{kind}_edit", council, other.pk), {**data, "code": existing.code})
    assert response.status_code == 200
    assert any("already used" in text for _, text in error_summary(response.content))
    other.refresh_from_db()
    assert other.code != existing.code


def test_the_last_layer_cannot_be_removed(admin: Client, council: Council) -> None:
    layers = list(Layer.objects.filter(council=council))
    for layer in layers[:-1]:
        assert admin.post(url("layer_delete", council, layer.pk)).status_code == 302
    response = admin.post(url("layer_delete", council, layers[-1].pk))
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"An operating model needs at least one layer." in response.content
    assert list(Layer.objects.filter(council=council)) == [layers[-1]]


def test_changing_a_layer_marks_the_model_custom(admin: Client, council: Council) -> None:
    admin.post(url("layer_add", council), KINDS["layer"][1])
    assert OperatingModel.objects.get(council=council).template == OperatingModel.Template.CUSTOM
    assert b"Custom layers" in admin.get(url("operating_model", council)).content


# --- audit log ---------------------------------------------------------------------------------------


def test_the_audit_log_filters_by_area_and_names_the_actor(admin: Client, council: Council) -> None:
    admin.post(url("lever_add", council), KINDS["lever"][1])
    admin.post(url("principle_add", council), KINDS["principle"][1])
    levers_only = admin.get(url("audit", council), {"area": "lever"}).content.decode()
    assert "(lever.create)" in levers_only
    assert "(principle.create)" not in levers_only
    assert f"by admin-{council.slug}" in levers_only
    everything = admin.get(url("audit", council), {"area": "nonsense"}).content.decode()
    assert "(principle.create)" in everything
    assert "(council.create)" in everything


def test_the_audit_log_is_paginated(admin: Client, council: Council) -> None:
    for i in range(60):
        services.lever_create(council=council, code=f"lever-{i}", name=f"Lever {i}", actor=None)
    first = admin.get(url("audit", council), {"area": "lever"}).content.decode()
    assert first.count('class="govuk-summary-card"') == 50
    assert "?area=lever&amp;page=2" in first
    second = admin.get(url("audit", council), {"area": "lever", "page": 2}).content.decode()
    assert second.count('class="govuk-summary-card"') == 10
    assert "Lever 0 <" in second


# --- service catalogue ------------------------------------------------------------------------------


def _letters(i: int) -> str:
    return chr(97 + i // 26) + chr(97 + i % 26)


@pytest.fixture
def catalogue(council: Council) -> Council:
    entries = [(1000 + i, f"Routine service {_letters(i)}", "Routine business") for i in range(118)]
    entries += [
        (524, "Household waste collection", "Collecting bins from homes"),
        (12, "Planning applications", "Deciding applications for planning permission"),
    ]
    services.services_import(council=council, entries=entries, actor=None)
    return council


def test_search_services_by_word(admin: Client, catalogue: Council) -> None:
    response = admin.get(url("services", catalogue), {"q": "bins"})
    page = response.content.decode()
    assert "1 service matching “bins”" in page
    assert "Household waste collection" in page
    assert "Planning applications" not in page
    assert 'value="bins"' in page


def test_search_services_by_lgsl_code(admin: Client, catalogue: Council) -> None:
    page = admin.get(url("services", catalogue), {"q": "12"}).content.decode()
    assert "1 service matching “12”" in page
    assert "Planning applications" in page
    assert page.count('<tr class="govuk-table__row">') == 2


def test_a_search_that_matches_nothing_says_so(admin: Client, catalogue: Council) -> None:
    page = admin.get(url("services", catalogue), {"q": "zeppelin"}).content.decode()
    assert "0 services matching “zeppelin”" in page
    assert "<table" not in page


def test_the_catalogue_is_paginated_and_pages_keep_the_search(admin: Client, catalogue: Council) -> None:
    first = admin.get(url("services", catalogue)).content.decode()
    assert "120 services" in first
    assert first.count('<tr class="govuk-table__row">') == 51
    assert "1 of 3" in first
    third = admin.get(url("services", catalogue), {"page": 3}).content.decode()
    assert third.count('<tr class="govuk-table__row">') == 21
    assert 'rel="next"' not in third
    searched = admin.get(url("services", catalogue), {"q": "routine"}).content.decode()
    assert "118 services" in searched
    assert "?q=routine&amp;page=2" in searched
    page_two = admin.get(url("services", catalogue), {"q": "routine", "page": 2}).content.decode()
    assert f"Routine service {_letters(50)}" in page_two
    assert "Household waste collection" not in page_two


# --- partnerships -------------------------------------------------------------------------------------


@pytest.fixture
def partnership(council: Council, make_council: Callable[..., Council]) -> tuple:
    other = make_council(slug="otherton", name="Otherton Borough Council")
    partnership = services.partnership_create(
        name="Testshire and Otherton", councils=[council, other], actor=None
    )
    unit = services.org_unit_create(council=council, name="Joint legal service", kind="service", actor=None)
    return other, partnership, unit


def test_shares_that_do_not_add_to_100_show_the_error_and_change_nothing(
    admin: Client, council: Council, partnership: tuple
) -> None:
    other, p, unit = partnership
    events = AuditEvent.objects.count()
    response = admin.post(
        url("partnership_detail", council, p.pk),
        {"unit": unit.pk, f"share-{council.pk}": "60", f"share-{other.pk}": "30"},
    )
    assert response.status_code == 200
    assert ("#unit", "Shares add up to 90%, not 100%.") in error_summary(response.content)
    page = response.content.decode()
    assert '<p class="govuk-error-message" id="share-error">' in page
    assert f'<option value="{unit.pk}" selected>' in page, "the chosen unit is kept"
    assert f'id="share-{council.pk}" name="share-{council.pk}" type="text" inputmode="decimal" ' in page
    assert 'value="60"' in page
    assert 'value="30"' in page
    assert "<title>Error: " in page
    assert not OrgUnitShare.objects.exists()
    unit.refresh_from_db()
    assert unit.partnership is None
    assert AuditEvent.objects.count() == events


def test_a_share_that_is_not_a_number_is_explained(
    admin: Client, council: Council, partnership: tuple
) -> None:
    other, p, unit = partnership
    response = admin.post(
        url("partnership_detail", council, p.pk),
        {"unit": unit.pk, f"share-{council.pk}": "sixty", f"share-{other.pk}": "40"},
    )
    assert any("must be a number" in text for _, text in error_summary(response.content))
    assert not OrgUnitShare.objects.exists()


def test_valid_shares_are_saved_and_audited_in_both_councils(
    admin: Client, council: Council, partnership: tuple, client_for: Callable[..., Client]
) -> None:
    other, p, unit = partnership
    response = admin.post(
        url("partnership_detail", council, p.pk),
        {"unit": unit.pk, f"share-{council.pk}": "62.5%", f"share-{other.pk}": "37.5"},
    )
    assert response.status_code == 302
    assert {s.council_id: s.percent for s in unit.shares.all()} == {
        council.pk: Decimal("62.50"),
        other.pk: Decimal("37.50"),
    }
    for c in (council, other):
        assert (
            AuditEvent.objects.filter(council=c, action="org_unit.share", object_repr=unit.name).count() == 1
        )
    page = admin.get(url("partnership_detail", council, p.pk)).content.decode()
    assert "Joint legal service" in page
    assert "62.50%" in page
    other_admin = client_for(other, Role.ADMIN)
    assert (council.name, "—", "62.5") in audit_rows(other_admin, other, "org_unit")
    assert b"Joint legal service" in other_admin.get(url("partnership_detail", other, p.pk)).content


# --- query counts --------------------------------------------------------------------------------------


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def _grow_operating_model(council: Council) -> None:
    for i in range(40):
        services.layer_create(council=council, code=f"extra-layer-{i}", name=f"Extra layer {i}", actor=None)
        services.lever_create(council=council, code=f"extra-lever-{i}", name=f"Extra lever {i}", actor=None)
        services.principle_create(
            council=council,
            code=f"extra-principle-{i}",
            title=f"Extra principle {i}",
            summary="s",
            we_will="a\nb",
            we_wont="c",
            actor=None,
        )


def test_operating_model_page_queries_do_not_grow_with_rows(
    admin: Client, council: Council, django_assert_max_num_queries: Callable
) -> None:
    path = url("operating_model", council)
    baseline = _queries(admin, path)
    _grow_operating_model(council)
    with django_assert_max_num_queries(baseline):
        response = admin.get(path)
    assert response.content.count(b'class="govuk-summary-card"') == 49


def test_overview_page_queries_do_not_grow_with_rows(
    admin: Client, council: Council, django_assert_max_num_queries: Callable
) -> None:
    path = url("overview", council)
    baseline = _queries(admin, path)
    _grow_operating_model(council)
    with django_assert_max_num_queries(baseline):
        admin.get(path)


def test_services_page_queries_do_not_grow_with_rows(
    admin: Client, council: Council, django_assert_max_num_queries: Callable
) -> None:
    path = url("services", council)
    unit = services.org_unit_create(council=council, name="Waste team", kind="team", actor=None)
    services.services_import(council=council, entries=[(1, "Only service", "")], actor=None)
    council.services.update(org_unit=unit)
    baseline = _queries(admin, path)
    services.services_import(
        council=council, entries=[(i, f"Service {i}", "d") for i in range(2, 300)], actor=None
    )
    for i in range(20):
        u = services.org_unit_create(council=council, name=f"Team {i}", kind="team", actor=None)
        council.services.filter(lgsl_id__in=range(i * 10 + 2, i * 10 + 12)).update(org_unit=u)
    with django_assert_max_num_queries(baseline):
        response = admin.get(path)
    assert b"Team 0" in response.content


def test_audit_page_queries_do_not_grow_with_rows(
    admin: Client, council: Council, django_assert_max_num_queries: Callable
) -> None:
    path = url("audit", council)
    baseline = _queries(admin, path)
    for i in range(30):
        actor = services.membership_set(council=council, username=f"officer-{i}", role=Role.ADMIN).user
        services.lever_create(council=council, code=f"l-{i}", name=f"L {i}", actor=actor)
        services.lever_update(
            lever=Lever.objects.get(council=council, code=f"l-{i}"), name=f"M {i}", actor=actor
        )
    with django_assert_max_num_queries(baseline):
        response = admin.get(path)
    assert b"by officer-29" in response.content


def test_partnership_page_queries_do_not_grow_with_rows(
    admin: Client,
    council: Council,
    make_council: Callable[..., Council],
    django_assert_max_num_queries: Callable,
) -> None:
    others = [make_council(slug=f"partner-{i}", name=f"Partner {i}") for i in range(3)]
    p = services.partnership_create(name="Big partnership", councils=[council, *others], actor=None)
    path = url("partnership_detail", council, p.pk)
    root = services.org_unit_create(council=council, name="Root", kind="directorate", actor=None)
    services.org_unit_share(
        unit=root, partnership=p, shares={council: Decimal(40), others[0]: Decimal(60)}, actor=None
    )
    baseline = _queries(admin, path)
    for i in range(25):
        host = [council, *others][i % 4]
        unit = services.org_unit_create(
            council=host, name=f"Unit {i}", kind="team", parent=root if host == council else None, actor=None
        )
        services.org_unit_share(
            unit=unit,
            partnership=p,
            shares={
                council: Decimal(40),
                others[0]: Decimal(30),
                others[1]: Decimal(20),
                others[2]: Decimal(10),
            },
            actor=None,
        )
    for i in range(25):
        services.org_unit_create(
            council=council, name=f"Own {i}", kind=OrgUnit.Kind.TEAM, parent=root, actor=None
        )
    with django_assert_max_num_queries(baseline):
        response = admin.get(path)
    assert response.content.count(b"40.00%") == 26
