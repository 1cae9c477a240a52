"""Quoting for SQL text built by hand (triggers, DDL, compiled tile and feed statements): the one place an identifier
or a literal enters SQL text, through psycopg.sql. Values of a query are parameters, never literals."""

from __future__ import annotations

from psycopg import sql


def ident(*names: str) -> str:
    """A double-quoted identifier, qualified when given several parts: ``ident("a", "b")`` is ``"a"."b"``."""
    if any("\x00" in name for name in names):
        raise ValueError("identifier contains NUL")
    return sql.Identifier(*names).as_string()


def literal(value) -> str:
    """A quoted literal, where PostgreSQL takes no parameter (a trigger's arguments, a function body)."""
    return sql.Literal(value).as_string()
