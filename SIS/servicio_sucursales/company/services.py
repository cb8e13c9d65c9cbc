"""Writes of the company settings."""
from __future__ import annotations

from django.db import transaction

from rest_framework.exceptions import ValidationError

from .models import SINGLETON_ID, Company

EDITABLE = frozenset({"name", "legal_name", "tax_id", "currency", "prices_include_tax", "default_tax_rate",
                      "return_days", "discount_limit_cashier", "discount_limit_manager", "cash_out_limit"})


@transaction.atomic
def company_update(**fields) -> Company:
    """Change some settings; a cashier's discount limit above the manager's is refused (400), nothing stored."""
    company, _ = Company.objects.select_for_update().get_or_create(pk=SINGLETON_ID)
    for name, value in fields.items():
        if name in EDITABLE:
            setattr(company, name, value)
    if company.discount_limit_cashier > company.discount_limit_manager:
        message = "The cashier's discount limit cannot be above the manager's."
        raise ValidationError({"discount_limits": [message]}, code="discount_limits_inverted")
    company.save()
    return company
