"""Reads of the company settings."""
from __future__ import annotations

from .models import SINGLETON_ID, Company


def company_get() -> Company:
    """The saved settings, or the defaults (unsaved) when no admin has saved any yet.

    Read on the primary: tills act on the answer at once (a changed limit counts now).
    """
    return Company.objects.using("default").filter(pk=SINGLETON_ID).first() or Company(pk=SINGLETON_ID)
