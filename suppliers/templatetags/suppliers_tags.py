"""{% load suppliers_tags %}: a supplier's responsiveness in words (suppliers/display.py), free of queries."""

from django import template

from suppliers import display

register = template.Library()


@register.simple_tag
def response_summary(supplier) -> str:
    return display.response_summary(supplier)


@register.simple_tag
def commitment_summary(supplier) -> str:
    return display.commitment_summary(supplier)


@register.filter
def commitment_state(supplier) -> str:
    return display.commitment_state(supplier)
