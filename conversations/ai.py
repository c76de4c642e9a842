"""Conversation AI: the language a message is in, its translation for the reader, and reply drafts for sellers.

INTERIM: the helper writing this module replaces this file (offline glossary translation, the model path, drafts).
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import TranslationStatus


@dataclass(frozen=True)
class MessageTranslationResult:
    text: str
    status: str
    provider: str
    model: str = ""
    prompt_version: str = ""


def detect_language(text: str) -> str:
    return "en"


def translate_message(text: str, *, source: str, target: str) -> MessageTranslationResult:
    return MessageTranslationResult(text="", status=TranslationStatus.NOT_TRANSLATED, provider="offline")
