# Silkway developer commands. Every target sets up what it needs, so each works on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1:8000
# Test processes (pytest-xdist), each with its own test database; 0 runs the suite in this process. Work stealing:
# an idle process takes queued tests from a busy one, so a few long tests do not leave one process finishing alone.
TEST_WORKERS ?= auto
# The real-browser tests (yes/no). CI runs them once, in its SQLite pass (the embedded default `make demo` serves):
# they exercise pages and scripts, which do not change with the database underneath.
BROWSER_TESTS ?= yes
# The linters (yes/no): they read the code, not the database, so CI's second pass (SQLite) skips them.
LINTERS ?= yes

.PHONY: demo test setup setup-dev system-deps lint check migrate seed run worker beat clean messages

# Set up, load the demo marketplace and serve it on http://$(HOST) (SQLite, eager Celery, offline AI).
demo: setup migrate seed run

# Set up and run every check CI runs: ruff, migrations in sync, the test suite.
# The real-browser tests run in a process of their own: their live server and browser threads must not be in a
# process that forks (the parallel search-index rebuild test does).
test: setup-dev $(if $(filter yes,$(LINTERS)),lint) check
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal -m "not browser"
	@if [ "$(BROWSER_TESTS)" = yes ]; then $(BIN)/pytest -p no:xdist -m browser; \
	else echo "Real-browser tests skipped (BROWSER_TESTS=$(BROWSER_TESTS))."; fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

setup: $(BIN)/python system-deps
	$(BIN)/pip install --quiet -r requirements.txt

setup-dev: $(BIN)/python system-deps
	$(BIN)/pip install --quiet -r requirements-dev.txt

# WeasyPrint renders contract PDFs with the system's Pango: installed here when missing (Debian or Ubuntu, as root);
# elsewhere install Pango with your package manager. Everything but the PDF download works without it.
system-deps:
	@ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || { \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; \
	  else echo "Pango is missing: install libpango-1.0-0 for contract PDFs."; fi; }

# Where business rules live: every services and selectors module (or package), type-checked with django-stubs.
MYPY_TARGETS = $(shell find . -path ./.venv -prune -o -path ./var -prune -o \( -name services.py -o -name selectors.py -o -name services -type d -o -name selectors -type d \) -print)

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy $(MYPY_TARGETS)

check:
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check

migrate:
	$(BIN)/python manage.py migrate --noinput

# The catalog first, then the leaderboards' figures and activity (rankings builds on marketplace, not the reverse),
# then sourcing requests, plans, RFQs and quotes over both.
seed:
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py seed_search_learning_demo
	$(BIN)/python manage.py seed_responsiveness_demo
	$(BIN)/python manage.py seed_media_demo
	$(BIN)/python manage.py seed_rankings_demo
	$(BIN)/python manage.py seed_sourcing_demo
	$(BIN)/python manage.py seed_deals_demo
	$(BIN)/python manage.py seed_ads_demo
	$(BIN)/python manage.py seed_agents_demo
	$(BIN)/python manage.py seed_dashboard_demo
	$(BIN)/python manage.py seed_live_demo
	$(BIN)/python manage.py seed_onboarding_demo

# The site and the MCP server for AI assistants (/mcp) in one ASGI process (config/asgi.py).
run:
	$(BIN)/uvicorn config.asgi:application --host $(word 1,$(subst :, ,$(HOST))) --port $(word 2,$(subst :, ,$(HOST)))

worker:
	$(BIN)/celery -A config worker -Q default,metrics,ai,batch -l info

beat:
	$(BIN)/celery -A config beat -l info

clean:
	rm -rf var .pytest_cache .ruff_cache

# Interface catalogs: regenerate every language's .po from the code, then compile. New messages arrive empty;
# `$(BIN)/python ops/translations.py todo LANG --out DIR` lists them, `fill` takes the reviewed translations back and
# the translation-completeness test fails until every language has them.
LANGUAGES_UI = zh_Hans es fr de pt ru ar ja
messages: setup-dev
	$(BIN)/python manage.py makemessages $(addprefix -l ,$(LANGUAGES_UI)) --no-obsolete \
	  --ignore=.venv --ignore=var --ignore=bench --ignore=tests
	$(BIN)/python manage.py compilemessages --ignore=.venv
