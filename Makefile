# Everything a fresh clone needs: `make demo` and `make test` each create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared
SNN := $(SHARED)/data/saudinewsnet/saudinewsnet.jsonl.gz

.PHONY: demo test lint bench eval install clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/marsad --db demo.db demo

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/marsad bench $(SNN)

eval: $(STAMP)
	$(BIN)/marsad eval stories src/marsad/demo/gold.jsonl

clean:
	rm -rf $(VENV) demo.db build .pytest_cache .mypy_cache .ruff_cache
