# `make run` serves the app with demo data on SQLite; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
WORKERS ?= 2
MAIL_WATCH ?= 2
# The suite's processes (pytest-xdist, a test file per process at a time); 0 runs it in this one.
TEST_WORKERS ?= 2
TEST_ARGS := -n $(TEST_WORKERS) --dist loadfile
export FLASK_APP := wsgi

.PHONY: run setup test test-postgres translations extract-messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d app/translations

setup: $(VENV)/.installed translations
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load --if-empty

# The server, and beside it the mail sender (requests only write the outbox); Ctrl-C stops both.
run: setup
	@$(BIN)/flask mail send --watch $(MAIL_WATCH) & sender=$$!; \
	trap 'kill $$sender 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn --workers $(WORKERS) --bind 127.0.0.1:$(PORT) --access-logfile - wsgi:app

test: $(VENV)/.installed-test translations
	$(BIN)/pytest $(TEST_ARGS)

# The suite against a PostgreSQL database, e.g. TEST_DATABASE_URL=postgresql://postgres@127.0.0.1/test
test-postgres: $(VENV)/.installed-test translations
	$(BIN)/pytest $(TEST_ARGS) -m "not browser"

# After changing user-visible strings: refresh the catalogues, then translate the new entries.
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract --no-location --sort-output -F babel.cfg -k _l -o app/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i app/translations/messages.pot -d app/translations

clean:
	rm -rf $(VENV)
