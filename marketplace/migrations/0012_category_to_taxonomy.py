# Category now lives in taxonomy (same table). State only, apart from carrying the content type over so
# permissions and admin log entries that name marketplace.category keep pointing at the rows they meant.

import django.db.models.deletion
from django.db import migrations, models


def content_type_to_taxonomy(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    if not content_type.objects.filter(app_label="taxonomy", model="category").exists():
        content_type.objects.filter(app_label="marketplace", model="category").update(app_label="taxonomy")


def content_type_to_marketplace(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label="taxonomy", model="category").update(app_label="marketplace")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("marketplace", "0011_search_models_to_search_app"),
        ("taxonomy", "0001_initial"),
        ("search", "0002_document_category_taxonomy"),
        ("suppliers", "0003_productioncapacity_category_taxonomy"),
        ("rankings", "0002_leaderboard_category_taxonomy"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(content_type_to_taxonomy, content_type_to_marketplace)],
            state_operations=[
                migrations.AlterField(
                    model_name="product",
                    name="category",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="products", to="taxonomy.category"
                    ),
                ),
                migrations.RemoveField(model_name="category", name="parent"),
                migrations.DeleteModel(name="Category"),
            ],
        ),
    ]
