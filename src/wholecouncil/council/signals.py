"""Signals other modules listen to, so the council app never needs to know about them."""

from django.dispatch import Signal

# Sent by `council_create` once the council and its operating model exist; keyword argument: council.
council_created = Signal()
