"""Quoting for the few DuckDB statements that take no parameters (ATTACH, COMMENT ON, COPY ... TO)."""


def literal(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"
