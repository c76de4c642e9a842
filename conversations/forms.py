from django import forms
from django.utils.translation import gettext_lazy as _

from .attachments import ACCEPTED
from .models import MESSAGE_MAX_CHARS


class MessageForm(forms.Form):
    """A message in a thread: text, a file, or both. What a message may be is checked by the service."""

    body = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=MESSAGE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachment = forms.FileField(label=_("Attach a file"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted per request: a lazy string formatted at import time would stay in English.
        self.fields["attachment"].help_text = _("A document or a photo (%(types)s).") % {"types": ACCEPTED}
