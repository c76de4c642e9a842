# Category moves from marketplace to taxonomy without touching its table (marketplace_category): the model is
# created here in migration state only; marketplace 0011 removes it from marketplace's state.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("marketplace", "0010_search_quantity_in_range"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.CreateModel(
            name='Category',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=100, unique=True)),
                ('name', models.CharField(max_length=120, verbose_name='name (English)')),
                ('names', models.JSONField(blank=True, default=dict, help_text='e.g. {"zh-hans": "电动工具", "de": "Elektrowerkzeuge"}', verbose_name='names by language')),
                ('sector', models.CharField(choices=[('consumer', 'Consumer goods'), ('industrial', 'Industrial')], max_length=12, verbose_name='sector')),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='taxonomy.category')),
            ],
            options={
                'verbose_name_plural': 'categories',
                'db_table': 'marketplace_category',
                'ordering': ['position', 'name'],
                'constraints': [models.CheckConstraint(condition=models.Q(('sector__in', ['consumer', 'industrial'])), name='category_sector_valid'), models.CheckConstraint(condition=models.Q(('parent', models.F('pk')), _negated=True), name='category_not_own_parent')],
            },
        ),
            ],
        ),
    ]
