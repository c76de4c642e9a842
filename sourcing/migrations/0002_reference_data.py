from django.db import migrations


def load(apps, schema_editor):
    from sourcing.reference import reference_data_load

    reference_data_load(
        ExchangeRate=apps.get_model("sourcing", "ExchangeRate"),
        FreightRate=apps.get_model("sourcing", "FreightRate"),
        DutyRate=apps.get_model("sourcing", "DutyRate"),
        MarketRequirement=apps.get_model("sourcing", "MarketRequirement"),
    )


class Migration(migrations.Migration):
    dependencies = [("sourcing", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
