# Two commands: `make run` and `make test` (see README.md). Both build .venv first.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
DEV := DEBUG=1
PORT ?= 8000

.PHONY: run test setup lint bench clean chromium

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@python=$$(scripts/find-python) || exit 1; \
	if [ ! -x $(PY) ]; then echo "creating $(VENV) with $$python"; "$$python" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

setup: $(VENV)/.installed
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py load_demo --url http://127.0.0.1:$(PORT)/login/

# The background worker (URL imports, feed polls) runs beside the web server; Ctrl-C stops
# both, and the worker also stops when the server exits for any other reason.
run: setup
	@$(DEV) $(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(DEV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The browser tests drive Debian's chromium: installed here when missing and we are root,
# otherwise make stops before running anything, with the one command to run.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || exit 1; \
	  else \
	    echo "The browser tests need Debian's chromium: run 'sudo apt-get install chromium', then make test again." >&2; \
	    exit 1; \
	  fi; }

test: chromium setup lint
	$(PY) -m pytest

# Benchmarks build and drop their own throwaway databases; your data is not touched.
bench: $(VENV)/.installed
	@for script in scripts/bench_*.py; do echo "== $$script"; $(DEV) $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .hypothesis
