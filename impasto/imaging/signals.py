"""Signals other apps listen to: an asset's variants are all stored and visible."""

from __future__ import annotations

from django.dispatch import Signal

# Sent after the commit that moved an asset to ``ready`` (kwargs: ``asset``, a MediaAsset with
# its owner). Accounts uses it to show a new avatar or banner once it is processed.
asset_ready = Signal()
