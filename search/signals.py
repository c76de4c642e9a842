"""How the index hears about changes below it. Marketplace, suppliers and rankings never import search: they
send signals (or Django's model signals fire) and these receivers, connected in SearchConfig.ready(), write.

- marketplace.signals.products_changed (product services, inside their transaction): reindex those products now,
  atomically with the write, so a product is findable the moment its service returns.
- rankings.signals.standings_published (after standings are written): copy them onto the documents.
- Supplier post_save and Certification save/delete: after commit, copy supplier signals / reindex the products
  that carry the certificate.
What these may miss (a raw queryset update, a certificate that lapses with time) is caught by the beat tasks in
search.tasks (see CELERY_BEAT_SCHEDULE).
"""

from django.db import transaction
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from marketplace.signals import products_changed
from rankings.signals import standings_published
from suppliers.models import Certification, Supplier

from .documents import SUPPLIER_FIELDS
from .services import search_documents_sync_suppliers, search_index_products

_COPIED = set(SUPPLIER_FIELDS.values())


@receiver(products_changed, dispatch_uid="search_index_changed_products")
def products_changed_received(sender, product_ids, **kwargs):
    search_index_products(product_ids=product_ids)


@receiver(standings_published, dispatch_uid="search_documents_sync_standings")
def standings_published_received(sender, supplier_ids, **kwargs):
    search_documents_sync_suppliers(supplier_ids=supplier_ids)


@receiver(post_save, sender=Supplier, dispatch_uid="search_documents_sync_supplier")
def supplier_saved(sender, instance, created, update_fields=None, **kwargs):
    if created or (update_fields is not None and not _COPIED & set(update_fields)):
        return  # a new supplier has no documents yet; other fields are not copied
    transaction.on_commit(lambda: search_documents_sync_suppliers(supplier_ids=[instance.pk]))


def _reindex_certified(certification_id, product_ids=None):
    if product_ids is None:
        product_ids = list(
            Certification.products.through.objects.filter(certification_id=certification_id).values_list(
                "product_id", flat=True
            )
        )
    if product_ids:
        transaction.on_commit(lambda: search_index_products(product_ids=product_ids))


@receiver(post_save, sender=Certification, dispatch_uid="search_index_certification_saved")
def certification_saved(sender, instance, created, **kwargs):
    if not created:  # a new certificate is linked to no product yet; linking goes through product services
        _reindex_certified(instance.pk)


@receiver(pre_delete, sender=Certification, dispatch_uid="search_index_certification_deleted")
def certification_deleted(sender, instance, **kwargs):
    # The links go with the row: read them now, reindex once the delete has committed.
    _reindex_certified(instance.pk, list(instance.products.values_list("pk", flat=True)))
