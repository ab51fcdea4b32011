"""`make ui`: `dg dev` (the webserver, the daemon and their code servers), run so that it stops.

`python -m dagster_project.ui ARGS` is `dg dev ARGS`, run in this process (the `dg` command's own entry
point): the project and its code location come from [tool.dg] in pyproject.toml, and `dg dev` then runs
`dagster dev`'s own code, in this process too (`dagster dev` itself says `dg dev` supersedes it). Three
differences in how it stops (issue 11):

1. SIGINT and SIGTERM stop it, however it was started. `dg dev` stops cleanly on SIGINT and maps
   SIGTERM to whatever SIGINT does (dagster's `setup_interrupt_handlers`). A process started with SIGINT
   ignored keeps it ignored, and so do its children: a non-interactive shell starts every background job
   that way (`make ui &` in a script, POSIX), as do some supervisors. Python then installs no
   KeyboardInterrupt handler, dagster copies "ignored" onto SIGTERM, and neither signal stopped
   `dg dev`, the webserver, the daemon or the code servers: only SIGKILL did, which leaves their
   sockets and the temporary workspace behind. Here both signals get a handler, which dagster copies and
   which the children, started by exec, get back as the default.
2. A repeat within REPEAT_WINDOW seconds of the first is ignored. GNU make passes SIGTERM on to its
   child, so SIGTERM to make's process group reaches `dg dev` twice, milliseconds apart; the second
   KeyboardInterrupt cut its shutdown short ("Aborted!") before it had waited for the daemon. A later
   repeat (Ctrl-C pressed again) interrupts as before.
3. Nothing it started outlives it. `dg dev` waits for the webserver and the daemon but only asks its
   code servers to shut down, and a code server waits for the runs it launched to finish: after SIGTERM to
   make alone, during a run, the code servers and the run went on as orphans. What still runs below this
   process SETTLE seconds after `dg dev` returns gets SIGINT, what Ctrl-C would have given it (a run
   is interrupted and marked failed, as in a terminal), and SIGKILL only if it is still there STOP_WITHIN
   seconds after the signal (then its socket file is removed here).
4. No code server is restarted during the stop. `dagster dev` watches its code servers every 5 seconds
   and restarts one that exited, until its own shutdown reaches them, after the webserver's and the
   daemon's: a signal to the group stops the code server first, and the watcher started a new one, then
   waited for it to load before `dagster dev` could return (4 seconds more; past the 10 seconds a
   service manager grants, on a loaded machine). Here the watching ends at the stop signal.

Nothing sits between make and `dg dev` to forward signals: this process is `dg dev`, SIGTERM to
make reaches it (make passes it on), and Ctrl-C or SIGTERM to the group reaches every process, each of which
shuts down by dagster's own path. That takes about 3 seconds with no run in progress, 5 to 8 during a run.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
REPEAT_WINDOW = 2.0  # seconds: a second signal this soon is the same request, passed on by make
SETTLE = 0.5  # seconds for what `dg dev` leaves to finish its own shutdown, before it gets SIGINT
STOP_WITHIN = 8.0  # seconds from the signal to SIGKILL of whatever `dg dev` left running


class StopOnce:
    """The SIGINT handler (dagster copies it onto SIGTERM): KeyboardInterrupt, except for a quick repeat.

    The first signal also calls each of `on_stop`."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.first: float | None = None
        self.on_stop: list[Callable[[], None]] = []

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        now = self.clock()
        if self.first is not None and now - self.first < REPEAT_WINDOW:
            return
        if self.first is None:
            for stop in self.on_stop:
                stop()
        self.first = now
        raise KeyboardInterrupt


def watch_code_servers_until(handler: StopOnce) -> None:
    """`dagster dev`'s code servers are watched (restarted if they exit) until the stop signal (item 4)."""
    from dagster._cli import dev

    class CodeServers(dev.ProxyServerManager):
        def __enter__(self) -> CodeServers:
            # the event that ends the watching threads, which dagster sets only when it leaves this context
            handler.on_stop.append(self._ProxyServerManager__shutdown_event.set)
            return super().__enter__()

    dev.ProxyServerManager = CodeServers


def descendants(pid: int) -> list[int]:
    """The live processes below `pid` (Linux: /proc; elsewhere none are found)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # pid (comm) state ppid ...; comm may hold spaces and parentheses
            state, ppid = stat.read_text().rsplit(")", 1)[1].split()[:2]
        except (OSError, IndexError, ValueError):
            continue
        if state != "Z":
            children.setdefault(int(ppid), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        below = children.get(todo.pop(), [])
        found += below
        todo += below
    return found


def alive(pids: list[int]) -> list[int]:
    """Those of `pids` still running (not gone, not a zombie)."""
    running = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state != "Z":
            running.append(pid)
    return running


def wait_gone(pids: list[int], until: float) -> list[int]:
    while (left := alive(pids)) and time.monotonic() < until:
        time.sleep(0.1)
    return left


def sockets_of(pids: list[int]) -> list[Path]:
    """The socket files the code servers among `pids` serve on (`--socket PATH` on their command lines)."""
    sockets = []
    for pid in pids:
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        sockets += [Path(path) for flag, path in zip(argv, argv[1:], strict=False) if flag == "--socket"]
    return sockets


def signal_each(pids: list[int], sig: signal.Signals) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


def stop_leftovers(
    root: int, signalled: float | None, *, settle: float = SETTLE, stop_within: float = STOP_WITHIN
) -> list[int]:
    """What still runs below `root` gets `settle` seconds, then SIGINT, then SIGKILL at `signalled` (the
    monotonic time of the stop signal, if any) + `stop_within`. Returns the processes signalled."""
    now = time.monotonic()
    deadline = max((now if signalled is None else signalled) + stop_within, now + settle + 1.0)
    left = wait_gone(descendants(root), now + settle)
    if not left:
        return []
    print(f"make ui: SIGINT to {left}, still running after dg dev", file=sys.stderr, flush=True)
    signal_each(left, signal.SIGINT)
    killed = wait_gone(left, deadline)
    if killed:
        print(f"make ui: SIGKILL to {killed}, still running", file=sys.stderr, flush=True)
        sockets = sockets_of(killed)
        signal_each(killed, signal.SIGKILL)
        wait_gone(killed, time.monotonic() + 1.0)
        for socket in sockets:  # which a killed code server cannot remove
            socket.unlink(missing_ok=True)
    return left


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    handler = StopOnce()
    for sig in STOP_SIGNALS:
        signal.signal(sig, handler)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)  # a blocked signal stays blocked across exec

    from dagster_dg_cli.cli import main as dg  # the `dg` command's entry point

    watch_code_servers_until(handler)
    sys.argv = ["dg", "dev", *args]
    try:
        dg()
    finally:
        # a further signal now would only cut this short: the deadline bounds it
        for sig in STOP_SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
        stop_leftovers(os.getpid(), handler.first)


if __name__ == "__main__":
    main()
