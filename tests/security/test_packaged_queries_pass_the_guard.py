"""`alskg query run` skips the read-only guard's parse at run time (about 0.2 s of start-up).

That is sound only while every packaged query, as bound, is a query without SERVICE: this
test parses each with the same guard, with its defaults and with every parameter bound.
"""

from __future__ import annotations

import pytest

from alskg.queries import bind, catalogue
from alskg.readonly import FORMS, check_query

QUERIES = catalogue()


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_packaged_query_is_read_only_without_service(name: str) -> None:
    query = QUERIES[name]
    for text in (query.text, bind(query, {p.name: p.default for p in query.params})):
        checked = check_query(text)
        assert checked.form in FORMS.values()
        assert checked.services == ()
