from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from django.db import connection

from wholecouncil.council.models import AuditEvent, Council, OrgUnit
from wholecouncil.workforce import services
from wholecouncil.workforce.engine import NOT_ASSIGNED, PostRow
from wholecouncil.workforce.models import EstablishmentImport, Post
from wholecouncil.workforce.tests.helpers import SIMPLE_HEADERS, SIMPLE_ROWS, csv_bytes, trafford

pytestmark = pytest.mark.django_db


def rows(n: int, *, directorates: int = 5, services_each: int = 4, teams_each: int = 5) -> list[PostRow]:
    out = []
    for i in range(n):
        d, s, t = i % directorates, (i // directorates) % services_each, (i // 7) % teams_each
        out.append(
            PostRow(
                post_ref=f"P{i:05d}",
                org_path=(f"Directorate {d}", f"Service {d}.{s}", f"Team {d}.{s}.{t}"),
                job_title=f"Officer {i}",
                grade="G5",
                fte=Decimal("1") if i % 3 else Decimal("0.5"),
                annual_cost=Decimal("30000.00") + i,
                cost_basis="test",
                vacant=i % 10 == 0,
            )
        )
    return out


def test_replace_creates_units_by_depth_and_posts(council: Council) -> None:
    summary = services.establishment_replace(council=council, rows=rows(30), actor=None)
    assert summary.posts == 30
    assert Post.objects.filter(council=council).count() == 30
    kinds = dict(OrgUnit.objects.filter(council=council).values_list("name", "kind"))
    assert kinds["Directorate 0"] == "directorate"
    assert kinds["Service 0.0"] == "service"
    assert kinds["Team 0.0.0"] == "team"
    assert summary.units_created == OrgUnit.objects.filter(council=council).count()


def test_replace_reuses_units_ignoring_case_and_replaces_posts(council: Council) -> None:
    services.establishment_replace(council=council, rows=rows(10), actor=None)
    units_before = OrgUnit.objects.filter(council=council).count()
    again = [PostRow("X1", ("DIRECTORATE 0", "service 0.0"), "Clerk")]
    summary = services.establishment_replace(council=council, rows=again, actor=None)
    assert summary.units_created == 0
    assert OrgUnit.objects.filter(council=council).count() == units_before
    assert list(Post.objects.filter(council=council).values_list("post_ref", flat=True)) == ["X1"]
    assert summary.before["posts"] == 10 and summary.after["posts"] == 1


def test_replace_writes_one_audit_event_with_totals(council: Council) -> None:
    data = rows(12)
    services.establishment_replace(council=council, rows=data, actor=None)
    events = AuditEvent.objects.filter(council=council, action="establishment.import")
    assert events.count() == 1
    event = events.get()
    assert event.before == {"posts": 0, "fte": "0.00", "annual_cost": "0.00"}
    assert event.after == {
        "posts": 12,
        "fte": str(sum((r.fte for r in data), Decimal(0)).quantize(Decimal("0.01"))),
        "annual_cost": str(sum((r.annual_cost or 0 for r in data), Decimal(0))),
    }


def test_replace_of_four_thousand_posts_uses_few_queries(
    council: Council, django_assert_max_num_queries: Callable
) -> None:
    data = rows(4000, directorates=8, services_each=6, teams_each=6)
    fields = [f for f in Post._meta.concrete_fields if not f.primary_key]
    per_insert = min(services.BATCH_SIZE, connection.ops.bulk_batch_size(fields, data) or services.BATCH_SIZE)
    inserts = math.ceil(4000 / per_insert) + 3  # posts, plus one insert per org-unit level
    with django_assert_max_num_queries(10 + inserts):
        services.establishment_replace(council=council, rows=data, actor=None)
    assert Post.objects.filter(council=council).count() == 4000


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (PostRow("P00001", ("X",), "Dup"), "used more than once"),
        (PostRow("NEW", (), "No path"), "org unit path"),
        (PostRow("NEW", ("X", ""), "Blank level"), "org unit path"),
        (PostRow("NEW", ("X",), ""), "job title is blank"),
        (PostRow("NEW", ("X",), "Big", fte=Decimal("2")), "FTE"),
        (PostRow("NEW", ("X",), "Neg", annual_cost=Decimal("-1")), "negative"),
    ],
)
def test_replace_refuses_bad_rows_and_changes_nothing(council: Council, bad: PostRow, message: str) -> None:
    services.establishment_replace(council=council, rows=rows(5), actor=None)
    before = list(Post.objects.filter(council=council).values_list("post_ref", "annual_cost"))
    units = OrgUnit.objects.filter(council=council).count()
    with pytest.raises(services.EstablishmentError, match=message):
        services.establishment_replace(council=council, rows=[*rows(3), bad], actor=None)
    assert list(Post.objects.filter(council=council).values_list("post_ref", "annual_cost")) == before
    assert OrgUnit.objects.filter(council=council).count() == units


def test_a_failure_midway_leaves_everything_as_it_was(council: Council) -> None:
    services.establishment_replace(council=council, rows=rows(5), actor=None)
    before = list(Post.objects.filter(council=council).values_list("post_ref", flat=True))
    units = OrgUnit.objects.filter(council=council).count()
    events = AuditEvent.objects.count()
    real_bulk_create = Post.objects.bulk_create
    calls = []

    def fail_on_second_batch(objs, batch_size=None, **kwargs):  # type: ignore[no-untyped-def]
        objs = list(objs)
        real_bulk_create(objs[:1000], batch_size=batch_size, **kwargs)  # the first batch lands
        calls.append(1)
        raise RuntimeError("the database went away")

    new = rows(2500, directorates=9)
    with (
        mock.patch.object(Post.objects, "bulk_create", side_effect=fail_on_second_batch),
        pytest.raises(RuntimeError),
    ):
        services.establishment_replace(council=council, rows=new, actor=None)
    assert calls == [1]
    assert list(Post.objects.filter(council=council).values_list("post_ref", flat=True)) == before
    assert OrgUnit.objects.filter(council=council).count() == units
    assert AuditEvent.objects.count() == events


def test_a_failing_audit_write_rolls_back_the_posts(council: Council) -> None:
    services.establishment_replace(council=council, rows=rows(5), actor=None)
    with (
        mock.patch("wholecouncil.workforce.services.audit_record", side_effect=RuntimeError("audit down")),
        pytest.raises(RuntimeError),
    ):
        services.establishment_replace(council=council, rows=rows(50, directorates=11), actor=None)
    assert Post.objects.filter(council=council).count() == 5
    assert not OrgUnit.objects.filter(council=council, name="Directorate 10").exists()


def test_replace_touches_only_its_own_council(make_council: Callable[..., Council], council: Council) -> None:
    other = make_council()
    services.establishment_replace(council=other, rows=rows(4), actor=None)
    services.establishment_replace(council=council, rows=rows(2), actor=None)
    assert Post.objects.filter(council=other).count() == 4


# --- the import flow ------------------------------------------------------------------------------------


def upload(council: Council, content: bytes, name: str = "est.csv") -> EstablishmentImport:
    return services.establishment_upload(council=council, file_name=name, content=content, actor=None)


def test_upload_reads_headers_and_suggests_columns(council: Council) -> None:
    imp = upload(council, csv_bytes(SIMPLE_HEADERS, SIMPLE_ROWS), name="C:\\Users\\hr\\est.csv")
    assert imp.file_name == "est.csv"
    assert imp.headers == SIMPLE_HEADERS
    assert imp.mapping["job_title"] == "Job title"
    assert imp.row_count == 4
    assert imp.status == EstablishmentImport.Status.UPLOADED


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\xd0\xcf\x11\xe0xx", "old-style Excel"),
        (b"PK\x03\x04zz", "could not be"),
    ],
)
def test_upload_refuses_unreadable_files(council: Council, content: bytes, message: str) -> None:
    with pytest.raises(services.EstablishmentError, match=message):
        upload(council, content, name="bad.xlsx")
    assert not EstablishmentImport.objects.exists()


def test_check_then_commit(council: Council) -> None:
    imp = upload(council, csv_bytes(SIMPLE_HEADERS, SIMPLE_ROWS))
    with pytest.raises(services.EstablishmentError, match="checked"):
        services.establishment_commit(imp=imp, actor=None)
    imp = services.establishment_check(imp=imp, mapping=imp.mapping, options={"on_cost_rate": "0.25"})
    assert imp.status == EstablishmentImport.Status.CHECKED
    assert imp.summary["posts"] == 4
    summary = services.establishment_commit(imp=imp, actor=None)
    imp.refresh_from_db()
    assert imp.status == EstablishmentImport.Status.COMPLETED
    assert imp.posts_imported == summary.posts == 4
    assert Post.objects.get(council=council, post_ref="P1").annual_cost == Decimal("125000.00")
    assert Post.objects.filter(source=imp).count() == 4
    with pytest.raises(services.EstablishmentError, match="already"):
        services.establishment_commit(imp=imp, actor=None)
    with pytest.raises(services.EstablishmentError, match="already"):
        services.establishment_check(imp=imp, mapping=imp.mapping, options={})


def test_a_failed_check_cannot_be_committed(council: Council) -> None:
    data = [list(r) for r in SIMPLE_ROWS]
    data[2][6] = "abc"
    imp = upload(council, csv_bytes(SIMPLE_HEADERS, data))
    imp = services.establishment_check(imp=imp, mapping=imp.mapping, options={})
    assert imp.status == EstablishmentImport.Status.FAILED
    assert imp.errors == [
        {"file": "est.csv", "row": 4, "column": "FTE", "message": "'abc' is not a number"},
    ]
    with pytest.raises(services.EstablishmentError, match="no errors"):
        services.establishment_commit(imp=imp, actor=None)
    assert not Post.objects.exists()


def test_trafford_imports_through_the_services(council: Council, shared_data_dir: Path) -> None:
    path = trafford(shared_data_dir)
    imp = upload(council, path.read_bytes(), name=path.name)
    imp = services.establishment_check(imp=imp, mapping=imp.mapping, options=imp.options)
    assert imp.errors == []
    services.establishment_commit(imp=imp, actor=None)
    assert Post.objects.filter(council=council).count() == 80
    assert OrgUnit.objects.get(council=council, name=NOT_ASSIGNED).kind == "directorate"
    assert OrgUnit.objects.filter(council=council, parent=None).count() == 7
