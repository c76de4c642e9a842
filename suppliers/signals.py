"""Signals suppliers sends for apps above it (suppliers imports none of them)."""

from django.dispatch import Signal

# A supplier's response commitment (minutes, working hours or their time zone) changed; sent after the commit with
# `supplier_id`. conversations recomputes how well the new commitment is kept (conversations/apps.py).
response_commitment_changed = Signal()
