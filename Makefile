# Internationale. `make run` starts the platform; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint format messages compilemessages bench bench-appeals bench-appeal-pages bench-history bench-server bench-campaigns bench-library-search bench-translation bench-federation-network check-deploy clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/internationale serve --demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy internationale
	$(BIN)/lint-imports --no-cache
	env -u DATABASE_URL DJANGO_SETTINGS_MODULE=internationale.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(BIN)/pytest -n 2 -m "not browser" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy internationale
	$(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(STAMP)
	cd internationale && INTERNATIONALE_DATA_DIR=$(CURDIR)/data ../$(BIN)/python ../manage.py makemessages -l es -l fr -l ar --no-obsolete --ignore 'tests/*'

compilemessages: $(STAMP)
	cd internationale && INTERNATIONALE_DATA_DIR=$(CURDIR)/data ../$(BIN)/python ../manage.py compilemessages

bench: $(STAMP)
	$(BIN)/python bench/directory.py

bench-appeals: $(STAMP)
	$(BIN)/python bench/appeals.py

bench-appeal-pages: $(STAMP)
	$(BIN)/python bench/appeal_pages.py

bench-history: $(STAMP)
	$(BIN)/python bench/history.py

bench-server: $(STAMP)
	$(BIN)/python bench/server.py

bench-campaigns: $(STAMP)
	$(BIN)/python bench/campaigns.py

bench-library-search: $(STAMP)
	$(BIN)/python bench/library_search.py

bench-translation: $(STAMP)
	$(BIN)/python bench/translation.py

bench-federation-network: $(STAMP)
	$(BIN)/python bench/federation_network.py

check-deploy: $(STAMP)
	DJANGO_SETTINGS_MODULE=internationale.settings.production ALLOWED_HOSTS=example.org SECRET_KEY=$$(head -c 48 /dev/urandom | base64) $(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) data
