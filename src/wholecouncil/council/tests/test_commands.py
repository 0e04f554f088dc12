"""The command-line contract: council create/list, user add, partnership create/share."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from wholecouncil.council.models import AuditEvent, Council, Layer, Membership, OrgUnit, Service


@pytest.mark.django_db
def test_council_create_seeds_operating_model_and_lgsl_catalogue(shared_data_dir: Path, capsys) -> None:
    call_command("council", "create", "northshire", "Northshire Council")
    council = Council.objects.get(slug="northshire")
    assert Layer.objects.filter(council=council).count() == 7
    lgsl_rows = (
        (shared_data_dir / "reference" / "lgsl-services-2013.csv").read_text(encoding="utf-8").count("\n")
    )
    count = Service.objects.filter(council=council).count()
    assert count == 1519
    assert count <= lgsl_rows
    assert "1519 services" in capsys.readouterr().out
    assert AuditEvent.objects.filter(council=council, action="council.create").exists()


@pytest.mark.django_db
def test_council_create_refuses_duplicate_slug() -> None:
    call_command("council", "create", "dup", "Dup Council", "--no-services")
    with pytest.raises(CommandError, match="already exists"):
        call_command("council", "create", "dup", "Another", "--no-services")


@pytest.mark.django_db
def test_bad_service_list_names_file_row_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "services.csv"
    bad.write_text("Identifier,Label,Description\n1,Bins,\nabc,Libraries,\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"services\.csv, row 3, column Identifier: 'abc' is not a number"):
        call_command("council", "create", "badlist", "Bad List Council", "--services", str(bad))


@pytest.mark.django_db
def test_user_add_creates_first_admin_with_password(monkeypatch) -> None:
    call_command("council", "create", "northshire", "Northshire Council", "--no-services")
    monkeypatch.setenv("WHOLECOUNCIL_PASSWORD", "a long enough passphrase")
    call_command("user", "add", "jo.bloggs", "--council", "northshire", "--role", "admin")
    user = get_user_model().objects.get(username="jo.bloggs")
    assert user.check_password("a long enough passphrase")
    assert Membership.objects.get(user=user).role == "admin"
    with pytest.raises(CommandError, match="No council"):
        call_command("user", "add", "x", "--council", "nowhere", "--role", "admin")


@pytest.mark.django_db
def test_partnership_create_and_share_from_the_command_line() -> None:
    call_command("council", "create", "north", "North Council", "--no-services")
    call_command("council", "create", "south", "South Council", "--no-services")
    call_command("partnership", "create", "North and South", "--councils", "north,south")
    unit = OrgUnit.objects.create(council=Council.objects.get(slug="north"), name="Legal", kind="service")
    with pytest.raises(CommandError, match="add up to 90"):
        call_command(
            "partnership", "share", "North and South", "--unit", str(unit.pk), "--shares", "north=50,south=40"
        )
    call_command(
        "partnership", "share", "North and South", "--unit", str(unit.pk), "--shares", "north=60,south=40"
    )
    shares = {s.council.slug: s.percent for s in unit.shares.select_related("council")}
    assert shares == {"north": Decimal("60.00"), "south": Decimal("40.00")}


@pytest.mark.django_db
def test_services_assign_is_checked_and_audited(make_council) -> None:
    from wholecouncil.council import services

    north, south = make_council(), make_council()
    services.services_import(council=north, entries=[(1, "Bins", ""), (2, "Libraries", "")], actor=None)
    unit = OrgUnit.objects.create(council=north, name="Waste", kind="service")
    foreign = OrgUnit.objects.create(council=south, name="Waste", kind="service")
    with pytest.raises(services.DomainError, match="does not belong"):
        services.services_assign(council=north, assignments={1: foreign}, actor=None)
    with pytest.raises(services.DomainError, match="LGSL code 99"):
        services.services_assign(council=north, assignments={99: unit}, actor=None)
    assert services.services_assign(council=north, assignments={1: unit}, actor=None) == 1
    assert Service.objects.get(council=north, lgsl_id=1).org_unit == unit
    assert AuditEvent.objects.filter(council=north, action="services.assign").count() == 1
    assert services.services_assign(council=north, assignments={1: unit}, actor=None) == 0
