# Liuhen — the two commands of the README are `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
LIUHEN_TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
TEST_DATA_DIR := $(CURDIR)/var/test
# The lean PDF font is built once (seconds) and kept across test runs and databases.
export LIUHEN_FONT_CACHE_DIR ?= $(CURDIR)/var/font-cache
# The suite runs on every core (pytest-xdist); a test file stays on one worker, so its
# module fixtures are built once.
JOBS ?= $(shell nproc)
PYTEST_ARGS ?= -n $(JOBS) --dist loadfile --durations=25

.PHONY: run test check bench bootstrap assets system-packages test-sqlite test-postgres test-hours clean

bootstrap: $(VENV)/.installed assets

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c requirements.lock -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed
	scripts/vendor-assets.sh

run: bootstrap
	scripts/ensure-system-packages.sh --run
	$(BIN)/liuhen migrate --noinput -v 0
	$(BIN)/liuhen collectstatic --noinput -v 0
	$(BIN)/liuhen seed-demo --if-empty
	$(BIN)/liuhen serve --host 127.0.0.1 --port 8000

check: $(VENV)/.installed
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(PY) scripts/house_rules.py
	LIUHEN_DATA_DIR=$(CURDIR)/var/check $(BIN)/liuhen check --fail-level WARNING

system-packages:
	scripts/ensure-system-packages.sh

test: bootstrap system-packages check test-sqlite test-postgres test-hours

test-sqlite:
	@echo "=== test suite on SQLite ==="
	rm -rf $(TEST_DATA_DIR) && mkdir -p $(TEST_DATA_DIR)
	LIUHEN_DATA_DIR=$(TEST_DATA_DIR) LIUHEN_DATABASE_URL= $(BIN)/pytest $(PYTEST_ARGS)

test-postgres:
	@if $(PY) scripts/pg-reachable.py "$(LIUHEN_TEST_DATABASE_URL)"; then \
	  echo "=== test suite on PostgreSQL ==="; \
	  rm -rf $(TEST_DATA_DIR) && mkdir -p $(TEST_DATA_DIR); \
	  LIUHEN_DATA_DIR=$(TEST_DATA_DIR) LIUHEN_DATABASE_URL=$(LIUHEN_TEST_DATABASE_URL) $(BIN)/pytest $(PYTEST_ARGS); \
	elif [ -n "$$LIUHEN_REQUIRE_POSTGRES" ]; then \
	  echo "error: PostgreSQL is required here but not reachable" >&2; exit 1; \
	else \
	  echo "warning: PostgreSQL not reachable; the suite ran on SQLite only" >&2; \
	fi

# The tests that read local dates (marked local_dates by tests/conftest.py), again at the
# hours when the local date in Asia/Shanghai and the UTC date differ (00:30, 03:00), when
# they agree (12:00) and just before the local date turns (23:30): CI runs at any hour.
LOCAL_HOURS ?= 00:30 03:00 12:00 23:30

test-hours:
	@for hour in $(LOCAL_HOURS); do \
	  echo "=== tests that read local dates, at $$hour Asia/Shanghai ==="; \
	  rm -rf $(TEST_DATA_DIR) && mkdir -p $(TEST_DATA_DIR); \
	  LIUHEN_DATA_DIR=$(TEST_DATA_DIR) LIUHEN_DATABASE_URL= $(BIN)/pytest $(PYTEST_ARGS) -q \
	    -m "local_dates and not e2e" --local-hour $$hour || exit 1; \
	done

bench: bootstrap
	$(PY) -m bench $(if $(ONLY),--only $(ONLY),)

clean:
	rm -rf $(VENV) node_modules var src/liuhen/web/static/vendor
