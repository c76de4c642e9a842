from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class AiConfig(AppConfig):
    name = "ai"
    verbose_name = pgettext_lazy("admin app", "AI")
