"""Supplier names, clustering and merge proposals."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wholecouncil.spend.engine import (
    SupplierRecord,
    cluster_suppliers,
    normalise_company_number,
    normalise_vat,
    propose_merges,
    supplier_key,
)


@pytest.mark.parametrize(
    "name",
    [
        "ACME LTD",
        "Acme Limited",
        "ACME LIMITED (T/A ACME CARE)",
        "The Acme Co. Ltd",
        "acme  ltd.",
        "ACME PLC",
        "Acme",
    ],
)
def test_variants_share_a_key(name: str) -> None:
    assert supplier_key(name) == "acme"


def test_keys_keep_what_distinguishes() -> None:
    assert supplier_key("Smith & Sons Ltd") == supplier_key("SMITH AND SONS LIMITED") == "smith and sons"
    assert supplier_key("Co-operative Group") == "co operative group"
    assert supplier_key("Acme Care Ltd") != supplier_key("Acme Ltd")
    assert supplier_key("LIMITED") == "limited"


def test_accents_are_folded_and_letters_of_any_script_kept() -> None:
    assert supplier_key("Siân Jones") == supplier_key("SIAN JONES") == "sian jones"
    assert supplier_key("Siân Jones") != supplier_key("Siôn Jones")  # two people, not one
    assert supplier_key("Caffi Siôn Cyf") == supplier_key("CAFFI SION CYFYNGEDIG") == "caffi sion"
    assert supplier_key("Café Nord Ltd") == "cafe nord"
    assert supplier_key("Straße GmbH") == "strasse"
    assert supplier_key("東京 Ltd") == "東京" != supplier_key("大阪 Ltd")


def test_identifiers() -> None:
    assert normalise_vat("GB 812 3112 85") == "812311285"
    assert normalise_vat("GB000") == ""
    assert normalise_company_number("123456") == "00123456"
    assert normalise_company_number("sc 12345") == "SC012345"
    assert normalise_company_number("N/A") == ""


def test_clusters_from_names_and_accepted_merges() -> None:
    names = ["ACME LTD", "Acme Limited", "ACME LIMITED (T/A ACME CARE)", "Acme Care Services", "Bolt plc"]
    clusters = cluster_suppliers(names)
    assert clusters["acme"] == ["ACME LIMITED (T/A ACME CARE)", "ACME LTD", "Acme Limited"]
    merged = cluster_suppliers(names, accepted=[("acme care services", "acme")])
    assert len(merged["acme"]) == 4 and merged["bolt"] == ["Bolt plc"]


def test_proposals_with_evidence() -> None:
    records = [
        SupplierRecord("Acme Ltd", vat_numbers=frozenset({"812311285"})),
        SupplierRecord("Acme Care Services", vat_numbers=frozenset({"812311285"})),
        SupplierRecord("Northern Cleaning UK", company_numbers=frozenset({"00123456"})),
        SupplierRecord("Northern Cleaning", company_numbers=frozenset({"00123456"})),
        SupplierRecord("Greenfields Nursery"),
        SupplierRecord("Greenfeilds Nursery"),
        SupplierRecord("School 1"),
        SupplierRecord("School 2"),
    ]
    proposals = {p.pair: p for p in propose_merges(records)}
    assert "the same VAT number (812311285)" in proposals[("acme", "acme care services")].evidence
    northern = proposals[("northern cleaning", "northern cleaning uk")]
    assert northern.score >= 95 and len(northern.evidence) == 2
    assert ("greenfeilds nursery", "greenfields nursery") in proposals
    assert ("school 1", "school 2") not in proposals
    again = propose_merges(records, decided=[("greenfields nursery", "greenfeilds nursery")])
    assert ("greenfeilds nursery", "greenfields nursery") not in {p.pair for p in again}


name_st = st.text(alphabet="abcABC &.()-' ltdLTDplc", min_size=1, max_size=25)


@given(st.lists(name_st, max_size=30), st.randoms(use_true_random=False))
def test_clustering_is_a_partition_independent_of_order(names: list[str], rnd: random.Random) -> None:
    clusters = cluster_suppliers(names)
    members = [n for group in clusters.values() for n in group]
    assert sorted(members) == sorted(set(names))  # every name once
    shuffled = list(names)
    rnd.shuffle(shuffled)
    assert cluster_suppliers(shuffled) == clusters


@given(st.lists(name_st, min_size=2, max_size=20))
def test_same_key_same_cluster_and_merges_only_join(names: list[str]) -> None:
    clusters = cluster_suppliers(names)
    where = {n: root for root, group in clusters.items() for n in group}
    for a in names:
        for b in names:
            if supplier_key(a) and supplier_key(a) == supplier_key(b):
                assert where[a] == where[b]
    keys = sorted({supplier_key(n) for n in names if supplier_key(n)})
    if len(keys) >= 2:
        merged = cluster_suppliers(names, accepted=[(keys[0], keys[1])])
        assert len(merged) == len(clusters) - 1
        after = {n: root for root, group in merged.items() for n in group}
        for a in names:
            for b in names:
                if where[a] == where[b]:
                    assert after[a] == after[b]


@given(name_st)
def test_key_is_idempotent(name: str) -> None:
    key = supplier_key(name)
    assert supplier_key(key) == key
