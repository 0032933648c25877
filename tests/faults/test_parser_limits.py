"""The read-only guard's parser on hostile and on large but honest queries: one line, never a traceback."""

from __future__ import annotations

import pytest

from alskg.errors import InputError
from alskg.readonly import check_query


def nested(depth: int) -> str:
    return "SELECT * WHERE " + "{ ?s ?p ?o " * depth + "}" * depth


def test_deeply_nested_query_is_one_line_error() -> None:
    with pytest.raises(InputError, match="nested too deeply") as caught:
        check_query(nested(100_000))
    assert "\n" not in str(caught.value)


def test_realistic_nesting_is_parsed() -> None:
    assert check_query(nested(100)).form == "SELECT"


def test_escape_that_is_no_code_point_is_a_syntax_error() -> None:
    with pytest.raises(InputError, match="SPARQL syntax error"):
        check_query('SELECT * WHERE { ?s ?p "\\U7FFFFFFF" }')
