#!/usr/bin/env bash
# `make dist`: build the sdist and the wheel into dist/, check them with twine, then
# install the wheel into a clean virtual environment and run the unit tests and doctests
# against that installed copy (from a copy of the checkout without nonlin_course/, so
# nothing can import the source tree instead). The release workflow runs the same.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
BIN=.venv/bin
SOURCE=$(mktemp -d) TESTS=$(mktemp -d)
trap 'rm -rf "$SOURCE" "$TESTS"' EXIT
# build from what a clone holds (tracked and new files, not ignored ones)
git ls-files -z --cached --others --exclude-standard \
    | tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$SOURCE"
rm -rf dist
"$BIN/python" -m build --outdir dist "$SOURCE"
"$BIN/twine" check --strict dist/*

ENV=_build/dist-venv
echo "== the wheel in a clean environment ($ENV)"
rm -rf "$ENV" && "$PYTHON" -m venv "$ENV"
wheel=$(ls dist/*.whl)
"$ENV/bin/python" -m pip install --quiet --disable-pip-version-check "$wheel[book]" \
    $(grep -vE '^\s*(-e|#|$)' requirements.txt | sed 's/#.*//')
cp -r "$SOURCE"/. "$TESTS" && rm -rf "$TESTS/nonlin_course"
(cd "$TESTS" && "$OLDPWD/$ENV/bin/python" -c 'import nonlin_course as nc; print("testing", nc.__file__)' \
    && "$OLDPWD/$ENV/bin/python" -m pytest -q -p no:cacheprovider -m "not notebooks" tests \
    && PKG=$("$OLDPWD/$ENV/bin/python" -c 'import nonlin_course, os; print(os.path.dirname(nonlin_course.__file__))') \
    && "$OLDPWD/$ENV/bin/python" -m pytest -q -p no:cacheprovider --doctest-modules \
        --ignore="$PKG/exercises/nbgrader_plugins.py" -o testpaths= "$PKG")
# (the nbgrader plugins need the `instructor` extra: make test-assignments runs them)
