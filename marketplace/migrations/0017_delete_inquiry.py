from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0016_inquiries_to_conversations"),
    ]

    operations = [
        migrations.DeleteModel(name="InquiryMessage"),
        migrations.DeleteModel(name="Inquiry"),
    ]
