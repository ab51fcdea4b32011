"""The definitions, by domain: Dagster loads every module under this folder (its defs-folder loading of the
defs module of [tool.dg] in pyproject.toml, definitions.py), so an asset added in its domain's folder is in
the definitions with no list to edit.

A module holds either assets, checks or sensors at its top level (an `@asset` function) or one
`@definitions` function, for what is built from the data directory (`definitions_data_dir()` in
resources.py) or from the dbt manifest. Each imports its builder from the package beside this folder,
where the logic and its tests live.
"""
