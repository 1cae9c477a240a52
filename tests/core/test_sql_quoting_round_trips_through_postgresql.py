"""core.sql is the one place identifiers and literals enter hand-built SQL text: whatever the name or the text, what
PostgreSQL reads back is exactly what was quoted."""

import pytest
from django.db import connection

from core.sql import ident, literal

AWKWARD = ['plain', 'with "quotes"', "it's", "路名 with spaces", "semi; DROP TABLE x; --", "back\\slash", ""]

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", AWKWARD)
def test_a_literal_reads_back_as_the_same_text(text):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {literal(text)}::text")
        assert cursor.fetchone()[0] == text


@pytest.mark.parametrize("name", [n for n in AWKWARD if n])
def test_an_identifier_names_exactly_that_table_and_column(name):
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {ident(name)} ({ident(name)} int)")
        cursor.execute("SELECT c.relname, a.attname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid"
                       " WHERE c.oid = %s::regclass AND a.attnum = 1", [ident(name)])
        assert cursor.fetchone() == (name, name)


def test_a_qualified_identifier_quotes_each_part():
    # "pg_catalog"."pg_class"
    assert ident("pg_catalog", "pg_class") == '"pg_catalog"."pg_class"'


def test_an_identifier_with_a_nul_is_refused():
    with pytest.raises(ValueError, match="NUL"):
        ident("a\x00b")
