"""The run history's SQLite files commit without waiting for the disk.

Dagster's SQLite storage opens, writes, commits and closes a connection for every event, and a refresh
stores about a thousand of them (planned and done materialisations and checks, step starts and ends, log
lines). With SQLite's default (synchronous=FULL) each commit waits for the disk twice, once for the commit
and once for the checkpoint of closing: 12-19 ms here, some 30 s of every refresh, longer when another
process writes to the same disk.

synchronous=OFF hands the writes to the operating system and goes on. A crash of the process loses
nothing (SQLite's guarantee); a power cut or a crash of the operating system may lose the last events, or
damage the run history. What is published never rests on the run history: the writer lock and the
published snapshots are files of their own (writer_lock.py, publish.py). docs/runbook.md says how to start
a damaged history afresh.
"""

import sqlite3

from sqlalchemy import event
from sqlalchemy.pool import Pool


@event.listens_for(Pool, "connect")
def _commit_without_fsync(connection: object, _record: object) -> None:
    """Every pool's new connections in this process; only Dagster's storage reaches SQLite through
    SQLAlchemy here (dbt and DuckDB do not use it)."""
    if isinstance(connection, sqlite3.Connection):
        connection.execute("PRAGMA synchronous=OFF")
