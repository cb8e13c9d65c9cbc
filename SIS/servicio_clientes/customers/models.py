"""Customers and their identity documents; a customer is deactivated or anonymized, never deleted, so sales keep the id."""
from django.db import models
from django.db.models import Value
from django.db.models.functions import NullIf


class DocType(models.TextChoices):
    DNI = "dni", "DNI"
    RUC = "ruc", "RUC"
    CE = "ce", "Carné de extranjería"
    PASSPORT = "passport", "Passport"
    NONE = "none", "No document"


class Customer(models.Model):
    doc_type = models.CharField(max_length=8, choices=DocType.choices, default=DocType.NONE)
    # digits or upper-case letters as customers.documents normalizes them; "" exactly when doc_type is none
    doc_number = models.CharField(max_length=12, blank=True, default="", db_index=True)
    # NULL for "" so that the unique pair below holds any number of customers without a document
    # (MariaDB has no partial unique index; NULLs never clash)
    doc_key = models.GeneratedField(expression=NullIf("doc_number", Value("")),
                                    output_field=models.CharField(max_length=12, null=True), db_persist=True)
    name = models.CharField(max_length=120, db_index=True)
    email = models.EmailField(max_length=254, blank=True, default="")
    phone = models.CharField(max_length=40, blank=True, default="", db_index=True)
    address = models.CharField(max_length=255, blank=True, default="")
    # the balance of the points ledger: written only by loyalty/ledger.py (row lock, F()); read-only in the API,
    # and every other write of a customer names its fields (save(update_fields=...)) so it never writes a stale one
    points = models.PositiveBigIntegerField(default=0)
    is_active = models.BooleanField(default=True, db_index=True)
    # set once by customer_anonymize: the row no longer names anybody and is not edited again
    anonymized_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["doc_type", "doc_key"], name="customer_document_once")]

    def __str__(self) -> str:
        return self.name
