"""The product import: a whole CSV/XLSX catalogue validated first, then written in bulk in one transaction."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from sis_common.bounds import MONEY_PATTERN, RATE_PATTERN
from sis_common.errors import DomainError
from sis_common.sucursales_client import company_get

from .models import BARCODE_PATTERN, SKU_MESSAGE, SKU_PATTERN, Category, Product, ProductWord
from .tables import RowError, TableRefused, table_read
from .words import name_words

REQUIRED = ("sku", "name", "price")
OPTIONAL = ("barcode", "category", "cost", "tax_rate", "is_active")
COLUMNS = ("sku", "name", "barcode", "category", "price", "cost", "tax_rate", "is_active")
BATCH = 1000
# what a query may name at once: well under max_allowed_packet and the optimizer's range limits
LOOKUP_CHUNK = 2000
TRUE, FALSE = frozenset({"true", "1", "yes", "si", "sí", "y"}), frozenset({"false", "0", "no", "n"})
_sku, _barcode = re.compile(SKU_PATTERN), re.compile(BARCODE_PATTERN)
_money, _rate = re.compile(MONEY_PATTERN), re.compile(RATE_PATTERN)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "errors": [error.as_dict() for error in self.errors]}


def import_refused(result: ImportResult) -> DomainError:
    """400 with the import's body (counts and every row error); nothing was stored."""
    return DomainError(f"The file has {len(result.errors)} error(s); nothing was stored.", "import_invalid", 400,
                       **result.as_dict())


def table_or_refused(upload, *, required: tuple[str, ...], optional: tuple[str, ...]):
    try:
        return table_read(upload, required=required, optional=optional)
    except TableRefused as exc:
        raise import_refused(ImportResult(errors=exc.errors)) from None


@transaction.atomic
def product_import(*, upload, dry_run: bool = False) -> ImportResult:
    """Create the file's new SKUs and update the known ones; any row error (or a dry run) stores nothing."""
    table = table_or_refused(upload, required=REQUIRED, optional=OPTIONAL)
    given = [c for c in COLUMNS if c in table.columns]
    result = ImportResult()
    parsed = _rows_parsed(table.rows, result.errors)
    existing = _existing_by_sku([values["sku"] for _, values in parsed])
    _barcodes_check(parsed, existing, result.errors)
    if result.errors:
        raise import_refused(result)
    categories = _categories_by_name(list(dict.fromkeys(values["category"] for _, values in parsed
                                                        if values.get("category"))), create=not dry_run)
    creates, updates = [], []
    default_rate = None
    for _, values in parsed:
        product = existing.get(values["sku"])
        if product is None:
            if values.get("tax_rate") is None:
                default_rate = default_rate or Decimal(company_get()["default_tax_rate"])
            creates.append(Product(sku=values["sku"], name=values["name"], price=values["price"],
                                   barcode=values.get("barcode"), category=categories.get(values.get("category")),
                                   cost=values.get("cost") or Decimal("0.00"),
                                   tax_rate=values["tax_rate"] if values.get("tax_rate") is not None else default_rate,
                                   is_active=values["is_active"] if values.get("is_active") is not None else True))
        elif _apply(product, values, given, categories):
            updates.append(product)
        else:
            result.unchanged += 1
    result.created, result.updated = len(creates), len(updates)
    if not dry_run:
        _write(creates, updates, given)
    return result


def _rows_parsed(rows, errors: list[RowError]) -> list[tuple[int, dict]]:
    seen: dict[str, int] = {}
    parsed = []
    for number, cells in rows:
        values, before = {}, len(errors)

        def bad(column: str, message: str) -> None:
            errors.append(RowError(number, column, message))

        sku = cells["sku"]
        if not _sku.fullmatch(sku):
            bad("sku", SKU_MESSAGE if sku else "Required.")
        elif sku in seen:
            bad("sku", f"SKU {sku!r} appears again (first in row {seen[sku]}).")
        else:
            seen[sku] = number
        values["sku"] = sku
        name = cells["name"]
        if not name or len(name) > 200:
            bad("name", "Required, at most 200 characters.")
        values["name"] = name
        for column in ("price", "cost"):
            if column in cells:
                text = cells[column].replace(",", ".") if cells[column].count(",") == 1 and "." not in cells[column] \
                    else cells[column]
                if column == "cost" and text == "":
                    continue
                if not _money.fullmatch(text):
                    bad(column, f"Not an amount: {cells[column]!r} (0..9999999999.99, at most 2 places).")
                else:
                    values[column] = Decimal(text).quantize(Decimal("0.01"))
        if "barcode" in cells:
            barcode = cells["barcode"]
            if barcode and not _barcode.fullmatch(barcode):
                bad("barcode", "Letters, digits and - only, at most 64.")
            values["barcode"] = barcode or None
        if "category" in cells:
            category = cells["category"]
            if len(category) > 120:
                bad("category", "At most 120 characters.")
            values["category"] = category or None
        if "tax_rate" in cells and cells["tax_rate"] != "":
            text = cells["tax_rate"]
            if not _rate.fullmatch(text):
                bad("tax_rate", f"Not a rate 0..1 with at most 4 places (0.18 = 18 %): {text!r}.")
            else:
                values["tax_rate"] = Decimal(text).quantize(Decimal("0.0001"))
        if "is_active" in cells and cells["is_active"] != "":
            flag = cells["is_active"].lower()
            if flag not in TRUE | FALSE:
                bad("is_active", f"Not true or false: {cells['is_active']!r}.")
            values["is_active"] = flag in TRUE
        if len(errors) == before:
            parsed.append((number, values))
    return parsed


def _existing_by_sku(skus: list[str]) -> dict[str, Product]:
    found = {}
    for start in range(0, len(skus), LOOKUP_CHUNK):
        chunk = skus[start:start + LOOKUP_CHUNK]
        found.update((p.sku, p) for p in Product.objects.select_for_update().select_related("category").filter(sku__in=chunk))
    return found


def _barcodes_check(parsed, existing: dict[str, Product], errors: list[RowError]) -> None:
    """A barcode once in the file, and not another SKU's in the catalogue."""
    first: dict[str, int] = {}
    for number, values in parsed:
        barcode = values.get("barcode")
        if barcode is None:
            continue
        if barcode in first:
            errors.append(RowError(number, "barcode", f"Barcode {barcode!r} appears again (first in row "
                                                      f"{first[barcode]})."))
        else:
            first[barcode] = number
    rows_by_barcode = {values["barcode"]: (number, values["sku"]) for number, values in parsed if values.get("barcode")}
    barcodes = list(rows_by_barcode)
    for start in range(0, len(barcodes), LOOKUP_CHUNK):
        holders = Product.objects.filter(barcode__in=barcodes[start:start + LOOKUP_CHUNK]).values_list("barcode", "sku")
        for barcode, sku in holders:
            number, row_sku = rows_by_barcode[barcode]
            if sku != row_sku:
                errors.append(RowError(number, "barcode", f"Barcode {barcode!r} belongs to product {sku}."))


def _categories_by_name(names: list[str], *, create: bool) -> dict[str, Category | None]:
    """The categories the file names, by name; those not there yet are created, spelt as first written in the
    file (on a dry run, only pretended)."""
    found = {c.name.casefold(): c for c in Category.objects.filter(name__in=names)} if names else {}
    missing = {}
    for name in names:
        if name.casefold() not in found:
            missing.setdefault(name.casefold(), name)
    missing = list(missing.values())
    if missing:
        if create:
            Category.objects.bulk_create([Category(name=name) for name in missing], batch_size=BATCH)
            found.update((c.name.casefold(), c) for c in Category.objects.filter(name__in=missing))
        else:
            found.update((name.casefold(), Category(name=name)) for name in missing)
    return {name: found[name.casefold()] for name in names}


def _apply(product: Product, values: dict, given: list[str], categories: dict) -> bool:
    """Set the row's values on the product; whether anything changed."""
    changed = False
    for column in given:
        if column not in values:
            continue  # an empty optional cell keeps the product's value
        value = categories.get(values[column]) if column == "category" else values[column]
        current = product.category if column == "category" else getattr(product, column)
        if column == "category":
            same = (current is None and value is None) or (current is not None and value is not None
                                                              and current.name == value.name)
        else:
            same = current == value
        if not same:
            setattr(product, column, value)
            changed = True
    return changed


def _write(creates: list[Product], updates: list[Product], given: list[str]) -> None:
    now = timezone.now()
    for product in creates:
        product.created_at = product.updated_at = now
    Product.objects.bulk_create(creates, batch_size=BATCH)
    ids = _ids_by_sku([p.sku for p in creates])
    words = [ProductWord(word=w, product_id=ids[p.sku]) for p in creates for w in name_words(p.name)]
    if updates:
        for product in updates:
            product.updated_at = now
        fields = [c for c in given if c != "sku"] + ["updated_at"]
        Product.objects.bulk_update(updates, fields, batch_size=BATCH)
        if "name" in given:
            renamed = [p.pk for p in updates]
            for start in range(0, len(renamed), LOOKUP_CHUNK):
                ProductWord.objects.filter(product_id__in=renamed[start:start + LOOKUP_CHUNK]).delete()
            words += [ProductWord(word=w, product_id=p.pk) for p in updates for w in name_words(p.name)]
    # ignore_conflicts: the column's collation holds "azúcar" and "azucar" as one word
    ProductWord.objects.bulk_create(words, batch_size=BATCH * 5, ignore_conflicts=True)


def _ids_by_sku(skus: list[str]) -> dict[str, int]:
    ids = {}
    for start in range(0, len(skus), LOOKUP_CHUNK):
        ids.update(Product.objects.filter(sku__in=skus[start:start + LOOKUP_CHUNK]).values_list("sku", "id"))
    return ids
