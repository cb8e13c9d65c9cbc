"""The words of product names that name search uses: every run of letters and digits, three or more long."""
from __future__ import annotations

import re

MIN_WORD = 3  # shorter terms are searched as a name prefix instead
MAX_WORD = 64
_WORD = re.compile(r"\w+", re.UNICODE)


def name_words(name: str) -> set[str]:
    """The indexed words of a name, lower-cased (the column's collation also ignores case and accents)."""
    return {w[:MAX_WORD] for w in _WORD.findall(name.lower()) if len(w) >= MIN_WORD}


def search_words(term: str, limit: int) -> list[str]:
    """The words of a search term, in order, at most `limit` of them."""
    return _WORD.findall(term.lower())[:limit]
