"""How a thread reads for one reader: each message in the reader's language when a translation exists, the original
one click away, and whether the other side has read what the reader sent. Shared by buyer pages and the seller admin."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language_info

from core.languages import base_language

from .models import Conversation, Message, TranslationStatus


def language_name(code: str) -> str:
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


@dataclass
class ShownMessage:
    message: Message
    mine: bool
    text: str  # what the reader sees first
    translated: str = ""  # TranslationStatus of `text` when it is a translation; "" when it is the original
    original_language: str = ""  # the language's name when the reader reads another one
    untranslated: bool = False  # in another language and not translated yet: the page offers "Translate"
    read: bool = False  # mine, and the other side looked after it was sent


def shown_messages(conversation: Conversation, messages, *, reader_language: str, reader_is_supplier: bool):
    """`messages` were read with selectors.messages_prefetch(language=reader_language) (`.translated`)."""
    reader_language = base_language(reader_language)
    other_read_at = conversation.buyer_read_at if reader_is_supplier else conversation.supplier_read_at
    shown = []
    for message in messages:
        mine = message.from_supplier == reader_is_supplier
        item = ShownMessage(message=message, mine=mine, text=message.body)
        if mine:
            item.read = other_read_at is not None and other_read_at >= message.created_at
        foreign = bool(message.body) and base_language(message.language or reader_language) != reader_language
        if foreign and not mine:
            item.original_language = language_name(base_language(message.language))
            translation = next(iter(getattr(message, "translated", [])), None)
            if translation is None:
                item.untranslated = True
            elif translation.status != TranslationStatus.NOT_TRANSLATED and translation.text:
                item.text = translation.text
                item.translated = translation.status
            else:
                item.translated = TranslationStatus.NOT_TRANSLATED
        shown.append(item)
    return shown
