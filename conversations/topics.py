"""What conversations may know of their topics without importing the apps that own them (they sit above).

An owning app registers, in its AppConfig.ready(), a function that turns one of its rows into the facts a seller's
reply draft may rest on (keyword arguments of conversations.ai.ReplyFacts): marketplace for products, for instance.
"""

from __future__ import annotations

from collections.abc import Callable

_reply_facts: dict[str, Callable] = {}


def register_reply_facts(model_label: str, facts: Callable) -> None:
    """`facts(topic) -> dict` for topics of `model_label` ("marketplace.product")."""
    _reply_facts[model_label.lower()] = facts


def reply_facts_for(topic) -> dict:
    if topic is None:
        return {}
    facts = _reply_facts.get(topic._meta.label_lower)
    return facts(topic) if facts is not None else {}
