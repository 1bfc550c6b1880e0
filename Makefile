# The README's two commands: `make run` and `make test`. Everything else here serves them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UV     := $(BIN)/uv pip install --python $(BIN)/python --quiet

.PHONY: run test install install-dev lock format messages

run: install
	$(BIN)/impasto start

test: install-dev
	scripts/test

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv>=0.5,<1"

# Runtime dependencies only, pinned by the lock (used as constraints).
$(VENV)/.installed: pyproject.toml requirements.lock scripts/install | $(BIN)/python
	scripts/install runtime
	touch $@

$(VENV)/.installed-dev: pyproject.toml requirements.lock scripts/install | $(BIN)/python
	scripts/install dev
	touch $@ $(VENV)/.installed

# Regenerate the lock after changing dependencies in pyproject.toml.
lock: | $(BIN)/python
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --quiet -o requirements.lock

format: install-dev
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

# Refresh the translation catalogues after changing user-facing strings.
messages: install-dev
	$(BIN)/python manage.py makemessages --locale fr --ignore '.venv/*' --ignore 'var/*' --no-obsolete
	$(BIN)/python manage.py makemessages --locale fr --domain djangojs --ignore '.venv/*' --ignore 'var/*' --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore '.venv/*'
