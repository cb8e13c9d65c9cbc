"""Suppliers and the products each sells; a supplier is deactivated, never deleted, so orders keep it."""
from django.db import models


class Supplier(models.Model):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=120, db_index=True)
    # the supplier's RUC (sis_common.tax_ids), one supplier per taxpayer
    tax_id = models.CharField(max_length=11, unique=True)
    email = models.EmailField(max_length=254, blank=True, default="")
    phone = models.CharField(max_length=40, blank=True, default="")
    address = models.CharField(max_length=255, blank=True, default="")
    payment_terms_days = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SupplierProduct(models.Model):
    """A product of servicio_inventario (its id) as this supplier sells it."""

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="products")
    product = models.BigIntegerField(db_index=True)
    supplier_sku = models.CharField(max_length=40, blank=True, default="")
    unit_cost = models.DecimalField(max_digits=12, decimal_places=2)
    # units per pack the supplier ships: reorder quantities are rounded up to it
    pack_size = models.PositiveIntegerField(default=1)
    lead_time_days = models.PositiveSmallIntegerField(default=0)
    is_preferred = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["supplier", "product"], name="supplier_product_once")]

    def __str__(self) -> str:
        return f"{self.supplier_id}/{self.product}"
