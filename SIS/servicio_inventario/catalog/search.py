"""Product search by name, SKU or barcode, as conditions each served by its own index."""
from __future__ import annotations

import re

from django.db.models import Lookup, Q

from .models import Product

# InnoDB indexes words of at least innodb_ft_min_token_size (3) characters
FULLTEXT_MIN_WORD = 3
MAX_WORDS = 8
_WORD = re.compile(r"\w+", re.UNICODE)


class FullTextMatch(Lookup):
    """`name__match="+agua* +mineral*"`: MATCH ... AGAINST in boolean mode, using the FULLTEXT index."""

    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"MATCH ({lhs}) AGAINST ({rhs} IN BOOLEAN MODE)", [*lhs_params, *rhs_params]


Product._meta.get_field("name").register_lookup(FullTextMatch)


def search_conditions(term: str) -> list[Q]:
    """Alternatives whose union is the search; each one alone can use an index (no OR across indexes)."""
    term = term.strip()
    if not term:
        return []
    conditions = [Q(sku__istartswith=term), Q(barcode__istartswith=term)]
    words = _WORD.findall(term)[:MAX_WORDS]
    if words and all(len(w) >= FULLTEXT_MIN_WORD for w in words):
        # every word must start a word of the name: "agua min" finds "Agua mineral 625 ml"
        conditions.append(Q(name__match=" ".join(f"+{w}*" for w in words)))
    else:
        conditions.append(Q(name__istartswith=term))
    return conditions
