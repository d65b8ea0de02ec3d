# Two commands do everything: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install translations extract-messages update-messages clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --upgrade pip
	$(BIN)/pip install -e '.[test]'
	touch $@

install: $(VENV)/.installed

# Two catalogues: the app's own strings (messages) and WTForms' built-in messages (wtforms), which
# WTForms ships without Vietnamese.
translations: install
	$(BIN)/pybabel compile --use-fuzzy -d app/translations -D "messages wtforms"

## Serve the demo on http://$(HOST):$(PORT) with a migrated, seeded SQLite database.
run: translations
	COOPDX_ENV=development $(BIN)/flask --app app db upgrade
	COOPDX_ENV=development $(BIN)/flask --app app content load
	COOPDX_ENV=development $(BIN)/flask --app app seed-demo
	COOPDX_ENV=development $(BIN)/flask --app app run --host $(HOST) --port $(PORT)

## Run the whole suite on SQLite, then on PostgreSQL when TEST_DATABASE_URL is set.
test: translations
	@echo "== on SQLite"
	env -u TEST_DATABASE_URL $(BIN)/python -m pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL"; \
		$(BIN)/python -m pytest; \
	elif [ "$$CI" = "true" ]; then \
		echo "CI needs TEST_DATABASE_URL (PostgreSQL) to run the suite a second time" >&2; exit 1; \
	else \
		echo "(set TEST_DATABASE_URL=postgresql+psycopg://... to run the suite on PostgreSQL too)"; \
	fi

extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l --no-location --sort-output -o messages.pot .

update-messages: extract-messages
	$(BIN)/pybabel update -N --ignore-obsolete -i messages.pot -d app/translations
	$(BIN)/pybabel update -N --ignore-obsolete -D wtforms -d app/translations \
		-i "$$($(BIN)/python -c 'from wtforms.i18n import messages_path; print(messages_path())')/wtforms.pot"

clean:
	rm -rf $(VENV) instance/*.sqlite3* .pytest_cache
