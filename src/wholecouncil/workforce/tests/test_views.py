from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from wholecouncil.accounts.roles import Role
from wholecouncil.council import services as council_services
from wholecouncil.council.models import Council, OrgUnit
from wholecouncil.workforce import services
from wholecouncil.workforce.engine import PostRow
from wholecouncil.workforce.models import EstablishmentImport, Post
from wholecouncil.workforce.tests.helpers import SIMPLE_HEADERS, SIMPLE_ROWS, csv_bytes, trafford, xlsx_bytes

pytestmark = pytest.mark.django_db


def url(name: str, council: Council, *args: object) -> str:
    return reverse(f"workforce:{name}", args=[council.slug, *args])


def upload(
    client: Client, council: Council, name: str, content: bytes, sheet: str = ""
) -> EstablishmentImport:
    response = client.post(
        url("import_upload", council), {"file": SimpleUploadedFile(name, content), "sheet": sheet}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    imp = EstablishmentImport.objects.get(council=council)
    assert response["Location"] == url("import_map", council, imp.pk)
    return imp


def map_form(imp: EstablishmentImport, **overrides: str) -> dict[str, str]:
    data = {name: header for name, header in imp.mapping.items()}
    data.update({"on_cost_percent": "28", "path_separator": "auto", "salary_is_full_time": "on"})
    data.update(overrides)
    return data


def test_trafford_imports_through_the_web_flow(
    admin_client_: Client, council: Council, shared_data_dir: Path
) -> None:
    path = trafford(shared_data_dir)
    page = admin_client_.get(url("import_upload", council))
    assert page.status_code == 200 and b'type="file"' in page.content
    imp = upload(admin_client_, council, path.name, path.read_bytes())

    mapping_page = admin_client_.get(url("import_map", council, imp.pk))
    assert mapping_page.status_code == 200
    html = mapping_page.content.decode()
    assert '<option value="JobTitle" selected>JobTitle</option>' in html
    assert '<option value="SalaryBand" selected>SalaryBand</option>' in html

    response = admin_client_.post(url("import_map", council, imp.pk), map_form(imp))
    assert response.status_code == 302
    assert response["Location"] == url("import_check", council, imp.pk)

    check = admin_client_.get(url("import_check", council, imp.pk))
    html = check.content.decode()
    assert check.status_code == 200
    assert "Confirm import" in html
    assert "10 rows had SalaryBand &#x27;NA&#x27;: cost taken from MaximumSalary" in html
    assert "SalaryBand &#x27;10000 - 104999&#x27;, which looks wrong" in html
    assert not Post.objects.exists()

    assert admin_client_.get(url("import_confirm", council, imp.pk)).status_code == 405
    done = admin_client_.post(url("import_confirm", council, imp.pk))
    assert done.status_code == 302 and done["Location"] == url("import_detail", council, imp.pk)

    posts = Post.objects.filter(council=council)
    assert posts.count() == 80
    imp.refresh_from_db()
    assert imp.status == EstablishmentImport.Status.COMPLETED and imp.posts_imported == 80
    total = sum(p.annual_cost for p in posts if p.annual_cost is not None)
    assert Decimal(imp.summary["annual_cost"]) == total
    detail = admin_client_.get(url("import_detail", council, imp.pk))
    assert detail.status_code == 200 and b"Imported" in detail.content

    organisation = admin_client_.get(url("organisation", council))
    html = organisation.content.decode()
    assert "Children&#x27;s Services" in html and "Not assigned to a directorate" in html
    assert f"£{total:,.0f}" in html
    establishment = admin_client_.get(url("establishment", council))
    assert b"trafford-organisation-structure-2025-07.csv" in establishment.content
    assert f"£{total:,.0f}".encode() in establishment.content


def test_a_bad_file_reports_row_and_column_and_leaves_the_establishment(
    admin_client_: Client, council: Council
) -> None:
    services.establishment_replace(council=council, rows=[PostRow("OLD", ("Old",), "Kept")], actor=None)
    data = [list(r) for r in SIMPLE_ROWS]
    data[1][6] = "abc"
    data[3][8] = "perhaps"
    imp = upload(admin_client_, council, "bad.csv", csv_bytes(SIMPLE_HEADERS, data))
    admin_client_.post(url("import_map", council, imp.pk), map_form(imp))
    check = admin_client_.get(url("import_check", council, imp.pk))
    html = check.content.decode()
    assert "There is a problem" in html and "Confirm import" not in html
    assert '<td class="govuk-table__cell">bad.csv</td>' in html
    assert '<td class="govuk-table__cell wc-num">3</td>' in html
    assert '<td class="govuk-table__cell">FTE</td>' in html
    assert "&#x27;abc&#x27; is not a number" in html
    assert "&#x27;perhaps&#x27; is not a vacancy flag" in html
    refused = admin_client_.post(url("import_confirm", council, imp.pk))
    assert refused.status_code == 302
    assert list(Post.objects.filter(council=council).values_list("post_ref", flat=True)) == ["OLD"]


def test_mapping_form_names_the_missing_field(admin_client_: Client, council: Council) -> None:
    imp = upload(admin_client_, council, "est.csv", csv_bytes(SIMPLE_HEADERS, SIMPLE_ROWS))
    response = admin_client_.post(url("import_map", council, imp.pk), map_form(imp, job_title=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert '<a href="#id_job_title">Choose the column that holds the job title</a>' in html


def test_an_unreadable_upload_is_an_error_on_the_page(admin_client_: Client, council: Council) -> None:
    response = admin_client_.post(
        url("import_upload", council), {"file": SimpleUploadedFile("old.xls", b"\xd0\xcf\x11\xe0rest")}
    )
    assert response.status_code == 200
    assert b"old-style Excel workbook" in response.content
    assert not EstablishmentImport.objects.exists()


def test_xlsx_upload_with_a_preamble(admin_client_: Client, council: Council) -> None:
    rows = [[*r[:6], float(r[6]), int(r[7]), r[8]] for r in SIMPLE_ROWS]
    content = xlsx_bytes(SIMPLE_HEADERS, rows, preamble=["Establishment at 1 July 2025", ""])
    imp = upload(admin_client_, council, "establishment.xlsx", content)
    assert imp.headers == SIMPLE_HEADERS
    admin_client_.post(url("import_map", council, imp.pk), map_form(imp))
    imp.refresh_from_db()
    assert imp.status == EstablishmentImport.Status.CHECKED, imp.errors
    admin_client_.post(url("import_confirm", council, imp.pk))
    engineer = Post.objects.get(council=council, post_ref="P3")
    assert engineer.fte == Decimal("0.50")
    assert engineer.annual_cost == Decimal("25600.00")
    assert engineer.org_unit.name == "Street lighting"


@pytest.fixture
def checked_import(council: Council) -> EstablishmentImport:
    imp = services.establishment_upload(
        council=council, file_name="e.csv", content=csv_bytes(SIMPLE_HEADERS, SIMPLE_ROWS), actor=None
    )
    return services.establishment_check(imp=imp, mapping=imp.mapping, options={})


def test_councillors_cannot_import(
    councillor_client: Client, council: Council, checked_import: EstablishmentImport
) -> None:
    pk = checked_import.pk
    assert councillor_client.get(url("import_upload", council)).status_code == 403
    response = councillor_client.post(
        url("import_upload", council),
        {"file": SimpleUploadedFile("e.csv", csv_bytes(SIMPLE_HEADERS, SIMPLE_ROWS))},
    )
    assert response.status_code == 403
    assert councillor_client.get(url("import_map", council, pk)).status_code == 403
    assert councillor_client.post(url("import_map", council, pk), map_form(checked_import)).status_code == 403
    assert councillor_client.get(url("import_check", council, pk)).status_code == 403
    assert councillor_client.post(url("import_confirm", council, pk)).status_code == 403
    assert not Post.objects.exists()
    assert EstablishmentImport.objects.count() == 1
    # but they can read the establishment, and are not offered the import button
    page = councillor_client.get(url("establishment", council))
    assert page.status_code == 200 and b"Import an establishment list" not in page.content
    assert councillor_client.get(url("import_detail", council, pk)).status_code == 200


def test_finance_can_import(
    client_for: Callable[..., Client], council: Council, checked_import: EstablishmentImport
) -> None:
    finance = client_for(council, Role.FINANCE)
    assert finance.post(url("import_confirm", council, checked_import.pk)).status_code == 302
    assert Post.objects.filter(council=council).count() == 4


def test_another_councils_user_gets_not_found_everywhere(
    council: Council,
    make_council: Callable[..., Council],
    client_for: Callable[..., Client],
    checked_import: EstablishmentImport,
) -> None:
    services.establishment_replace(council=council, rows=[PostRow("X", ("Unit",), "Job")], actor=None)
    other = make_council(slug="otherton")
    outsider = client_for(other, Role.ADMIN)
    partnership = council_services.partnership_create(
        name="Joint", councils=[council, make_council()], actor=None
    )
    unit_pk = OrgUnit.objects.get(council=council, name="Unit").pk
    urls = [
        url("organisation", council),
        url("unit", council, unit_pk),
        url("establishment", council),
        url("import_upload", council),
        url("import_detail", council, checked_import.pk),
        url("import_map", council, checked_import.pk),
        url("import_check", council, checked_import.pk),
        url("import_confirm", council, checked_import.pk),
        url("partnership_costs", council, partnership.pk),
    ]
    for path in urls:
        for method in ("get", "post"):
            assert getattr(outsider, method)(path).status_code == 404, f"{method} {path}"
    # ids of this council's objects are not found under the outsider's own council either
    for path in [
        url("unit", other, unit_pk),
        url("import_detail", other, checked_import.pk),
        url("import_map", other, checked_import.pk),
        url("import_check", other, checked_import.pk),
        url("partnership_costs", other, partnership.pk),
    ]:
        assert outsider.get(path).status_code == 404, path
    assert outsider.post(url("import_confirm", other, checked_import.pk)).status_code == 404
    assert Post.objects.filter(council=council).count() == 1


def many_posts(
    n_directorates: int = 6, services_each: int = 5, teams_each: int = 4, per_team: int = 5
) -> list[PostRow]:
    rows = []
    for d in range(n_directorates):
        for s in range(services_each):
            for t in range(teams_each):
                for p in range(per_team):
                    ref = f"P{d}-{s}-{t}-{p}"
                    rows.append(
                        PostRow(
                            ref,
                            (f"Dir {d}", f"Svc {d}.{s}", f"Team {d}.{s}.{t}"),
                            "Officer",
                            annual_cost=Decimal("100"),
                        )
                    )
    return rows


def test_organisation_and_unit_pages_use_a_fixed_number_of_queries(
    admin_client_: Client, council: Council, django_assert_max_num_queries: Callable
) -> None:
    services.establishment_replace(council=council, rows=many_posts(), actor=None)
    with django_assert_max_num_queries(10):
        response = admin_client_.get(url("organisation", council))
    assert response.status_code == 200
    assert response.content.count(b'scope="row"') == 6 + 30 + 120 + 1
    directorate = OrgUnit.objects.get(council=council, name="Dir 0")
    with django_assert_max_num_queries(12):
        response = admin_client_.get(url("unit", council, directorate.pk))
    assert response.status_code == 200
    assert b"Posts in Dir 0 and the units below it (100)" in response.content
    with django_assert_max_num_queries(12):
        assert admin_client_.get(url("unit", council, directorate.pk) + "?page=2").status_code == 200
    with django_assert_max_num_queries(10):
        assert admin_client_.get(url("establishment", council)).status_code == 200


def test_partnership_costs_page(
    admin_client_: Client, council: Council, make_council: Callable[..., Council]
) -> None:
    other = make_council(name="Otherton Council")
    services.establishment_replace(
        council=council, rows=[PostRow("J", ("Joint",), "Job", annual_cost=Decimal("1000.01"))], actor=None
    )
    p = council_services.partnership_create(name="Joint working", councils=[council, other], actor=None)
    council_services.org_unit_share(
        unit=OrgUnit.objects.get(council=council, name="Joint"),
        partnership=p,
        shares={council: Decimal("50"), other: Decimal("50")},
        actor=None,
    )
    response = admin_client_.get(url("partnership_costs", council, p.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "£1,000.01" in html and "£500.01" in html and "£500.00" in html
    organisation = admin_client_.get(url("organisation", council)).content.decode()
    assert "Shared" in organisation and "Otherton Council 50%" in organisation
