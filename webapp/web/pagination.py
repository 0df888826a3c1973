"""The page number of a paginated list, from the query string."""
from __future__ import annotations

from flask import request

MAX_PAGE = 10_000


def page_arg() -> int:
    """``?page=N`` as an int in 1..MAX_PAGE; anything else is page 1."""
    try:
        return max(1, min(int(request.args.get("page", 1)), MAX_PAGE))
    except ValueError:
        return 1
