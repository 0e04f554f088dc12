"""Give councils made before the activity module their default process list and illustrative comparator."""

from django.db import migrations

from wholecouncil.activity.taxonomy import DEFAULT_PROCESSES

ILLUSTRATIVE_LAYER_SHARES = {
    "pre-front-door": "0.04",
    "customer-management": "0.12",
    "customer-assessment": "0.10",
    "provision-cycle": "0.46",
    "enabling-support": "0.18",
    "strategic-capability": "0.06",
    "business-intelligence": "0.04",
}


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    Council = apps.get_model("council", "Council")
    Layer = apps.get_model("council", "Layer")
    Process = apps.get_model("activity", "Process")
    Comparator = apps.get_model("activity", "Comparator")
    for council in Council.objects.all():
        if not Process.objects.filter(council=council).exists():
            layers = {layer.code: layer for layer in Layer.objects.filter(council=council)}
            Process.objects.bulk_create(
                [
                    Process(
                        council=council,
                        code=p.code,
                        name=p.name,
                        description=p.description,
                        layer=layers.get(p.layer),
                        home_function=p.home_function,
                        position=i,
                    )
                    for i, p in enumerate(DEFAULT_PROCESSES)
                ]
            )
        if not Comparator.objects.filter(council=council, illustrative=True).exists():
            Comparator.objects.create(
                council=council,
                name="Illustrative profile (not real data)",
                source=(
                    "Made-up shares chosen to show how a comparison reads. They describe no real council and "
                    "must not be quoted as evidence."
                ),
                illustrative=True,
                basis="layer",
                shares=ILLUSTRATIVE_LAYER_SHARES,
            )


class Migration(migrations.Migration):
    dependencies = [("activity", "0001_initial"), ("council", "0001_spine_operating_model_and_audit")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
