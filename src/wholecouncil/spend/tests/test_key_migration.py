"""Keys stored before accents were folded are worked out again, with the merge decisions kept by them."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from wholecouncil.council.models import Council
from wholecouncil.spend.models import MergeDecision, Supplier, SupplierAlias
from wholecouncil.spend.tests.helpers import csv_bytes, run

pytestmark = pytest.mark.django_db
refold = importlib.import_module("wholecouncil.spend.migrations.0005_supplier_keys_fold_accents").refold


def test_keys_stored_the_old_way_are_folded_and_decisions_follow(council: Council) -> None:
    cafe = Supplier.objects.create(council=council, name="Café Nord Ltd", key="caf nord")
    SupplierAlias.objects.create(council=council, supplier=cafe, name="Café Nord Ltd", key="caf nord")
    sian = Supplier.objects.create(council=council, name="Siân Jones", key="si n jones")
    SupplierAlias.objects.create(council=council, supplier=sian, name="Siân Jones", key="si n jones")
    SupplierAlias.objects.create(council=council, supplier=sian, name="Siôn Jones", key="si n jones")
    MergeDecision.objects.create(
        council=council, first_key="caf nord", second_key="nord cafe", status=MergeDecision.Status.REJECTED
    )
    kept = MergeDecision.objects.create(council=council, first_key="acme", second_key="si n jones")
    refold(apps, None)
    keys = dict(SupplierAlias.objects.filter(council=council).values_list("name", "key"))
    assert keys == {"Café Nord Ltd": "cafe nord", "Siân Jones": "sian jones", "Siôn Jones": "sion jones"}
    assert Supplier.objects.get(pk=cafe.pk).key == "cafe nord"
    assert Supplier.objects.get(pk=sian.pk).key == "sian jones"  # from its name: its old key split in two
    decided = MergeDecision.objects.filter(council=council, status=MergeDecision.Status.REJECTED).get()
    assert (decided.first_key, decided.second_key) == ("cafe nord", "nord cafe")
    kept.refresh_from_db()
    assert (kept.first_key, kept.second_key) == ("acme", "si n jones")  # no one new key to follow
    # A new spelling of a supplier met before is the same supplier, and the same payment is recognised.
    run(council, {"a.csv": csv_bytes([["Café Nord Ltd", "10.00", "01/04/2024"] + [""] * 4])})
    again = run(council, {"b.csv": csv_bytes([["CAFE NORD LIMITED", "10.00", "01/04/2024"] + [""] * 4])})
    assert (again.imported, again.already) == (0, 1)
