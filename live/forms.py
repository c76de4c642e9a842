from django import forms
from django.utils.translation import gettext_lazy as _

from conversations.models import MESSAGE_MAX_CHARS


class QuestionForm(forms.Form):
    body = forms.CharField(
        label=_("Your question"),
        max_length=MESSAGE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("Ask about the products shown, prices, samples…")}),
    )
