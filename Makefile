# The two set-up commands on a fresh machine are `make run` and `make test`; everything else follows.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 3000
# The figures' Chinese labels need a real CJK font: Debian's WenQuanYi Micro Hei (root installs it).
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc

# Nothing reaches the network at run time: no telemetry, no version checks.
export DAGSTER_HOME := $(CURDIR)/.dagster_home
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DBT_VERSION_CHECK := false
export DO_NOT_TRACK := 1
export GX_ANALYTICS_ENABLED := false
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test check ui status setup lint bench clean

run: setup
	$(BIN)/county-industry run

# Two workers, a test module each at a time (one run of the pipeline for the session, shared by both), in the
# order tests/conftest.py gives them (xdist would reorder them by their number of tests, putting modules that
# wait for that run first), the 15 slowest tests listed at the end (where the suite's time goes, in every CI
# log); then
# the timed stop of `make ui` (within 10 s) alone, never beside a pipeline run on the other core.
test: setup
	$(BIN)/pytest -n 2 --dist loadfile --no-loadscope-reorder --ignore tests/test_ui_stop.py --durations 15
	$(BIN)/pytest tests/test_ui_stop.py

# The fast loop while editing: every test but the end-to-end ones (pipeline runs, UI, browser).
check: setup
	$(BIN)/pytest -m "not end_to_end"

status: setup
	$(BIN)/county-industry status

# `dg dev` on the project of pyproject.toml's [tool.dg], run by dagster_project/ui.py so that Ctrl-C, SIGTERM
# to make and SIGTERM to its process group stop it, leaving no process and no socket, however it was
# started: with SIGINT ignored (`make ui &` in a script) plain `dagster dev`, whose code `dg dev` runs,
# ignored SIGTERM too, and only SIGKILL stopped it (tests/test_ui_stop.py).
ui: setup
	$(BIN)/python -m dagster_project.ui --host 127.0.0.1 --port $(PORT)

setup: $(VENV)/.installed dbt/target/manifest.json $(DAGSTER_HOME)/dagster.yaml $(CJK_FONT)

$(CJK_FONT):
	apt-get install -y --no-install-recommends fonts-wqy-microhei \
	  || (apt-get update && apt-get install -y --no-install-recommends fonts-wqy-microhei)

# Announced, and timed: pip stays quiet for the minutes a first install takes.
$(VENV)/.installed: pyproject.toml requirements.lock
	@echo "installing the pinned dependencies into $(VENV) (a first install takes a few minutes)"
	@started=$$(date +%s) \
	  && (test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)) \
	  && $(BIN)/pip install --quiet --constraint requirements.lock --editable '.[dev]' \
	  && echo "installed in $$(( $$(date +%s) - started )) s"
	touch $@

# The dbt manifest is built here, at set-up, so that loading the Dagster definitions stays fast.
dbt/target/manifest.json: $(VENV)/.installed $(shell find dbt -name '*.sql' -o -name '*.yml' -o -name '*.csv' -o -name '*.py' | grep -v -e dbt/target -e dbt/logs)
	cd dbt && ../$(BIN)/dbt parse --quiet --profiles-dir . --target-path target
	touch $@

# The instance's storage is created here, once: the webserver, the daemon and their code servers racing to
# create it on first start can leave SQLite's schema history with two heads.
$(DAGSTER_HOME)/dagster.yaml: dagster_instance.yaml $(VENV)/.installed
	mkdir -p $(DAGSTER_HOME)
	cp dagster_instance.yaml $@
	$(BIN)/python -c "from dagster import DagsterInstance; DagsterInstance.get().get_runs(limit=1)"

bench: setup
	$(BIN)/python bench/timings.py

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf data/warehouse data/published dbt/target dbt/logs .pytest_cache
