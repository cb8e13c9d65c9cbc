"""Catalogue: categories and products (unique SKU, optional unique barcode, decimal price and cost, tax rate)."""
from decimal import Decimal

from django.core.validators import RegexValidator
from django.db import models

# What a SKU or barcode may hold; the API, the admin and search (catalog.search) share these.
SKU_PATTERN = r"^[A-Za-z0-9._/-]{1,64}$"
BARCODE_PATTERN = r"^[A-Za-z0-9-]{1,64}$"
SKU_MESSAGE = "Letters, digits and . _ / - only, at most 64."
BARCODE_MESSAGE = "Letters, digits and - only, at most 64."


class Category(models.Model):
    name = models.CharField(max_length=120, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    sku = models.CharField(max_length=64, unique=True, validators=[RegexValidator(SKU_PATTERN, SKU_MESSAGE)])
    # NULL, not "", when absent: the unique index admits many NULLs
    barcode = models.CharField(max_length=64, unique=True, null=True, blank=True,
                               validators=[RegexValidator(BARCODE_PATTERN, BARCODE_MESSAGE)])
    name = models.CharField(max_length=200)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT, related_name="products")
    price = models.DecimalField(max_digits=12, decimal_places=2)
    cost = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    # a fraction (0.1800 = 18 %; 0 = exempt); a product created without one gets the company's (services)
    tax_rate = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0.1800"))
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        # InnoDB appends the primary key to every secondary index, so each of these also
        # serves "filter, then ORDER BY id" for keyset pages; name search reads ProductWord.
        indexes = [
            models.Index(fields=["name"], name="product_name"),
            models.Index(fields=["is_active"], name="product_active"),
            models.Index(fields=["category", "is_active"], name="product_category_active"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gte=0), name="product_price_not_negative"),
            models.CheckConstraint(condition=models.Q(cost__gte=0), name="product_cost_not_negative"),
            models.CheckConstraint(condition=models.Q(tax_rate__gte=0, tax_rate__lte=1), name="product_tax_rate_0_to_1"),
        ]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


class ProductWord(models.Model):
    """One word of a product's name: the index a name search walks in product order (catalog.search).

    Keyed by (word, product), so one word's products come in id order and a
    page of results is read without looking at the rest; the (product, word)
    index answers "does this product have a word starting with …".
    """

    pk = models.CompositePrimaryKey("word", "product")
    word = models.CharField(max_length=64)
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        indexes = [models.Index(fields=["product", "word"], name="product_word_by_product")]

    def __str__(self) -> str:
        return f"{self.word} -> {self.product_id}"
