"""Product search by name, SKU or barcode, as alternatives each read a page at a time through its own index.

SKU and barcode match as prefixes (their B-tree indexes), asked only for a
term that could start one (no spaces, only the characters a code may hold). Names match when
every word of the term starts a word of the name ("agua min" finds "Agua
mineral 625 ml"), through ProductWord: each word of the term is first spelled
out as the indexed words it starts, then the rarest one's products are read
in id order and each is checked for the others by key lookups, stopping at a
page. The cost follows the page and how often the words go together, not the
size of the catalogue. Terms with a word shorter than three characters match
names by prefix instead.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import BARCODE_PATTERN, SKU_PATTERN, ProductWord
from .words import MIN_WORD, search_words

MAX_WORDS = 8
# a word prefix standing for more words than this is read as one range and sorted, not word by word
MAX_EXPANSIONS = 16
SAMPLE = 200  # products of each word looked at to pick the rarest
# a code's characters at any length: a term is a prefix of some code only if it fits
_SKU_PREFIX = re.compile(SKU_PATTERN.replace("{1,64}", "+"))
_BARCODE_PREFIX = re.compile(BARCODE_PATTERN.replace("{1,64}", "+"))


@dataclass(frozen=True)
class NameWords:
    """The name alternative of a search: products whose name has a word starting with each of `words`."""

    words: tuple[str, ...]

    def window_ids(self, products: QuerySet, *, anchor: int | None, ascending: bool, limit: int) -> list[int]:
        """Up to `limit` ids of matching products in `products`, past `anchor`, nearest first."""
        # every word of the term as the indexed words it stands for ("min" -> mineral, mini, …)
        spelled = {word: _expansions(word) for word in dict.fromkeys(self.words)}
        if not all(spelled.values()):
            return []
        driver = _rarest(spelled) if len(spelled) > 1 else next(iter(spelled))
        candidates = ProductWord.objects.all()
        for word, expansions in spelled.items():
            if word == driver:
                continue
            if len(expansions) > MAX_EXPANSIONS:
                has_word = ProductWord.objects.filter(product_id=OuterRef("product_id"), word__istartswith=word)
            else:  # a point lookup on the (word, product) key per expansion
                has_word = ProductWord.objects.filter(word__in=expansions, product_id=OuterRef("product_id"))
            candidates = candidates.filter(Exists(has_word))
        if products.query.has_filters():
            candidates = candidates.filter(Exists(products.filter(pk=OuterRef("product_id"))))
        if anchor is not None:
            candidates = candidates.filter(product_id__gt=anchor) if ascending else candidates.filter(
                product_id__lt=anchor)
        order = "product_id" if ascending else "-product_id"
        if len(spelled[driver]) > MAX_EXPANSIONS:
            runs = [candidates.filter(word__istartswith=driver)]
        else:
            # one word's products come in id order from the (word, product) key: each run stops after `limit`
            runs = [candidates.filter(word=word) for word in spelled[driver]]
        ids: set[int] = set()
        for run in runs:
            ids.update(run.order_by(order).values_list("product_id", flat=True)[:limit])
        return sorted(ids, reverse=not ascending)[:limit]


def _rarest(spelled: dict[str, list[str]]) -> str:
    """The word whose products are sparsest, judged by how far in id its first SAMPLE products reach.

    Reading the rarest word's products means the fewest candidates to check per
    page; a sample of each word's first products (a short key range) shows
    which one that is without counting them all.
    """
    def reach(word: str) -> tuple[int, int]:
        first = list(ProductWord.objects.filter(word=spelled[word][0]).order_by("product_id")
                     .values_list("product_id", flat=True)[:SAMPLE])
        # fewer than a sample in all: rarest of all; otherwise the further the sample reaches, the rarer
        return (len(first) < SAMPLE, first[-1] if first else 0)

    return max(spelled, key=reach)


def _expansions(prefix: str) -> list[str]:
    """The indexed words starting with `prefix`, one more than MAX_EXPANSIONS at most (a loose index scan)."""
    return list(ProductWord.objects.filter(word__istartswith=prefix).order_by("word")
                .values_list("word", flat=True).distinct()[:MAX_EXPANSIONS + 1])


def search_conditions(term: str) -> list[Q | NameWords]:
    """Alternatives whose union is the search; each one alone reads through an index (no OR across indexes)."""
    term = term.strip()
    if not term:
        return []
    conditions: list[Q | NameWords] = []
    if _SKU_PREFIX.match(term):
        conditions.append(Q(sku__istartswith=term))
    if _BARCODE_PREFIX.match(term):
        conditions.append(Q(barcode__istartswith=term))
    words = search_words(term, MAX_WORDS)
    if words and all(len(w) >= MIN_WORD for w in words):
        conditions.append(NameWords(tuple(words)))
    else:
        conditions.append(Q(name__istartswith=term))
    return conditions
