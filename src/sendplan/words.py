"""Words that agree with their numbers: the one plural helper.

``plural(1, "item")`` is ``1 item``; ``plural(2, "item")`` is ``2 items``;
irregular words give their plural (``plural(n, "query", "queries")``).
Plain text, no Rich: the core's messages use it too.
"""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None, *, number: bool = True) -> str:
    """``count`` and ``word``, the word in the plural unless the count is 1.

    Counts of 1,000 or more are grouped (``1,200 rows``); ``number=False``
    gives the word alone, for a sentence that says the number elsewhere.
    """
    form = word if count == 1 else (many or word + "s")
    return f"{count:,} {form}" if number else form
