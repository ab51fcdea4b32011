"""What tests/test_ui.py and test_ui_stop.py need around the Dagster UI: its processes, its GraphQL API and
a headless browser.

Every process is started in a session of its own and stopped by the id of that session's process group,
so whatever it spawned (code servers, run workers, the browser) goes with it.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

INSTALL_BROWSER = (
    "headless Chromium not found: install it with `apt-get install -y chromium chromium-driver` (Debian), "
    "as .ci/run does"
)

# Flags that let Debian's chromium start headless as root on a machine with no network beyond the registries.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1920,1200",
)


def ephemeral_ports() -> range:
    """The ports the kernel hands out to outgoing connections and to bind(0) (Linux's range, if readable)."""
    try:
        low, high = map(int, Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    except (OSError, ValueError):
        low, high = 32768, 60999
    return range(low, high + 1)


def free_port() -> int:
    """A loopback port free now, chosen outside the ephemeral range.

    The server binds it seconds later. A port from bind(0) is ephemeral: any outgoing connection of any
    process (a browser, pip, another test) may be given it in between. Outside that range only a process
    that binds a port explicitly can take it.
    """
    ephemeral = ephemeral_ports()
    candidates = [port for port in range(20000, 32768) if port not in ephemeral]
    # The system's randomness, not the module's: the test order plugin seeds `random` alike in every worker,
    # so two workers would try the same ports in the same order.
    for port in random.SystemRandom().sample(candidates, min(200, len(candidates))):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:  # pragma: no cover - all taken
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tail(path: Path, lines: int = 60) -> str:
    if not path.exists():
        return f"({path} does not exist)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class Started:
    """A process this test started: the leader of its own process group, whose id is its pid."""

    name: str
    popen: subprocess.Popen
    log: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def report(self) -> str:
        state = "running" if self.popen.poll() is None else f"exited with {self.popen.returncode}"
        return f"--- {self.name} (pid {self.pid}, {state}), last lines of {self.log}:\n{tail(self.log)}"


def start(name: str, argv: list[str], *, cwd: Path, env: dict[str, str], log_dir: Path) -> Started:
    log = log_dir / f"{name}.log"
    with log.open("wb") as out:
        popen = subprocess.Popen(
            argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    return Started(name, popen, log)


def group_members(pgid: int) -> list[int]:
    """The live processes of process group `pgid` (zombies, already dead, are left out)."""
    proc = Path("/proc")
    if not proc.is_dir():  # pragma: no cover - not Linux: ask the kernel, zombies included
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return []
        return [pgid]
    members = []
    for stat in proc.glob("[0-9]*/stat"):
        try:
            # pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses
            state, _ppid, pgrp = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, IndexError, ValueError):
            continue
        if int(pgrp) == pgid and state != "Z":
            members.append(int(stat.parent.name))
    return members


def command_lines(pids: list[int]) -> dict[int, str]:
    """{pid: command line} of those of `pids` still there, for reports."""
    lines = {}
    for pid in pids:
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        lines[pid] = argv.replace(b"\0", b" ").decode(errors="replace").strip()
    return lines


def group_alive(pgid: int) -> bool:
    return bool(group_members(pgid))


def signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)


def stop_group(pgid: int, popen: subprocess.Popen | None = None, grace: float = 20.0) -> None:
    """SIGTERM to the process group `pgid`, a grace period for it to empty, then SIGKILL to what is left."""
    signal_group(pgid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    # the leader is our child: reap it, or the group never looks empty
    while time.monotonic() < deadline and ((popen is not None and popen.poll() is None) or group_alive(pgid)):
        time.sleep(0.2)
    if group_alive(pgid):
        signal_group(pgid, signal.SIGKILL)
    if popen is not None:
        popen.wait(timeout=10)


def stop(started: Started) -> None:
    stop_group(started.pid, started.popen)


def wait_until(
    predicate: Callable[[], Any], *, timeout: float, what: str, report: Callable[[], str], every: float = 0.5
) -> Any:
    """Polls `predicate` until it returns something true; fails naming `what`, with `report()` appended."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except (requests.RequestException, ValueError) as error:
            value, last_error = None, error
        if value:
            return value
        time.sleep(every)
    raise AssertionError(
        f"timed out after {timeout:.0f} s waiting for {what} (last error: {last_error})\n{report()}"
    )


class GraphQLError(AssertionError):
    pass


@dataclass
class GraphQL:
    url: str
    timeout: float = 60.0

    def __call__(self, query: str, **variables: Any) -> dict[str, Any]:
        response = requests.post(
            self.url, json={"query": query, "variables": variables}, timeout=self.timeout
        )
        response.raise_for_status()
        body = response.json()
        if body.get("errors"):
            raise GraphQLError(f"GraphQL errors from {self.url}: {body['errors']}")
        return body["data"]


@dataclass(frozen=True)
class Browser:
    chromium: str
    chromedriver: str


def find_browser() -> Browser | None:
    """Debian's chromium and its chromedriver, or None when either is missing."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = shutil.which("chromedriver") or (
        "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None
    )
    if chromium is None and Path("/usr/bin/chromium").exists():
        chromium = "/usr/bin/chromium"
    if chromium is None or chromedriver is None:
        return None
    return Browser(chromium, chromedriver)


def required_browser(what: str) -> Browser:
    """Headless Chromium, or a skip that says how to install it; CI, which has it, must run `what`."""
    found = find_browser()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run {what}: {INSTALL_BROWSER}")
        pytest.skip(INSTALL_BROWSER)
    return found


@contextlib.contextmanager
def chromium(browser: Browser, scratch: Path, console: bool = False) -> Iterator[Any]:
    """A headless Chromium driven by chromedriver (its log in scratch/), in its own process group, which is
    stopped whole afterwards; `console` keeps the pages' console messages for get_log("browser")."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser.chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='chromium-profile-', dir=scratch)}")
    if console:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(
        executable_path=browser.chromedriver,
        log_output=str(scratch / "chromedriver.log"),
        popen_kw={"start_new_session": True},
    )
    driver = webdriver.Chrome(service=service, options=options)
    try:
        driver.set_page_load_timeout(60)
        yield driver
    finally:
        driver.quit()
        stop_group(service.process.pid, service.process)
