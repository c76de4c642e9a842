"""Supplier saves reach the search index here: suppliers sits below marketplace and cannot call its services."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from suppliers.models import Supplier

from .documents import SUPPLIER_FIELDS
from .services import search_documents_sync_suppliers

_COPIED = set(SUPPLIER_FIELDS.values())


@receiver(post_save, sender=Supplier, dispatch_uid="search_documents_sync_supplier")
def supplier_saved(sender, instance, created, update_fields=None, **kwargs):
    if created or (update_fields is not None and not _COPIED & set(update_fields)):
        return  # a new supplier has no documents yet; other fields are not copied
    transaction.on_commit(lambda: search_documents_sync_suppliers(supplier_ids=[instance.pk]))
