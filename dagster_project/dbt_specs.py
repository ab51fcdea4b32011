"""The dbt models, seeds and tests as Dagster asset and check specs, read from dbt's manifest.

They are the specs dagster-dbt's translator makes (tests/test_dbt_specs.py compares every field), built
here because importing dagster-dbt imports dbt-core: 1.2 s of every load of the definitions (the command
line, the webserver, `dg`, the tests), when only a dbt step needs dbt. dagster-dbt is imported by the
steps that run dbt (dbt_in_process.py), which hand it the manifest and its default translator; the keys
are the same. What the translator would read from a node's `meta.dagster` beside a group (asset keys,
owners, automation) is refused by name rather than ignored.
"""

from __future__ import annotations

import hashlib
import json
import textwrap
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from dagster import AssetCheckSpec, AssetDep, AssetKey, AssetSpec, MetadataValue, TableColumn, TableSchema

from dagster_project.resources import DBT_MANIFEST

Manifest = Mapping[str, Any]
ASSET_TYPES = ("model", "seed", "snapshot")
# What dagster-dbt's metadata names the node's dbt unique_id by: its runtime finds the nodes to select by it.
UNIQUE_ID = "dagster_dbt/unique_id"
LINEAGE = "lineage"  # the column-lineage mart's tag (transform.py)
SUPPORTED_DAGSTER_META = {"group"}


@cache
def manifest() -> Manifest:
    """The manifest `make setup` writes (`dbt parse`), read once per process."""
    if not DBT_MANIFEST.is_file():
        raise FileNotFoundError(f"{DBT_MANIFEST} is missing: run `make setup` (it parses the dbt project)")
    return json.loads(DBT_MANIFEST.read_text(encoding="utf-8"))


def build_specs(
    manifest: Manifest, select: str, exclude: str | None
) -> tuple[list[AssetSpec], list[AssetCheckSpec]]:
    """The asset specs of the models and seeds `--select select --exclude exclude` builds (tags and fqn:*
    only), with the dbt tests attached to them as check specs."""
    nodes = manifest["nodes"]
    selecting, excluding = _methods(select), _methods(exclude or "")
    chosen = {
        unique_id
        for unique_id, node in nodes.items()
        if _selected(manifest, node, selecting) and not _selected(manifest, node, excluding)
    }
    specs, checks = [], {}
    for unique_id in sorted(chosen):
        node = nodes[unique_id]
        if node["resource_type"] not in ASSET_TYPES or _ephemeral(node):
            continue
        spec = asset_spec(manifest, unique_id)
        specs.append(spec)
        for test_id in manifest["child_map"].get(unique_id, []):
            attached = test_id.startswith("test.") and _attached_to(manifest, test_id) == unique_id
            if test_id in chosen and attached:
                checks[test_id] = _check_spec(manifest, test_id, spec.key)
    return specs, list(checks.values())


def asset_key(node: Mapping[str, Any]) -> AssetKey:
    if node["resource_type"] == "source":
        return AssetKey([node["source_name"], node["name"]])
    if node.get("version"):
        return AssetKey([node["alias"]])
    schema = node["config"].get("schema")
    return AssetKey([schema, node["name"]] if schema is not None else [node["name"]])


def asset_spec(manifest: Manifest, unique_id: str) -> AssetSpec:
    node = _node(manifest, unique_id)
    meta = node.get("meta", {}).get("dagster", {})
    unsupported = set(meta) - SUPPORTED_DAGSTER_META
    if unsupported:
        raise ValueError(
            f"{node['original_file_path']}: meta.dagster {sorted(unsupported)} is not read here "
            f"(dagster_project/dbt_specs.py reads {sorted(SUPPORTED_DAGSTER_META)})"
        )
    adapter = manifest["metadata"]["adapter_type"]
    code = node.get("raw_code") or ""
    metadata: dict[str, Any] = {
        "dagster-dbt/materialization_type": node["config"].get("materialized"),
        **_table_metadata(node),
        UNIQUE_ID: unique_id,
        "dagster/storage_kind": adapter,
        "dagster_dbt/project_id": MetadataValue.text(manifest["metadata"]["project_id"]),
    }
    return AssetSpec(
        key=asset_key(node),
        deps=sorted(
            (_dep(manifest, upstream) for upstream in _upstreams(manifest, node)),
            key=lambda dep: dep.asset_key.to_user_string(),
        ),
        description="\n\n".join(
            [
                node.get("description") or f"dbt {node['resource_type']} {node['name']}",
                f"#### Raw SQL:\n```sql\n{textwrap.indent(code, '    ')}\n```",
            ]
        ),
        metadata={name: value for name, value in metadata.items() if value is not None},
        skippable=True,
        group_name=meta.get("group") or node["config"].get("group"),
        code_version=hashlib.sha1(code.encode()).hexdigest() if code else node["checksum"]["checksum"],
        tags={tag: "" for tag in node.get("tags", [])},
        kinds={"dbt", adapter},
    )


def _upstreams(manifest: Manifest, node: Mapping[str, Any]) -> list[str]:
    """The models, seeds and sources a node reads (through ephemeral models); the column-lineage mart's
    are every other model instead of the warehouse table it reads: its rows are theirs, stored once each
    of them is built (that table, written by no asset, would stand in the graph as an input)."""
    if LINEAGE in node.get("tags", []):
        return sorted(
            unique_id
            for unique_id, other in manifest["nodes"].items()
            if other["resource_type"] == "model" and LINEAGE not in other["tags"]
        )
    found: list[str] = []
    for parent in node.get("depends_on", {}).get("nodes", []):
        parent_node = _node(manifest, parent)
        if _ephemeral(parent_node):
            found.extend(_upstreams(manifest, parent_node))
        elif parent_node["resource_type"] in (*ASSET_TYPES, "source") and parent not in found:
            found.append(parent)
    return found


def _dep(manifest: Manifest, unique_id: str) -> AssetDep:
    """A source read carries its table's metadata (its name, columns and storage)."""
    node = _node(manifest, unique_id)
    if node["resource_type"] != "source":
        return AssetDep(asset_key(node))
    metadata = {**_table_metadata(node), "dagster/storage_kind": manifest["metadata"]["adapter_type"]}
    return AssetDep(asset_key(node), metadata={k: v for k, v in metadata.items() if v is not None})


def _table_metadata(node: Mapping[str, Any]) -> dict[str, Any]:
    columns = node.get("columns", {})
    source_name = node["name"] if node["resource_type"] == "source" else None
    relation = [node.get("database"), node.get("schema"), node.get("alias"), source_name]
    return {
        "dagster/column_schema": TableSchema(
            columns=[
                TableColumn(
                    name=name,
                    type=column.get("data_type") or "?",
                    description=column.get("description"),
                    tags={tag: "" for tag in column.get("tags", [])},
                )
                for name, column in columns.items()
            ]
        )
        if columns
        else None,
        "dagster/table_name": ".".join(part for part in relation if part) or None,
    }


def _check_spec(manifest: Manifest, test_id: str, key: AssetKey) -> AssetCheckSpec:
    test = manifest["nodes"][test_id]
    severity = test.get("config", {}).get("severity") or "error"
    return AssetCheckSpec(
        name=test["name"],
        asset=key,
        description=test.get("meta", {}).get("description"),
        additional_deps={
            asset_key(_node(manifest, parent)) for parent in manifest["parent_map"].get(test_id, [])
        }
        - {key},
        metadata={UNIQUE_ID: test_id},
        blocking=severity.lower() == "error",
    )


def _attached_to(manifest: Manifest, test_id: str) -> str | None:
    """The node a test is a check of: the one its `meta.dagster.ref` names, else the only one it reads,
    else the one it is attached to."""
    test = manifest["nodes"][test_id]
    ref = (test.get("config", {}).get("meta") or test.get("meta", {})).get("dagster", {}).get("ref")
    if ref:
        wanted = (ref["name"], ref.get("package") or manifest["metadata"]["project_name"], ref.get("version"))
        return next(
            (
                unique_id
                for unique_id, node in manifest["nodes"].items()
                if (node["name"], node["package_name"], node.get("version")) == wanted
            ),
            None,
        )
    parents = set(test["depends_on"]["nodes"])
    return next(iter(parents)) if len(parents) == 1 else test.get("attached_node")


def _selected(manifest: Manifest, node: Mapping[str, Any], methods: list[tuple[str, str]]) -> bool:
    """dbt's selection of a node by a union of `tag:` and `fqn:*` methods; a test also through the nodes
    it tests (dbt's eager indirect selection, its default)."""
    parents = node["depends_on"]["nodes"] if node["resource_type"] == "test" else []
    return any(_matches(candidate, methods) for candidate in [node, *(_node(manifest, p) for p in parents)])


def _methods(expression: str) -> list[tuple[str, str]]:
    methods = [tuple(method.partition(":")[::2]) for method in expression.split()]
    unread = [f"{kind}:{value}" for kind, value in methods if kind != "tag" and (kind, value) != ("fqn", "*")]
    if unread:
        raise ValueError(f"dbt selection {unread}: dbt_specs.py reads tag:<name> and fqn:* only")
    return methods


def _matches(node: Mapping[str, Any], methods: Iterable[tuple[str, str]]) -> bool:
    return any(kind == "fqn" or value in node.get("tags", []) for kind, value in methods)


def _ephemeral(node: Mapping[str, Any]) -> bool:
    return node["resource_type"] == "model" and node["config"].get("materialized") == "ephemeral"


def _node(manifest: Manifest, unique_id: str) -> Mapping[str, Any]:
    return manifest["nodes"].get(unique_id) or manifest["sources"][unique_id]
