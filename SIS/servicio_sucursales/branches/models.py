"""Branch model: a shop with a unique code; deleting deactivates so history keeps it."""
from django.db import models


class Branch(models.Model):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=120, db_index=True)
    address = models.CharField(max_length=255, blank=True, default="")
    city = models.CharField(max_length=80, blank=True, default="", db_index=True)
    phone = models.CharField(max_length=40, blank=True, default="")
    is_active = models.BooleanField(default=True, db_index=True)
    # printed above and below the lines of every receipt of this branch
    receipt_header = models.CharField(max_length=500, blank=True, default="")
    receipt_footer = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
