"""The data directory's single-writer lock: one run at a time writes the warehouse and the published files.

A POSIX record lock (fcntl.lockf) on data/.writer.lock. The kernel drops it when its process ends, however
it ends (SIGKILL included), so a crash never leaves a stale lock. The lock belongs to the process, so the
resources of one run may each take it without waiting on each other. The file names its holder (run id,
pid, host, since when) for whoever finds it taken.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

LOCK_FILE = ".writer.lock"
POLL_SECONDS = 0.5


@dataclass(frozen=True)
class Holder:
    run_id: str
    pid: int
    host: str
    since: str

    def describe(self) -> str:
        return f"run {self.run_id} (pid {self.pid} on {self.host}, since {self.since})"


class WriterBusy(RuntimeError):
    def __init__(self, data_dir: Path, holder: Holder | None) -> None:
        who = holder.describe() if holder else "another process"
        super().__init__(f"{data_dir} is being written by {who}")
        self.holder = holder


def _try_lock(fd: int) -> bool:
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        if error.errno in (errno.EACCES, errno.EAGAIN):
            return False
        raise
    return True


def _read_holder(path: Path) -> Holder | None:
    try:
        return Holder(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


@contextmanager
def hold(
    data_dir: Path,
    run_id: str,
    wait_seconds: float = 0.0,
    on_wait: Callable[[Holder | None], None] | None = None,
) -> Iterator[Holder]:
    """Hold the lock for the block; wait up to wait_seconds for it (telling on_wait once), else WriterBusy."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait_seconds
        told = False
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise WriterBusy(data_dir, _read_holder(path))
            if on_wait is not None and not told:
                on_wait(_read_holder(path))
                told = True
            time.sleep(POLL_SECONDS)
        me = Holder(run_id, os.getpid(), socket.gethostname(), f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}")
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(asdict(me)).encode(), 0)
        yield me
    finally:
        os.close(fd)  # releases the lock


def current_holder(data_dir: Path) -> Holder | None:
    """Who holds the lock now (None if nobody). Never call it from a process that holds the lock: closing
    any descriptor of the file releases a POSIX lock."""
    path = data_dir / LOCK_FILE
    if not path.exists():
        return None
    fd = os.open(path, os.O_RDWR)
    try:
        if _try_lock(fd):
            return None
        return _read_holder(path) or Holder("unknown", 0, "?", "?")
    finally:
        os.close(fd)
