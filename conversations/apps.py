from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "conversations"
    verbose_name = _("Conversations")

    def ready(self):
        from suppliers.signals import response_commitment_changed

        from .tasks import recompute_on_commitment_change

        response_commitment_changed.connect(recompute_on_commitment_change, dispatch_uid="conversations_commitment")
