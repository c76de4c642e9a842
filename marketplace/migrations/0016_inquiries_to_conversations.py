"""Inquiry threads become conversations (conversations app) with the same ids, so links in e-mails already sent,
ads attributions (which name the inquiry's id) and agents' conversation ids stay valid. Nothing is dropped here:
0017 removes the old tables once this has run. Reversible: going back copies the inquiry conversations back."""

from django.core.management.color import no_style
from django.db import migrations

BATCH = 2000


def _reset_sequences(schema_editor, *models):
    # Rows were inserted with their ids: PostgreSQL's sequences must move past them (a no-op on SQLite).
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)


def forward(apps, schema_editor):
    Inquiry = apps.get_model("marketplace", "Inquiry")
    InquiryMessage = apps.get_model("marketplace", "InquiryMessage")
    Conversation = apps.get_model("conversations", "Conversation")
    Message = apps.get_model("conversations", "Message")
    ContentType = apps.get_model("contenttypes", "ContentType")
    product_type, _created = ContentType.objects.get_or_create(app_label="marketplace", model="product")

    rows = Inquiry.objects.order_by("pk").values(
        "pk",
        "buyer_id",
        "supplier_id",
        "product_id",
        "subject",
        "quantity",
        "status",
        "created_at",
        "first_response_at",
        "last_message_at",
    )
    batch = []
    for row in rows.iterator(chunk_size=BATCH):
        has_product = row["product_id"] is not None
        batch.append(
            Conversation(
                pk=row["pk"],
                buyer_id=row["buyer_id"],
                supplier_id=row["supplier_id"],
                kind="inquiry",
                subject=row["subject"],
                topic_type=product_type if has_product else None,
                topic_id=row["product_id"],
                quantity=row["quantity"],
                status=row["status"],
                created_at=row["created_at"],
                first_response_at=row["first_response_at"],
                last_message_at=row["last_message_at"],
                # Read receipts start now: everything sent before was read by whoever answered after it.
                buyer_read_at=row["last_message_at"],
                supplier_read_at=row["first_response_at"],
            )
        )
        if len(batch) >= BATCH:
            Conversation.objects.bulk_create(batch)
            batch = []
    Conversation.objects.bulk_create(batch)

    messages = InquiryMessage.objects.order_by("pk").values(
        "pk", "inquiry_id", "sender_id", "from_supplier", "body", "via_agent", "created_at"
    )
    batch = []
    for row in messages.iterator(chunk_size=BATCH):
        batch.append(
            Message(
                pk=row["pk"],
                conversation_id=row["inquiry_id"],
                sender_id=row["sender_id"],
                from_supplier=row["from_supplier"],
                body=row["body"],
                via_agent=row["via_agent"],
                created_at=row["created_at"],
                # Nobody is e-mailed about messages from before conversations existed.
                notified_at=row["created_at"],
            )
        )
        if len(batch) >= BATCH:
            Message.objects.bulk_create(batch)
            batch = []
    Message.objects.bulk_create(batch)
    _reset_sequences(schema_editor, Conversation, Message)


def backward(apps, schema_editor):
    Inquiry = apps.get_model("marketplace", "Inquiry")
    InquiryMessage = apps.get_model("marketplace", "InquiryMessage")
    Conversation = apps.get_model("conversations", "Conversation")
    Message = apps.get_model("conversations", "Message")
    Product = apps.get_model("marketplace", "Product")
    ContentType = apps.get_model("contenttypes", "ContentType")
    product_type = ContentType.objects.filter(app_label="marketplace", model="product").first()
    products = set(Product.objects.values_list("pk", flat=True))
    inquiries = Conversation.objects.filter(kind="inquiry")
    Inquiry.objects.bulk_create(
        Inquiry(
            pk=c.pk,
            buyer_id=c.buyer_id,
            supplier_id=c.supplier_id,
            product_id=c.topic_id
            if product_type and c.topic_type_id == product_type.pk and c.topic_id in products
            else None,
            subject=c.subject,
            quantity=c.quantity,
            status=c.status,
            created_at=c.created_at,
            first_response_at=c.first_response_at,
            last_message_at=c.last_message_at,
        )
        for c in inquiries.iterator(chunk_size=BATCH)
    )
    InquiryMessage.objects.bulk_create(
        InquiryMessage(
            pk=m.pk,
            inquiry_id=m.conversation_id,
            sender_id=m.sender_id,
            from_supplier=m.from_supplier,
            body=m.body,
            via_agent=m.via_agent,
            created_at=m.created_at,
        )
        for m in Message.objects.filter(conversation__kind="inquiry").exclude(body="").iterator(chunk_size=BATCH)
    )
    inquiries.delete()
    _reset_sequences(schema_editor, Inquiry, InquiryMessage)


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0015_product_media"),
        ("conversations", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
