# 大连市心理咨询师协会 portal. `make run` and `make test` are all a newcomer needs.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs on every core (pytest-xdist); `make test PYTEST_ARGS="-n 0 tests/members"` runs part of it serially.
PYTEST_ARGS ?= -n auto
# Python's bytecode cache on, whatever the shell says: the modules, and pytest's rewritten test modules,
# are compiled once and read by every later test worker and subprocess (collecting the suite took 9.5 s
# without the cache and 5.5 s with it, in one measurement on the 2-core machine).
unexport PYTHONDONTWRITEBYTECODE
# Links in e-mails, receipts, certificates and calendar files point where `make run` serves the site.
RUN_ENV := WAGTAILADMIN_BASE_URL=$${WAGTAILADMIN_BASE_URL:-http://$(HOST):$(PORT)}

.PHONY: help install run test test-clock lint check-messages messages bench bench-members bench-experts bench-calls bench-volunteers deploy-check clean

help: ## Show the available commands
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install the dependencies

run: install ## Migrate, load the demo content and serve on http://127.0.0.1:8000 (SQLite; HOST=, PORT= to change)
	$(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py load_demo_content --site-host $(HOST) --site-port $(PORT)
	@echo ""
	@echo "  Site: http://$(HOST):$(PORT)/   Admin: http://$(HOST):$(PORT)/admin/   (the demo logins are listed above)"
	@echo "  A missing page shows the site's own 404 page; DEBUG_TECHNICAL_404=1 make run shows Django's instead."
	@echo ""
	$(RUN_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install ## Migrations check, message catalogues, ruff, mypy (beside the others), then the whole pytest suite
	@$(BIN)/mypy & mypy=$$!; \
	DJANGO_SETTINGS_MODULE=portal.settings.test $(BIN)/python manage.py makemigrations --check --dry-run \
	&& DJANGO_SETTINGS_MODULE=portal.settings.test $(BIN)/python manage.py catalogues --check \
	&& $(BIN)/ruff check . && $(BIN)/ruff format --check .; checks=$$?; \
	wait $$mypy && exit $$checks
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-clock: install ## The suite (browser journeys aside) at 23:30 and at 00:30 in Dalian, when the UTC date is the day before
	PORTAL_TEST_CLOCK=$$(date -u +%F)T23:30:00+08:00 $(BIN)/python -m pytest -n auto -q -m "not browser"
	PORTAL_TEST_CLOCK=$$(date -u -d tomorrow +%F)T00:30:00+08:00 $(BIN)/python -m pytest -n auto -q -m "not browser"

lint: install ## ruff check and format
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install ## Update the .po catalogues from the code and compile them
	$(BIN)/python manage.py catalogues --update
	$(BIN)/python manage.py catalogues --compile

bench: install ## Seed 10,000 notices and measure the site under gunicorn (see bench/README.md)
	$(BIN)/python bench/run.py

bench-members: install ## Issue invoices to 20,000 members and measure the member list and CSV export (SQLite)
	$(BIN)/python bench/members.py

bench-experts: install ## Search the public expert directory with 1,000 and 10,000 experts (SQLite)
	$(BIN)/python bench/experts.py

bench-calls: install ## One call with 2,000 submissions and files: the staff's list, ranking, 统计, CSV and the streamed ZIP (SQLite)
	$(BIN)/python bench/calls.py

bench-volunteers: install ## 1,000 volunteers sign up at once for 100 places under gunicorn (PostgreSQL)
	$(BIN)/python bench/volunteers.py

deploy-check: install ## check --deploy with the production settings
	SECRET_KEY=$${SECRET_KEY:-check-only-$$(date +%s)-0123456789abcdefghijklmnopqrstuvwxyz} \
	ALLOWED_HOSTS=portal.example.org REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	EMAIL_HOST=$${EMAIL_HOST:-smtp.example.org} \
	AID_ENCRYPTION_KEYS=$${AID_ENCRYPTION_KEYS:-$$($(BIN)/python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())")} \
	MFA_ENCRYPTION_KEYS=$${MFA_ENCRYPTION_KEYS:-$$($(BIN)/python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())")} \
	DJANGO_SETTINGS_MODULE=portal.settings.production $(BIN)/python manage.py check --deploy --fail-level WARNING

clean: ## Remove the virtualenv, the local database and generated files
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* media staticfiles tmp .pytest_cache .ruff_cache .mypy_cache
