# Supplier keys fold accents (Siân reads as sian) instead of dropping the accented letter (si n), and read the
# Welsh Cyf and CCC as legal forms: the keys already stored are worked out again by the same rule as new ones,
# so names met before and after this change meet under one key. Remembered merge decisions follow their keys
# where a key maps to one new key; one that would then clash with another decision is left as it was.

from django.db import migrations


def _key(name: str) -> str:
    from wholecouncil.spend.engine.suppliers import supplier_key

    return (supplier_key(name) or name.casefold())[:200]


def refold(apps, schema_editor):  # type: ignore[no-untyped-def]
    Supplier = apps.get_model("spend", "Supplier")
    SupplierAlias = apps.get_model("spend", "SupplierAlias")
    MergeDecision = apps.get_model("spend", "MergeDecision")
    moves: dict[tuple[int, str], set[str]] = {}
    aliases = SupplierAlias.objects.all().only("id", "council_id", "name", "key")
    for alias in aliases.iterator(chunk_size=5000):
        new = _key(alias.name)
        moves.setdefault((alias.council_id, alias.key), set()).add(new)
        if new != alias.key:
            SupplierAlias.objects.filter(pk=alias.pk).update(key=new)
    for supplier in Supplier.objects.all().only("id", "council_id", "name", "key").iterator(chunk_size=5000):
        found = moves.get((supplier.council_id, supplier.key), set())
        new = next(iter(found)) if len(found) == 1 else _key(supplier.name)
        if new != supplier.key:
            Supplier.objects.filter(pk=supplier.pk).update(key=new)
    for decision in MergeDecision.objects.all().iterator(chunk_size=5000):
        keys = []
        for old in (decision.first_key, decision.second_key):
            found = moves.get((decision.council_id, old), {old})
            keys.append(next(iter(found)) if len(found) == 1 else old)
        first, second = sorted(keys)
        if (first, second) == (decision.first_key, decision.second_key) or first == second:
            continue
        clash = MergeDecision.objects.filter(
            council_id=decision.council_id, first_key=first, second_key=second
        ).exists()
        if not clash:
            MergeDecision.objects.filter(pk=decision.pk).update(first_key=first, second_key=second)


class Migration(migrations.Migration):
    dependencies = [
        ("spend", "0004_contracts_open_ended"),
    ]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
