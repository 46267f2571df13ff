# The two commands a newcomer needs: `make book` and `make test`. Both create .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NBVAL  := --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg
NOTEBOOKS := $(wildcard book/*.ipynb)

.PHONY: book test test-exact test-unit lint test-lax test-site test-js test-colab colab outputs bench student \
	assignments test-assignments grade dist test-colab-quick clean

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "nonlin-course needs Python 3.11 or newer (PYTHON=$(PYTHON))"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

## book: build the site into _build/html (strict: any warning fails the build); with
## SOLUTIONS=0, the book without its solutions (tools/no_solutions.py) into
## _build/no-solutions: site in _build/no-solutions/_build/html, Colab edition in
## _build/no-solutions/colab (installs nbgrader, which strips the solutions)
book: $(if $(filter 0,$(SOLUTIONS)),$(VENV)/.instructor,$(STAMP))
ifeq ($(SOLUTIONS),0)
	$(BIN)/python -m tools.no_solutions --out _build/no-solutions
	$(BIN)/python -m tools.make_colab --out _build/no-solutions/colab --readme '' \
		_build/no-solutions/book/*.ipynb
	$(BIN)/jupyter-book build _build/no-solutions --warningiserror --keep-going
else
	$(BIN)/jupyter-book build . --warningiserror --keep-going
endif

## test: unit tests, doctests, and every notebook re-run with its saved outputs compared
## (on the machine that saved them; elsewhere as test-lax, see tools/nbval_mode.py)
test: $(STAMP)
	mode=$$($(BIN)/python tools/nbval_mode.py $(NOTEBOOKS)) && $(BIN)/python -m pytest $$mode $(NBVAL)

## test-exact: as test, comparing the saved outputs whatever the machine
test-exact: $(STAMP)
	$(BIN)/python -m pytest --nbval $(NBVAL)

## test-unit: lint, then unit tests and doctests (the package's and book/_ext's), no notebooks
test-unit: lint
	$(BIN)/python -m pytest -q -m "not notebooks" tests nonlin_course book/_ext

## lint: ruff's lint rules over the code, and its format check once RUFF_FORMAT=check (the
## default when the tree has been formatted with `ruff format`); settings in pyproject.toml
LINTED      := nonlin_course tools tests benchmarks book/_ext
RUFF_FORMAT ?= skip
lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	@if [ "$(RUFF_FORMAT)" = check ]; then $(BIN)/ruff format --check $(LINTED); \
	else echo "ruff format --check skipped (RUFF_FORMAT=$(RUFF_FORMAT))"; fi

## test-lax: as test, but notebook outputs are not compared (GPU runners, other CPUs)
test-lax: $(STAMP)
	$(BIN)/python -m pytest --nbval-lax $(NBVAL)

## test-site: build the site, open every page in headless Chromium with no network:
## every figure drawn, every formula typeset; a first visit loads at most 1.5 MB (a
## chapter with figures 4.5 MB), the text paints before lets-plot's library is fetched,
## no figure reaches past a 390 px phone screen, _build/html at most 15 MB (installs
## chromium; CHROMIUM=path picks another browser)
test-site: book
	$(BIN)/python tools/check_site.py _build/html
	$(BIN)/python tools/check_playground.py _build/html

## test-js: the playground's engine under node's test runner, replaying reference runs of
## nc.train_classifier (float64) that tools/export_playground_fixture.py exports first
test-js: $(STAMP)
	@mkdir -p _build
	$(BIN)/python tools/export_playground_fixture.py _build/playground_fixture.json
	PLAYGROUND_FIXTURE=_build/playground_fixture.json node --test book/_static/playground/test/

## test-colab: the Colab edition (colab/) on Colab's recorded runtimes (Python 3.13 and
## 3.12, torch 2.11.0, tools/colab-runtimes/): the first cell's install changes none of
## Colab's packages, then every chapter "Run all" (lenient outputs, hidden checks assert);
## downloads torch 2.11.0 (several GB, cached in ~/.cache/nonlin-course), not in CI
test-colab:
	bash tools/test_colab.sh

## test-colab-quick: the first cell's install resolves against both recorded runtimes and
## needs none of their packages changed (pip --dry-run, no torch download; run by CI)
test-colab-quick:
	bash tools/test_colab.sh --quick

## dist: the sdist and wheel into dist/, twine check, and the unit tests and doctests
## against the wheel installed in a clean environment (the release workflow runs this)
dist: $(STAMP)
	bash tools/check_dist.sh

## colab: write the Colab edition of every chapter into colab/ (committed) and the README's
## "open in Colab" links, from the saved outputs and _config.yml (run after `make outputs`)
colab: $(STAMP)
	$(BIN)/python -m tools.make_colab --out colab $(NOTEBOOKS)

## outputs: re-execute the notebooks and save their outputs (after changing a chapter)
outputs: $(STAMP)
	$(BIN)/python tools/execute_notebooks.py $(NOTEBOOKS)

## bench: one-by-one vs batched training of chapter 2's models, side by side
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_trainer.py

## student: the student edition (every solution removed) into _build/student; installs
## nbgrader (the `instructor` extra: about 40 more packages) on first use
student: $(VENV)/.instructor
	$(BIN)/python -m tools.make_student --out _build/student $(NOTEBOOKS)
	$(BIN)/python -m pytest -q tests/test_student.py   # the leak test, on every build

## assignments: the nbgrader course into _build/assignments (nbgrader_config.py and
## source/<chapter>/<chapter>.ipynb: each chapter's set-up and exercises, cells marked,
## points set, autograded by the checkers); installs nbgrader on first use
assignments: $(VENV)/.instructor
	$(BIN)/python -m tools.make_assignments --out _build/assignments $(NOTEBOOKS)

## test-assignments: the course through the real nbgrader CLI: validate, release, a correct
## and a wrong submission per exercise autograded, feedback, the gradebook's scores
test-assignments: $(VENV)/.instructor
	$(BIN)/python -m pytest -q tests/test_assignments.py tests/test_grade.py

## grade: autograde ASSIGNMENT's submissions in parallel, WORKERS nbgrader processes (default:
## the cores), each with its own gradebook copy, merged into COURSE's (tools/grade.py)
COURSE ?= _build/assignments
WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
grade: $(VENV)/.instructor
	@test -n "$(ASSIGNMENT)" || { echo "usage: make grade ASSIGNMENT=01_linear_is_not_enough"; exit 1; }
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python tools/grade.py $(ASSIGNMENT) --course $(COURSE) --workers $(WORKERS)

$(VENV)/.instructor: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[book,instructor]'
	@touch $@

clean:
	rm -rf _build
