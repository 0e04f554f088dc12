# A contract's end date and value may be blank. (Numbered 0004: the import-totals migration it was once to
# follow was not needed — an import's total is bounded when it is read instead — so this follows 0003.)

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("spend", "0003_payments_supplier_without_db_constraint"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="contract",
            options={"ordering": [models.OrderBy(models.F("end"), nulls_last=True), "reference"]},
        ),
        migrations.AlterField(
            model_name="contract",
            name="end",
            field=models.DateField(
                blank=True, help_text="Blank: rolling or open-ended, live from its start", null=True
            ),
        ),
        migrations.AlterField(
            model_name="contract",
            name="value",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text="Pounds over the whole contract; blank when the register states none",
                max_digits=16,
                null=True,
            ),
        ),
    ]
