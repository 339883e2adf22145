# Henan Foreign Affairs Service Portal — developer commands (see README.md).
#   make run     install, migrate, load the demo data and serve http://127.0.0.1:$(PORT), with the periodic
#                jobs in the background (run_periodic; with REDIS_URL: make worker and make beat instead)
#   make test    ruff, migrations check and the whole pytest suite
#   make bench   performance benchmarks → table + bench/results.json
#   make loadtest  50 simulated users for 5 minutes (locust) → table + bench/loadtest-results.json
#   make verify  security figures (tests/security) → table + tests/artifacts/verify.json; fails when one regresses
#   make lint    ruff check and format check       make format   apply ruff's fixes and formatting
#   make worker  a Celery worker                   make beat     the Celery beat scheduler
#   make messages  extract and compile translations (needs GNU gettext)

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?= --durations=15 --durations-min=1.0

# Debian packages that help: Pango for WeasyPrint (present on Debian 12), HarfBuzz's subsetter makes
# PDFs ~10x faster, Chromium runs the browser tests, poppler-utils turns PDFs into images for the tests.
# Installed when running as root, named otherwise.
RUN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
TEST_PACKAGES := $(RUN_PACKAGES) chromium poppler-utils

.PHONY: run test bench loadtest verify lint format worker beat messages system-packages-run system-packages-test clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "The portal needs Python 3.11 or newer; $(PYTHON) is $$($(PYTHON) --version 2>&1)."; exit 1; }
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
		rm -rf $(VENV); \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing python3-venv ..."; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null && \
			$(PYTHON) -m venv $(VENV); \
		else \
			echo "Cannot create a virtual environment. Install the venv module: sudo apt-get install python3-venv"; \
			exit 1; \
		fi; }
	@$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q '.[dev]'
	@touch $@ $(VENV)/.installed-run

define ensure_packages
	@if command -v dpkg >/dev/null; then \
		missing=""; for package in $(1); do dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; done; \
		if [ -n "$$missing" ]; then \
			if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
				echo "Installing Debian packages:$$missing"; \
				apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
			else \
				echo "Recommended Debian packages are missing:$$missing"; \
				echo "  install them with: sudo apt-get install$$missing   (see README, 'System packages')"; \
			fi; \
		fi; \
	fi
endef

system-packages-run:
	$(call ensure_packages,$(RUN_PACKAGES))

system-packages-test:
	$(call ensure_packages,$(TEST_PACKAGES))

# make run's environment: debug on unless given; links on permits and in e-mails lead to where runserver
# listens (PORTAL_BASE_URL unless given), and PORTAL_LISTEN lets the start-up check compare the two.
RUN_ENV = DEBUG=$${DEBUG:-true} PORTAL_BASE_URL=$${PORTAL_BASE_URL:-http://127.0.0.1:$(PORT)} \
	PORTAL_LISTEN=127.0.0.1:$(PORT)

# Without REDIS_URL the periodic jobs (notices closing, reminders, card expiry, e-mail retries) run in a
# second process, `manage.py run_periodic`, started beside runserver and stopped with it. With REDIS_URL
# they are Celery beat's, and tasks a worker's: started by hand (make worker, make beat), never twice.
run: $(VENV)/.installed-run system-packages-run
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py seed_demo
	@export $(RUN_ENV); \
	if [ -n "$$REDIS_URL" ]; then \
		echo "REDIS_URL is set: tasks and periodic jobs go to Redis. Start a worker and one beat in two more"; \
		echo "terminals with the same environment: make worker, make beat."; \
	else \
		echo "Periodic jobs run in the background (manage.py run_periodic); they stop with the server."; \
		$(BIN)/python manage.py run_periodic & periodic=$$!; \
		trap 'kill $$periodic 2>/dev/null; wait $$periodic 2>/dev/null' EXIT; \
		trap 'exit 130' INT TERM; \
	fi; \
	$(BIN)/python manage.py runserver $$PORTAL_LISTEN

# tests/security is left out: it runs only when named, as `make verify` does (tests/security/conftest.py).
test: $(VENV)/.installed-dev system-packages-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true DATABASE_URL=sqlite://:memory: $(BIN)/python manage.py makemigrations --check --dry-run  # needs no database
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# The security figures against tests/security/baseline.json, on test databases of their own (test_*_verify).
verify: $(VENV)/.installed-dev system-packages-run
	$(BIN)/python -m pytest tests/security -n $(PYTEST_WORKERS) -q

bench: $(VENV)/.installed-dev system-packages-run
	$(BIN)/python bench/run.py

# 50 simulated users (locust) against gunicorn, a Celery worker, Redis and PostgreSQL with production settings:
# needs both services (DATABASE_URL, default foreign_affairs_loadtest on the local PostgreSQL, is emptied).
loadtest: $(VENV)/.installed-dev system-packages-run
	$(BIN)/python bench/loadtest.py

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# One worker for every queue of CELERY_TASK_ROUTES (production runs one service per queue: docker-compose.yml).
worker: $(VENV)/.installed-run
	$(BIN)/celery -A foreign_affairs worker -l info -Q celery,notifications,pdf,exports

beat: $(VENV)/.installed-run
	$(BIN)/celery -A foreign_affairs beat -l info

messages: $(VENV)/.installed-run
	DEBUG=true $(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --ignore='.venv/*' --ignore='var/*'
	DEBUG=true $(BIN)/python manage.py compilemessages -l zh_Hans --ignore='.venv/*'

clean:
	rm -rf $(VENV) var/staticfiles build *.egg-info
