
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def headers_to_layouts(apps, schema_editor):
    """An import read before layouts existed had one set of headers and one mapping for every table."""
    SpendImport = apps.get_model("spend", "SpendImport")
    for imp in SpendImport.objects.all():
        imp.layouts = [{"headers": imp.headers, "tables": imp.file_names, "mapping": imp.mapping}]
        imp.save(update_fields=["layouts"])


class Migration(migrations.Migration):

    dependencies = [
        ('council', '0001_spine_operating_model_and_audit'),
        ('spend', '0001_spend_imports_payments_suppliers_contracts'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='spendimport',
            name='layouts',
            field=models.JSONField(default=list, help_text='The tables grouped by their headers: [{headers, tables, mapping (field -> header)}]'),
        ),
        migrations.RunPython(headers_to_layouts, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='spendimport',
            name='headers',
        ),
        migrations.RemoveField(
            model_name='spendimport',
            name='mapping',
        ),
        migrations.AddField(
            model_name='spendimport',
            name='started_at',
            field=models.DateTimeField(blank=True, help_text='When a background check or import of it last started', null=True),
        ),
        migrations.AlterField(
            model_name='spendimport',
            name='status',
            field=models.CharField(choices=[('uploaded', 'Uploaded — columns to match'), ('checking', 'Checking the files'), ('checked', 'Checked — ready to import'), ('failed', 'Has rejected rows — nothing imported'), ('running', 'Importing'), ('interrupted', 'Interrupted — nothing imported'), ('completed', 'Imported')], default='uploaded', max_length=16),
        ),
        migrations.CreateModel(
            name='ContractsUpload',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('name', models.CharField(max_length=255)),
                ('content', models.BinaryField()),
                ('headers', models.JSONField(default=list)),
                ('mapping', models.JSONField(default=dict, help_text='Field name to the column header it is read from')),
                ('imported', models.BooleanField(default=False)),
                ('council', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='council.council')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-id'],
            },
        ),
    ]
