"""The session's good pipeline run, made in a process of its own as soon as a test session has collected a
test that needs it (tests/conftest.py, start_the_good_run), while the workers go on with the fast tests."""

import os
import sys
from pathlib import Path

from tests.conftest import make_good_run

if __name__ == "__main__":
    make_good_run(Path(sys.argv[1]))
    # recorded and closed: end without freeing the run's objects one by one, 2 s of a core the workers
    # need (as the command line ends, dagster_project/cli.py script)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
