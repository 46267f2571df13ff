# The two commands a newcomer needs: `make book` and `make test`. Both create .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NBVAL  := --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg
NOTEBOOKS := $(wildcard book/*.ipynb)

.PHONY: book test test-lax outputs bench clean

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "nonlin-course needs Python 3.11 or newer (PYTHON=$(PYTHON))"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

## book: build the site into _build/html (strict: any warning fails the build)
book: $(STAMP)
	$(BIN)/jupyter-book build . --warningiserror --keep-going

## test: unit tests, doctests, and every notebook re-run with its saved outputs compared
test: $(STAMP)
	$(BIN)/python -m pytest --nbval $(NBVAL)

## test-lax: as test, but notebook outputs are not compared (GPU runners, other CPUs)
test-lax: $(STAMP)
	$(BIN)/python -m pytest --nbval-lax $(NBVAL)

## outputs: re-execute the notebooks and save their outputs (after changing a chapter)
outputs: $(STAMP)
	$(BIN)/python tools/execute_notebooks.py $(NOTEBOOKS)

## bench: one-by-one vs batched training of chapter 2's models, side by side
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_trainer.py

clean:
	rm -rf _build
