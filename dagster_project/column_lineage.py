"""Which upstream columns each column of a dbt model is computed from, and by which SQL: parsed from the
model's compiled SQL by sqlglot, given the column types of the model and of its parents.

Dagster's open-source UI does not show column lineage, so these rows are also published as the mart
marts.column_lineage (dbt/models/marts/lineage/), beside the Dagster metadata dagster/column_lineage.
"""

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from sqlglot import MappingSchema, exp, parse_one, to_table
from sqlglot.expressions import normalize_table_name
from sqlglot.lineage import Node, lineage
from sqlglot.optimizer import optimize

logger = logging.getLogger(__name__)

Columns = dict[str, dict[str, str]]  # column name -> {"data_type": ...}, in table order
STEPS = " ← "  # between the expressions of a path, from the model's column down to the upstream column


@dataclass(frozen=True)
class Edge:
    """One upstream column of a model's column. upstream_id is None for a column computed from no column
    (a literal, count(*)); expression is None for a column passed through unchanged. Both are None, with
    parsed False, for a model sqlglot cannot read or follow whole (a Python model, UNPIVOT)."""

    column_name: str
    upstream_id: str | None
    upstream_column: str | None
    expression: str | None
    parsed: bool = True


def edges(
    sql: str,
    own: Columns,
    relation_name: str,
    parents: Mapping[str, tuple[str, Columns]],
    dialect: str,
) -> list[Edge]:
    """The edges of every column of the model, sorted; parents maps a parent's relation name to its dbt
    unique_id and columns."""
    try:
        return sorted(set(_parsed_edges(sql, own, relation_name, parents, dialect)), key=edge_order)
    except Exception as error:  # noqa: BLE001 - sqlglot cannot read every model (Python models, UNPIVOT)
        logger.info("no column lineage for %s: %s", relation_name, error)
        return [Edge(column, None, None, None, parsed=False) for column in sorted(own)]


def _parsed_edges(
    sql: str, own: Columns, relation_name: str, parents: Mapping[str, tuple[str, Columns]], dialect: str
) -> Iterator[Edge]:
    schema = MappingSchema(dialect=dialect)
    for relation, columns in [(relation_name, own), *((r, c) for r, (_, c) in parents.items())]:
        schema.add_table(
            to_table(relation, dialect=dialect),
            {name: meta["data_type"] for name, meta in columns.items()},
            dialect=dialect,
        )
    parent_ids = {
        normalize_table_name(to_table(r, dialect=dialect), dialect=dialect): i
        for r, (i, _) in parents.items()
    }
    # Optimised (columns qualified, stars expanded), then written out again: lineage() reparses it.
    with _sqlglot_warnings() as warnings:
        optimized = optimize(parse_one(sql, dialect=dialect), schema=schema, dialect=dialect).sql(
            dialect=dialect
        )
    if warnings:  # a scope sqlglot cannot traverse (UNPIVOT): its columns' lineage would be incomplete
        raise ValueError(warnings[0].getMessage())
    for column in own:
        with _sqlglot_warnings() as warnings:
            paths = list(_paths(lineage(column, optimized, schema=schema, dialect=dialect)))
        if warnings:  # likewise, for this column alone
            logger.info(
                "incomplete column lineage of %s.%s: %s", relation_name, column, warnings[0].getMessage()
            )
            yield Edge(column, None, None, None, parsed=False)
            continue
        found = False
        for path in paths:
            leaf = path[-1]
            table = leaf.expression.find(exp.Table)
            upstream_id = parent_ids.get(normalize_table_name(table, dialect=dialect)) if table else None
            steps = [_readable(node.expression, dialect) for node in path[:-1] if _transforms(node)]
            if upstream_id is None:  # no column read: the leaf's own expression computes it
                steps += [_readable(leaf.expression, dialect)] if not table else []
            upstream_column = exp.to_column(leaf.name).name if upstream_id else None
            found = True
            yield Edge(column, upstream_id, upstream_column, STEPS.join(steps) or None)
        if not found:
            yield Edge(column, None, None, None, parsed=False)


class _Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _sqlglot_warnings() -> Iterator[list[logging.LogRecord]]:
    """sqlglot's warnings, kept rather than printed: the rows say what they mean (parsed false); a user
    can do nothing about them."""
    sqlglot = logging.getLogger("sqlglot")
    kept, propagate = _Kept(), sqlglot.propagate
    sqlglot.addHandler(kept)
    sqlglot.propagate = False
    try:
        yield kept.records
    finally:
        sqlglot.removeHandler(kept)
        sqlglot.propagate = propagate


def edge_order(edge: Edge) -> tuple:
    return tuple("" if value is None else str(value) for value in vars(edge).values())


def _paths(root: Node) -> Iterator[list[Node]]:
    """Every path from the model's column to a leaf: a parent's column, or an expression of no column."""
    stack = [[root]]
    while stack:
        path = stack.pop()
        if not path[-1].downstream:
            yield path
        stack.extend([*path, child] for child in path[-1].downstream)


def _transforms(node: Node) -> bool:
    """Whether a step computes something, rather than pass a column on under its name or another."""
    expression = node.expression.this if isinstance(node.expression, exp.Alias) else node.expression
    return not isinstance(expression, exp.Column | exp.Table)


def _readable(expression: exp.Expression, dialect: str) -> str:
    """The expression without its alias, identifiers quoted only where they must be."""
    if isinstance(expression, exp.Alias):
        expression = expression.this
    unquoted = expression.copy().transform(
        lambda node: exp.to_identifier(node.name) if isinstance(node, exp.Identifier) else node
    )
    return unquoted.sql(dialect=dialect)
