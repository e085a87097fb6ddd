# Two commands for a newcomer: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := FLASK_APP=app $(BIN)/flask
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint format bench worker install migrate seed clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) courses sync
	$(FLASK) forum boards
	$(FLASK) demo seed --site http://$(HOST):$(PORT)

# Serves http://$(HOST):$(PORT) on SQLite (instance/courseware.db), with the outbox worker beside it
# printing every email (verification links, password resets) in this terminal.
run: seed
	@trap 'kill 0' INT TERM EXIT; \
	$(FLASK) outbox deliver --watch & \
	FLASK_DEBUG=1 $(FLASK) run --host $(HOST) --port $(PORT)

worker: install
	$(FLASK) outbox deliver --watch

lint: install
	$(BIN)/ruff check .

# One pytest-xdist worker per core; worksteal evens out the long browser journeys.
test: lint
	$(BIN)/pytest -q -n auto --dist worksteal

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache instance/courseware.db*
