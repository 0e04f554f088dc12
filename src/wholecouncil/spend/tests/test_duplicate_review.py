"""Reviewing duplicate candidates: stable ids across imports, earlier reviews shown, who may see and
review, the duplicate window, detection after a merge decision, and the error summary's links."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wholecouncil.accounts.roles import Role
from wholecouncil.council.models import AuditEvent, Council
from wholecouncil.spend import services
from wholecouncil.spend.engine import DuplicateOptions
from wholecouncil.spend.forms import DuplicateReviewForm, error_list
from wholecouncil.spend.models import DuplicateCandidate, MergeDecision, SpendImport
from wholecouncil.spend.tests.helpers import ROWS, csv_bytes, run

pytestmark = pytest.mark.django_db
Outcome = DuplicateCandidate.Outcome

# Two names sharing a VAT number (so a merge is proposed, not made), each paid invoice NC-1 for £500 19 days
# apart: a candidate only while the proposal is open (same invoice across suppliers proposed as one).
NORTHERN = [
    ["Northern Cleaning Ltd", "500.00", "01/04/2024", "", "", "NC-1", "GB812311286"],
    ["Northern Cleaning UK Services", "500.00", "20/04/2024", "", "", "NC-1", "812311286"],
]
# The same amount to one supplier two days apart: a candidate whatever is decided about Northern.
ZED = [
    ["Zed Ltd", "100.00", "01/05/2024", "", "", "", ""],
    ["Zed Ltd", "100.00", "03/05/2024", "", "", "", ""],
]


def url(name: str, council: Council, *args: object) -> str:
    return reverse(f"spend:{name}", args=[council.slug, *args])


def candidates(council: Council, outcome: str = Outcome.OPEN) -> dict[frozenset[str], DuplicateCandidate]:
    """The council's candidates by the suppliers' names paid."""
    found = DuplicateCandidate.objects.filter(council=council, outcome=outcome).select_related(
        "first__alias", "second__alias"
    )
    return {frozenset({c.first.alias.name, c.second.alias.name}): c for c in found}


def zed(council: Council, outcome: str = Outcome.OPEN) -> DuplicateCandidate:
    return candidates(council, outcome)[frozenset({"Zed Ltd"})]


def import_with_window(council: Council, files: dict[str, bytes], days: int) -> SpendImport:
    """Upload, set the window at the mapping step (suggested columns), check; not run."""
    imp = services.spend_upload(council=council, files=list(files.items()), actor=None)
    services.spend_columns_set(
        spend_import=imp, mappings=[layout["mapping"] for layout in imp.layouts], window_days=days
    )
    return services.spend_check(spend_import=imp)


def confirm(council: Council, imp: SpendImport) -> None:
    outcome = services.spend_import_run(council=council, spend_import=imp, actor=None)
    assert outcome.landed


# --- 1. ids stay the same when a pair is found again ------------------------------------------------------


def test_an_open_candidate_found_again_keeps_its_id_and_is_brought_up_to_date(council: Council) -> None:
    run(council, {"a.csv": csv_bytes([*ROWS, *ZED])})
    before = {names: c.pk for names, c in candidates(council).items()}
    assert frozenset({"Zed Ltd"}) in before and len(before) >= 2
    run(council, {"b.csv": csv_bytes([["Other Co", "75.00", "01/06/2024", "", "", "", ""]] * 2)})
    after = {names: c.pk for names, c in candidates(council).items()}
    assert {k: after[k] for k in before} == before  # same rows, same ids
    assert frozenset({"Other Co"}) in after and after[frozenset({"Other Co"})] not in before.values()
    DuplicateCandidate.objects.filter(pk=before[frozenset({"Zed Ltd"})]).update(score=1, reasons=[])
    services.duplicates_detect(council=council)
    refreshed = zed(council)
    assert refreshed.pk == before[frozenset({"Zed Ltd"})] and refreshed.score > 1 and refreshed.reasons
    # Found again with other options: the same-amount pair two days apart is no longer a candidate (its
    # open row goes), the same-invoice pair still is (same id, same row).
    services.duplicates_detect(council=council, options=DuplicateOptions(window_days=1))
    narrow = {names: c.pk for names, c in candidates(council).items()}
    assert frozenset({"Zed Ltd"}) not in narrow
    assert narrow[frozenset({"ACME LTD", "Acme Limited"})] == before[frozenset({"ACME LTD", "Acme Limited"})]


def test_a_reviewed_candidate_stays_reviewed_and_is_not_listed_again(council: Council) -> None:
    run(council, {"a.csv": csv_bytes([*ROWS, *ZED])})
    reviewed = services.duplicate_review(candidate=zed(council), outcome=Outcome.CONFIRMED, actor=None)
    run(council, {"b.csv": csv_bytes([["Other Co", "75.00", "01/06/2024", "", "", "", ""]] * 2)})
    assert zed(council, Outcome.CONFIRMED).pk == reviewed.pk
    assert frozenset({"Zed Ltd"}) not in candidates(council)


def test_an_open_merge_proposal_keeps_its_id_across_imports(council: Council) -> None:
    run(council, {"a.csv": csv_bytes(NORTHERN)})
    proposal = MergeDecision.objects.get(council=council, status=MergeDecision.Status.PROPOSED)
    MergeDecision.objects.filter(pk=proposal.pk).update(score=1, evidence=[])
    run(council, {"b.csv": csv_bytes([["Northern Cleaning Ltd", "7.00", "02/05/2024", "", "", "", ""]])})
    again = MergeDecision.objects.get(council=council, status=MergeDecision.Status.PROPOSED)
    assert again.pk == proposal.pk
    assert (again.first_key, again.second_key, again.score) == (
        proposal.first_key,
        proposal.second_key,
        proposal.score,
    )  # brought up to date
    assert again.evidence == proposal.evidence


def test_a_review_page_open_during_an_import_still_records_the_review(
    council: Council, client_for: Callable[..., Client]
) -> None:
    run(council, {"a.csv": csv_bytes([*ROWS, *ZED])})
    client = client_for(council, Role.FINANCE)
    page = url("duplicate_review", council, zed(council).pk)
    assert client.get(page).status_code == 200
    run(council, {"b.csv": csv_bytes([["Other Co", "75.00", "01/06/2024", "", "", "", ""]] * 2)})
    response = client.post(page, {"outcome": Outcome.NOT_DUPLICATE, "note": "Two deliveries"})
    assert response.status_code == 302 and response["Location"] == url("duplicates", council)
    assert zed(council, Outcome.NOT_DUPLICATE).note == "Two deliveries"


def test_a_review_of_a_candidate_no_longer_listed_goes_back_to_the_list_with_the_note(
    council: Council, client_for: Callable[..., Client]
) -> None:
    run(council, {"a.csv": csv_bytes([*ROWS, *ZED])})
    client = client_for(council, Role.FINANCE)
    pk = zed(council).pk
    services.duplicates_detect(council=council, options=DuplicateOptions(window_days=1))
    assert not DuplicateCandidate.objects.filter(pk=pk).exists()
    response = client.post(
        url("duplicate_review", council, pk), {"outcome": Outcome.CONFIRMED, "note": "Asked for a refund"}
    )
    assert response.status_code == 302 and response["Location"] == url("duplicates", council)
    listed = client.get(response["Location"]).content.decode()
    assert "no longer listed" in listed and "Asked for a refund" in listed
    assert client.get(url("duplicate_review", council, pk)).status_code == 404  # reading it: not found


def test_a_decision_on_a_proposal_no_longer_listed_goes_back_to_the_list(
    council: Council, client_for: Callable[..., Client]
) -> None:
    client = client_for(council, Role.FINANCE)
    response = client.post(url("merge_decide", council, 987654), {"decision": "accept"})
    assert response.status_code == 302 and response["Location"] == url("merges", council)
    assert "no longer listed" in client.get(response["Location"]).content.decode()


# --- 2. the earlier review is shown ---------------------------------------------------------------------


def test_the_earlier_outcome_and_note_are_shown_and_kept_when_reviewing_again(
    council: Council, client_for: Callable[..., Client]
) -> None:
    run(council, {"a.csv": csv_bytes([*ROWS, *ZED])})
    client = client_for(council, Role.FINANCE)
    candidate = zed(council)
    client.post(
        url("duplicate_review", council, candidate.pk),
        {"outcome": Outcome.CONFIRMED, "note": "Refund asked for"},
    )
    candidate.refresh_from_db()
    decided = timezone.localtime(candidate.decided_at)  # as the pages show it
    day = decided.strftime("%-d %B %Y")
    page = client.get(url("duplicate_review", council, candidate.pk)).content.decode()
    assert f"Reviewed by finance-testshire on {day}" in page
    assert 'value="confirmed" checked' in page and 'value="not_duplicate" checked' not in page
    assert 'value="Refund asked for"' in page  # the note's input starts with it
    listed = client.get(url("duplicates", council) + "?outcome=confirmed").content.decode()
    assert "Refund asked for" in listed and "finance-testshire" in listed
    assert decided.strftime("%-d %b %Y") in listed


def test_the_review_form_starts_empty_for_an_open_candidate(council: Council) -> None:
    run(council, {"a.csv": csv_bytes([*ROWS, *ZED])})
    form = DuplicateReviewForm(candidate=zed(council))
    assert form["outcome"].value() is None and form["note"].value() == ""


# --- 3. the duplicate window ----------------------------------------------------------------------------

# The same amount to one supplier 5 days apart: a candidate with a window of 14 days, not of 2.
FIVE_DAYS = [
    ["Fivedays Ltd", "80.00", "01/04/2024", "", "", "", ""],
    ["Fivedays Ltd", "80.00", "06/04/2024", "", "", "", ""],
]


def test_an_import_uses_its_own_window_not_that_of_a_later_upload(council: Council) -> None:
    imp = import_with_window(council, {"a.csv": csv_bytes(FIVE_DAYS)}, days=2)
    services.spend_upload(council=council, files=[("b.csv", csv_bytes(ZED))], actor=None)  # 14, left there
    confirm(council, imp)
    assert frozenset({"Fivedays Ltd"}) not in candidates(council)


def test_detection_outside_an_import_uses_the_last_completed_imports_window(council: Council) -> None:
    confirm(council, import_with_window(council, {"a.csv": csv_bytes(FIVE_DAYS)}, days=2))
    services.spend_upload(council=council, files=[("b.csv", csv_bytes(ZED))], actor=None)  # 14, uploaded only
    services.duplicates_detect(council=council)
    assert frozenset({"Fivedays Ltd"}) not in candidates(council)
    assert services.duplicates.duplicate_window(council) == 2


def test_the_mapping_step_starts_from_the_last_completed_imports_window(
    council: Council, client_for: Callable[..., Client]
) -> None:
    client = client_for(council, Role.FINANCE)

    def shown(imp: SpendImport) -> str:
        return client.get(url("import_map", council, imp.pk)).content.decode()

    first = services.spend_upload(council=council, files=[("a.csv", csv_bytes(FIVE_DAYS))], actor=None)
    assert 'name="window_days" value="14"' in shown(first)  # none completed yet
    confirm(council, import_with_window(council, {"b.csv": csv_bytes(ZED)}, days=30))
    later = services.spend_upload(council=council, files=[("c.csv", csv_bytes(ROWS))], actor=None)
    assert 'name="window_days" value="30"' in shown(later)
    checked = import_with_window(council, {"d.csv": csv_bytes(ROWS)}, days=5)
    assert 'name="window_days" value="5"' in shown(checked)  # mapped before: its own


# --- 4. councillors read the candidate ------------------------------------------------------------------


def test_a_councillor_sees_a_candidate_and_its_outcome_but_cannot_review_it(
    council: Council, client_for: Callable[..., Client]
) -> None:
    run(council, {"a.csv": csv_bytes([*ROWS, *ZED])})
    candidate = services.duplicate_review(
        candidate=zed(council), outcome=Outcome.NOT_DUPLICATE, note="Two orders", actor=None
    )
    client = client_for(council, Role.COUNCILLOR)
    page = client.get(url("duplicate_review", council, candidate.pk))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Not a duplicate" in content and "Two orders" in content and "Zed Ltd" in content
    assert '<form method="post" novalidate>' not in content and 'name="outcome"' not in content
    events = AuditEvent.objects.count()
    response = client.post(url("duplicate_review", council, candidate.pk), {"outcome": Outcome.CONFIRMED})
    assert response.status_code == 403
    candidate.refresh_from_db()
    assert candidate.outcome == Outcome.NOT_DUPLICATE and AuditEvent.objects.count() == events
    finance = client_for(council, Role.FINANCE).get(url("duplicate_review", council, candidate.pk))
    assert 'name="outcome"' in finance.content.decode()


# --- 5. detection after a merge decision ----------------------------------------------------------------


def test_keeping_apart_removes_candidates_that_only_paired_across_the_proposal(
    council: Council, client_for: Callable[..., Client]
) -> None:
    run(council, {"a.csv": csv_bytes([*ROWS, *NORTHERN, *ZED])})
    northern = frozenset({"Northern Cleaning Ltd", "Northern Cleaning UK Services"})
    assert northern in candidates(council)
    acme = candidates(council)[frozenset({"ACME LTD", "Acme Limited"})]
    services.duplicate_review(candidate=acme, outcome=Outcome.CONFIRMED, note="Paid twice", actor=None)
    zed_pk = zed(council).pk
    proposal = MergeDecision.objects.get(council=council, status=MergeDecision.Status.PROPOSED)
    client = client_for(council, Role.FINANCE)
    client.post(url("merge_decide", council, proposal.pk), {"decision": "reject"})
    assert northern not in candidates(council)
    assert zed(council).pk == zed_pk  # the others are kept, with their ids
    acme.refresh_from_db()
    assert acme.outcome == Outcome.CONFIRMED and acme.note == "Paid twice"
    assert services.duplicates.duplicates_detect(council=council) == len(candidates(council))


def test_merging_keeps_the_candidate_and_its_id(council: Council) -> None:
    run(council, {"a.csv": csv_bytes([*NORTHERN, *ZED])})
    northern = frozenset({"Northern Cleaning Ltd", "Northern Cleaning UK Services"})
    before = candidates(council)[northern]
    proposal = MergeDecision.objects.get(council=council, status=MergeDecision.Status.PROPOSED)
    services.merge_decide(decision=proposal, accept=True, actor=None)
    after = candidates(council)[northern]
    assert after.pk == before.pk
    assert after.first.supplier_id == after.second.supplier_id  # one supplier now


def test_merge_detection_uses_the_last_completed_imports_window(council: Council) -> None:
    confirm(council, import_with_window(council, {"a.csv": csv_bytes([*NORTHERN, *FIVE_DAYS])}, days=2))
    assert frozenset({"Fivedays Ltd"}) not in candidates(council)
    proposal = MergeDecision.objects.get(council=council, status=MergeDecision.Status.PROPOSED)
    services.merge_decide(decision=proposal, accept=False, actor=None)
    assert frozenset({"Fivedays Ltd"}) not in candidates(council)


# --- 6. error summary links -----------------------------------------------------------------------------


def test_the_review_error_summary_links_to_the_first_radio(
    council: Council, client_for: Callable[..., Client]
) -> None:
    run(council, {"a.csv": csv_bytes([*ROWS, *ZED])})
    client = client_for(council, Role.FINANCE)
    page = client.post(url("duplicate_review", council, zed(council).pk), {"note": "x"}).content.decode()
    assert '<a href="#id_outcome-0">Choose whether the payments are a duplicate</a>' in page
    assert 'id="id_outcome-0"' in page


class _Choices(forms.Form):
    kinds = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple, required=True
    )
    pick = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)
    name = forms.CharField()


def test_error_links_go_to_the_first_option_of_radios_and_checkboxes() -> None:
    form = _Choices({}, prefix="p")
    assert not form.is_valid()
    links = {e["href"] for e in error_list([form])}
    assert links == {"#id_p-kinds-0", "#id_p-pick-0", "#id_p-name"}
    rendered = Template("{% load govuk %}{% govuk_field form.kinds %}{% govuk_field form.pick %}")
    html = rendered.render(Context({"form": form}))
    assert 'id="id_p-kinds-0"' in html and 'id="id_p-pick-0"' in html  # what the links point at


# --- step 2: which set of columns an error belongs to ---------------------------------------------------

OTHER = ["Vendor", "Date Paid", "Value (GBP)"]


def test_mapping_errors_name_their_set_of_columns_when_there_are_several(
    council: Council, client_for: Callable[..., Client]
) -> None:
    client = client_for(council, Role.FINANCE)
    files = [
        SimpleUploadedFile("april.csv", csv_bytes(ROWS)),
        SimpleUploadedFile("january.csv", csv_bytes([["Zed Ltd", "02/01/2025", "40.00"]], OTHER)),
    ]
    client.post(url("import_upload", council), {"spend_files": files})
    imp = SpendImport.objects.get(council=council)
    assert [layout["tables"] for layout in imp.layouts] == [["april.csv"], ["january.csv"]]
    data = {"window_days": "14"}
    for i, layout in enumerate(imp.layouts):
        data.update({f"layout{i}-{k}": v for k, v in layout["mapping"].items()})
    data["layout1-amount"] = ""
    page = client.post(url("import_map", council, imp.pk), data).content.decode()
    assert (
        '<a href="#id_layout1-amount">Set 2 (january.csv): choose the column that holds the amount</a>'
        in page
    )


def test_a_single_set_of_columns_keeps_its_messages_as_they_were(
    council: Council, client_for: Callable[..., Client]
) -> None:
    client = client_for(council, Role.FINANCE)
    client.post(url("import_upload", council), {"spend_files": [SimpleUploadedFile("a.csv", csv_bytes())]})
    imp = SpendImport.objects.get(council=council)
    page = client.post(url("import_map", council, imp.pk), {"layout0-amount": "", "window_days": "14"})
    assert '<a href="#id_layout0-amount">Choose the column that holds the amount</a>' in page.content.decode()


def test_set_prefixes_name_at_most_three_files_and_keep_abbreviations() -> None:
    class One(forms.Form):
        name = forms.CharField(error_messages={"required": "VAT number is needed"})

    texts = [e["text"] for e in error_list([One({}), One({})], sets=[["a.csv"], list("bcdef")])]
    assert texts == [
        "Set 1 (a.csv): VAT number is needed",
        "Set 2 (b, c, d and 2 more): VAT number is needed",
    ]
