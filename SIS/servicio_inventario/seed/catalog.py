"""A synthetic catalogue for load tests (bin/seed-data): categories and up to millions of products, in bulk.

Seeded products are numbered: SKU SD0000001, barcode 7790000000001, and a
name built from the number ("Agua mineral Andina 625 ml"), so a run tops up
what an earlier run made and the same number always means the same product.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

from django.db import transaction

from catalog.models import Category, Product, ProductWord
from catalog.words import name_words

SKU_PREFIX = "SD"
NOUNS = (
    "Agua", "Gaseosa", "Jugo", "Arroz", "Azúcar", "Aceite", "Fideos", "Harina", "Leche", "Yogur", "Queso",
    "Mantequilla", "Café", "Té", "Galletas", "Chocolate", "Atún", "Sardinas", "Lentejas", "Frijoles", "Avena",
    "Cereal", "Mermelada", "Mayonesa", "Ketchup", "Mostaza", "Sal", "Vinagre", "Detergente", "Jabón", "Champú",
    "Lejía", "Suavizante", "Papel", "Servilletas", "Pañales", "Pasta", "Cerveza", "Vino", "Pisco", "Snack",
    "Pan", "Tostadas", "Huevos", "Pollo", "Salchicha", "Jamón", "Helado", "Refresco", "Energizante",
)
VARIANTS = (
    "mineral", "light", "clásico", "integral", "natural", "premium", "extra", "familiar", "original", "tradicional",
    "orgánico", "dietético", "picante", "dulce", "suave", "intenso", "fresco", "especial", "casero", "selecto",
    "andino", "tropical", "silvestre", "dorado", "rojo", "verde", "blanco", "negro", "azul", "morado",
)
BRANDS = (
    "Andina", "Costeña", "Inca", "Pacífico", "Sol", "Cumbre", "Valle", "Amazonas", "Norteño", "Sureña",
    "Chasqui", "Mistura", "Qori", "Wari", "Moche", "Nazca", "Paracas", "Titicaca", "Colca", "Misti",
)
SIZES = ("250 ml", "500 ml", "625 ml", "1 L", "2 L", "3 L", "100 g", "250 g", "500 g", "1 kg", "2 kg", "5 kg",
         "6 un", "12 un", "24 un")
CATEGORIES = ("Bebidas", "Abarrotes", "Lácteos", "Limpieza", "Cuidado personal", "Desayuno", "Conservas",
              "Snacks", "Licores", "Panadería", "Carnes", "Congelados", "Bebés", "Salsas", "Menestras")


def product_values(number: int) -> dict:
    """The fields of seeded product `number` (1-based): always the same for the same number."""
    noun = NOUNS[number % len(NOUNS)]
    variant = VARIANTS[(number // len(NOUNS)) % len(VARIANTS)]
    brand = BRANDS[(number // (len(NOUNS) * len(VARIANTS))) % len(BRANDS)]
    size = SIZES[(number * 7) % len(SIZES)]
    cents = 50 + (number * 7919) % 9950  # 0.50 to 99.99
    return {
        "sku": f"{SKU_PREFIX}{number:07d}", "barcode": f"779{number:010d}", "name": f"{noun} {variant} {brand} {size}",
        "price": Decimal(cents) / 100, "cost": (Decimal(cents) * 7 // 10) / 100,
    }


SEARCH_SAMPLE = 1500  # "Agua mineral …": one seeded product in 1,500 shares its first two words


def search_term(number: int = SEARCH_SAMPLE) -> str:
    """Two words of a seeded product's name: how a cashier searches, matching a small share of the catalogue."""
    values = product_values(number)
    return " ".join(values["name"].split()[:2])


@transaction.atomic
def seed_categories_ensure() -> list[int]:
    have = dict(Category.objects.filter(name__in=CATEGORIES).values_list("name", "id"))
    Category.objects.bulk_create([Category(name=n) for n in CATEGORIES if n not in have])
    return list(Category.objects.filter(name__in=CATEGORIES).order_by("id").values_list("id", flat=True))


def seeded_product_count() -> int:
    return Product.objects.using("default").filter(sku__startswith=SKU_PREFIX).count()


def seed_products_ensure(*, total: int, batch: int = 5000, advance: Callable[[int], None] = lambda n: None) -> int:
    """Create seeded products up to `total` of them, one transaction per batch; how many were created."""
    categories = seed_categories_ensure()
    first = seeded_product_count() + 1
    for numbers in _batches(range(first, total + 1), batch):
        _insert_products(numbers, categories)
        advance(len(numbers))
    return max(total + 1 - first, 0)


@transaction.atomic
def _insert_products(numbers: range, categories: list[int]) -> None:
    products = Product.objects.bulk_create([
        Product(category_id=categories[n % len(categories)], **product_values(n)) for n in numbers
    ])
    # the words name search reads, as services.product_create gives them one product at a time
    ProductWord.objects.bulk_create([ProductWord(word=w, product=p) for p in products for w in name_words(p.name)],
                                    ignore_conflicts=True, batch_size=10000)


def _batches(numbers: range, size: int) -> Iterator[range]:
    for start in range(numbers.start, numbers.stop, size):
        yield range(start, min(start + size, numbers.stop))
