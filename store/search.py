"""Names as the hires list searches them: case, accents, apostrophes and punctuation ignored,
so "jose", "JOSÉ" and "José" find José, and "obrien" finds O'Brien.

The recorder stores each hire's folded candidate name (``Hire.search_name``); a search folds
its words the same way and asks for each in turn (``LIKE``, on SQLite and PostgreSQL alike).
"""

from __future__ import annotations

import re
import unicodedata

APOSTROPHES = re.compile(r"['\u2019\u02bc`]")
NOT_WORD = re.compile(r"[\W_]+")
MAX_WORDS = 6  # a search for more words than this is refused by nothing, just cut here


def folded(text: str) -> str:
    """``text`` in lower case, without accents or punctuation, words separated by one space."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = APOSTROPHES.sub("", bare.casefold())
    return NOT_WORD.sub(" ", bare).strip()


def words(query: str) -> list[str]:
    """The folded words of a search (at most ``MAX_WORDS``); none for a blank one."""
    return folded(query).split()[:MAX_WORDS]


def matches(query: str, text: str) -> bool:
    """Whether every word of ``query`` is part of ``text``, both folded (what the store's
    search does, for lists small enough to filter in Python)."""
    haystack = folded(text)
    return all(word in haystack for word in words(query))
