"""County industry: ingest, check, rank and publish. Every process that runs the pipeline imports this
package first, so the run history's SQLite setting (lib/run_history.py) holds in all of them."""

from dagster_project.lib import run_history  # noqa: F401
