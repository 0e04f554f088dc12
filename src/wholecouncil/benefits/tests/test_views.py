"""The benefits pages: what each role sees and can do, the export, the forms' errors, and query counts."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wholecouncil.accounts.roles import Role
from wholecouncil.benefits import services
from wholecouncil.benefits.models import Benefit, MonthlyActual
from wholecouncil.benefits.tests.helpers import benefit, line, sign_off
from wholecouncil.council.engine import FinancialYear
from wholecouncil.council.models import Council, Membership

D = Decimal
pytestmark = pytest.mark.django_db
THIS_YEAR = FinancialYear.containing(timezone.localdate()).start_year


def url(name: str, council: Council, *args: object) -> str:
    return reverse(f"benefits:{name}", args=[council.slug, *args])


@pytest.fixture
def world(council: Council, make_member: Callable[..., Membership]) -> dict[str, object]:
    finance = make_member(council, Role.FINANCE, username="fin")
    lead = make_member(council, Role.PROGRAMME_LEAD, username="lead")
    r100 = line(council)
    banked = sign_off(
        benefit(council, "BEN-1", budget_line=r100, profile={THIS_YEAR: "60000", THIS_YEAR + 1: "120000"}),
        finance,
        lead,
    )
    services.actual_record(
        benefit=banked,
        month=FinancialYear(THIS_YEAR).starts,
        amount=D("5000"),
        evidence="Payroll",
        attachment=services.Attachment("payroll.csv", b"a,b\n1,2\n"),
        actor=finance.user,
    )
    pipeline = benefit(council, "BEN-2", budget_line=r100, value="1000", profile={THIS_YEAR: "1000"})
    services.savings_required_set(council=council, amounts={THIS_YEAR: D("100000")}, actor=None)
    return {"banked": banked, "pipeline": pipeline, "finance": finance, "lead": lead}


PAGES = ["overview", "mtfp", "curve", "budget_lines"]


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COUNCILLOR])
def test_every_read_page_renders(
    world: dict[str, object], council: Council, client_for: Callable[..., Client], role: str
) -> None:
    client = client_for(council, role)
    for name in PAGES:
        response = client.get(url(name, council))
        assert response.status_code == 200, name
    page = client.get(url("benefit", council, world["banked"].pk))  # type: ignore[attr-defined]
    assert page.status_code == 200
    text = page.content.decode()
    assert "banked in the Medium Term Financial Plan" in text
    if role == Role.COUNCILLOR:
        assert "Change the benefit" not in text and "Record a monthly actual" not in text
        assert "Remove" not in text
    else:
        assert "Confirm as realised" in text and "Change the benefit" in text


def test_the_register_filters(world: dict[str, object], council: Council, admin_client_: Client) -> None:
    text = admin_client_.get(url("overview", council) + "?status=in_delivery").content.decode()
    assert "BEN-1" in text and "BEN-2" not in text
    text = admin_client_.get(url("overview", council) + "?category=income").content.decode()
    assert "No benefits match" in text


def test_the_mtfp_page_shows_banked_and_shortfall(
    world: dict[str, object], council: Council, admin_client_: Client
) -> None:
    text = admin_client_.get(url("mtfp", council)).content.decode()
    assert "£60,000" in text and "£40,000" in text  # banked and shortfall
    assert 'role="img"' in text and '<title id="mtfp-title">' in text


def test_the_mtfp_page_lists_each_saving_with_its_rag(
    world: dict[str, object], council: Council, admin_client_: Client
) -> None:
    page = admin_client_.get(url("mtfp", council))
    text = page.content.decode()
    assert 'id="rag-definitions"' in text
    for label in ("Delivered", "On track", "At risk", "Unachievable"):
        assert f">{label}</strong>" in text
    assert "forecast outturn is short of plan by more than its tolerance" in text
    savings = page.context["savings"]
    assert [(r.benefit.reference, r.rag_label) for r in savings] == [
        ("BEN-1", "On track"),
        ("BEN-2", "On track"),
    ]
    assert savings[0].column_label == "Banked" and savings[1].column_label == "Pipeline"
    assert f"2 cashable savings in {FinancialYear(THIS_YEAR)}" in text
    at_risk = admin_client_.get(url("mtfp", council) + "?rag=at_risk")
    assert list(at_risk.context["savings"]) == []
    assert "No cashable savings in" in at_risk.content.decode()
    later = admin_client_.get(url("mtfp", council) + f"?year={THIS_YEAR + 1}")
    assert [r.benefit.reference for r in later.context["savings"]] == ["BEN-1"]
    assert later.context["savings"][0].saving.planned == D("120000")
    # A year the position does not cover falls back to this year.
    assert admin_client_.get(url("mtfp", council) + "?year=1999").context["year"] == FinancialYear(THIS_YEAR)


def test_the_mtfp_page_pages_through_the_savings(council: Council, admin_client_: Client) -> None:
    for i in range(55):
        benefit(council, f"BEN-{i:03}", value="10", profile={THIS_YEAR: "10"})
    first = admin_client_.get(url("mtfp", council))
    assert len(first.context["savings"]) == 50
    assert first.context["savings"][0].benefit.reference == "BEN-000"
    second = admin_client_.get(url("mtfp", council) + "?page=2")
    assert [r.benefit.reference for r in second.context["savings"]] == [f"BEN-{i:03}" for i in range(50, 55)]
    counts = first.context["position"].years[0].rag_counts
    assert sum(counts.values()) == 55


def test_finance_validates_then_the_board_signs_off_by_the_pages(
    world: dict[str, object], council: Council, client_for: Callable[..., Client]
) -> None:
    r200 = line(council, "R200", "90000")
    b = benefit(council, "BEN-9", budget_line=r200, value="90000", profile={THIS_YEAR: "90000"})
    finance = client_for(council, Role.FINANCE)
    lead = client_for(council, Role.PROGRAMME_LEAD)
    assert finance.post(url("validate", council, b.pk), {"reason": ""}).status_code == 302
    assert lead.post(url("finance_sign_off", council, b.pk), {}).status_code == 403
    assert lead.post(url("board_sign_off", council, b.pk), {}).status_code == 302
    assert finance.post(url("finance_sign_off", council, b.pk), {}).status_code == 302
    assert Benefit.objects.get(pk=b.pk).status == "in_delivery"


def test_a_refused_move_says_why(world: dict[str, object], council: Council, admin_client_: Client) -> None:
    b = world["pipeline"]
    page = admin_client_.get(url("board_sign_off", council, b.pk))  # type: ignore[attr-defined]
    assert "Finance must validate the benefit before it can be signed off" in page.content.decode()
    response = admin_client_.post(url("board_sign_off", council, b.pk), {})  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert "Finance must validate" in response.content.decode()


def test_changing_a_signed_off_benefit_asks_first(
    world: dict[str, object], council: Council, client_for: Callable[..., Client]
) -> None:
    b: Benefit = world["banked"]  # type: ignore[assignment]
    client = client_for(council, Role.PROGRAMME_LEAD)
    form = {
        "reference": "BEN-1",
        "title": "Renamed",
        "feature": b.feature,
        "category": b.category,
        "owner": b.owner,
        "budget_line": str(b.budget_line_id),
        "full_year_value": "120000",
        "tolerance_pct": "10",
        f"y{THIS_YEAR}": "60000",
        f"y{THIS_YEAR + 1}": "120000",
    }
    first = client.post(url("benefit_edit", council, b.pk), form)
    assert first.status_code == 200
    assert "sends it back to finance to validate again" in first.content.decode()
    assert Benefit.objects.get(pk=b.pk).title != "Renamed"
    second = client.post(url("benefit_edit", council, b.pk), {**form, "confirm": "on"})
    assert second.status_code == 302
    saved = Benefit.objects.get(pk=b.pk)
    assert saved.title == "Renamed" and saved.status == "identified"


def test_adding_a_benefit_with_errors(
    world: dict[str, object], council: Council, admin_client_: Client
) -> None:
    response = admin_client_.post(
        url("benefit_add", council),
        {"reference": "BEN-1", "title": "Dup", "feature": "x", "category": "income", "tolerance_pct": "10"},
    )
    assert response.status_code == 200
    assert "There is already a benefit with the reference BEN-1" in response.content.decode()


def test_recording_an_actual_with_a_file(
    world: dict[str, object], council: Council, client_for: Callable[..., Client]
) -> None:
    b = world["pipeline"]
    client = client_for(council, Role.FINANCE)
    start = FinancialYear(THIS_YEAR).starts
    response = client.post(
        url("actual_add", council, b.pk),  # type: ignore[attr-defined]
        {
            "month": f"{start:%Y-%m}",
            "amount": "250",
            "evidence": "Ledger",
            "attachment": SimpleUploadedFile("ledger.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    actual = MonthlyActual.objects.get(benefit=b, month=start)
    download = client_for(council, Role.COUNCILLOR).get(url("actual_file", council, actual.pk))
    assert download.status_code == 200 and download.content == b"%PDF-1.4 test"
    assert "attachment" in download["Content-Disposition"]


def test_another_councils_benefit_is_not_found(
    world: dict[str, object], make_council: Callable[..., Council], client_for: Callable[..., Client]
) -> None:
    other = make_council(slug="elsewhere", name="Elsewhere")
    client = client_for(other, Role.ADMIN)
    b = world["banked"]
    assert client.get(url("benefit", other, b.pk)).status_code == 404  # type: ignore[attr-defined]
    actual = MonthlyActual.objects.filter(benefit=b).first()
    assert actual is not None
    assert client.get(url("actual_file", other, actual.pk)).status_code == 404


def test_the_register_and_position_do_not_grow_queries_with_benefits(
    world: dict[str, object], council: Council, admin_client_: Client
) -> None:
    def count(name: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client_.get(url(name, council)).status_code == 200
        return len(ctx.captured_queries)

    before = {name: count(name) for name in PAGES}
    for i in range(10, 20):
        benefit(council, f"BEN-{i}", profile={THIS_YEAR: "10"}, value="10")
    after = {name: count(name) for name in PAGES}
    assert after == before


def test_benefits_from_a_case_are_not_created_twice(council: Council, admin_client_: Client) -> None:
    from wholecouncil.cases import services as case_services
    from wholecouncil.council.models import Layer, Lever

    opp = case_services.opportunity_create(
        council=council,
        actor=None,
        layer=Layer.objects.filter(council=council).first(),
        lever=Lever.objects.filter(council=council).first(),
        code="CX-1",
        name="Contact centre",
        basis="none",
        saving="amount",
        low_amount=D("100000"),
        high_amount=D("200000"),
    )
    case = case_services.case_create(
        council=council, name="Full case", first_year=THIS_YEAR, actor=None, years=3
    )
    option = case_services.option_create(case=case, name="Do it", actor=None)
    case_services.option_lines_set(
        option=option,
        lines=[case_services.LineInput(opportunity=opp, phasing=[D("0.5"), D("0.5"), D("0")])],
        actor=None,
    )
    page = admin_client_.get(url("from_case", council) + f"?case={case.pk}")
    assert "Create 1 benefit" in page.content.decode()
    assert admin_client_.post(url("from_case", council), {"case": case.pk}).status_code == 302
    made = Benefit.objects.get(council=council, opportunity=opp)
    assert made.full_year_value == D("150000.00")
    assert dict(made.profile.values_list("year", "planned")) == {
        THIS_YEAR: D("75000"),
        THIS_YEAR + 1: D("150000"),
        THIS_YEAR + 2: D("150000"),
    }
    again = admin_client_.post(url("from_case", council), {"case": case.pk})
    assert "already has a benefit" in again.content.decode()
