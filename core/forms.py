"""Form pieces every app's forms share."""

from django import forms
from django.core.exceptions import ValidationError


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe): cleans each, returns a list, empty when none."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def service_error_on_form(form: forms.BaseForm | None, error: ValidationError) -> str:
    """Put a service's ValidationError on the form (on the field it names when the form has one) and return its
    text, for an admin message."""
    if form is not None:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                texts = [text for item in errors for text in item.messages]
                form.add_error(field if field in form.fields else None, texts)
        else:
            form.add_error(None, error.messages)
    return " ".join(error.messages)
