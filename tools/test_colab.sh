#!/usr/bin/env bash
# `make test-colab`: the Colab edition (colab/, written by `make colab`) run the way a
# learner runs it in Colab.
#
# Colab has a newer Python (3.12) and its own torch, and each chapter's first cell
# installs `nonlin-course[book]` there from the repository. This script builds a fresh
# Python 3.12 virtual environment, installs the package the same way (from this checkout
# instead of the git URL, not editable, so the notebooks import the installed copy),
# lets pip choose torch for that Python, and runs every notebook with nbval. Outputs are
# not compared (--nbval-lax: other Python, other torch, other last digits), but every
# hidden check cell still asserts.
#
# Python 3.12 is taken from $COLAB_PYTHON, else `python3.12` on the PATH, else pyenv.
# The environment lives in _build/colab-venv and is rebuilt on every run.
set -euo pipefail
cd "$(dirname "$0")/.."

is_312() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null; }

find_python() {
    local root candidate
    root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
    # a pyenv shim named python3.12 may exist and still refuse to run: try each one
    for candidate in "${COLAB_PYTHON:-}" "$(command -v python3.12 || true)" \
                     "$root"/versions/3.12*/bin/python3.12; do
        if [ -n "$candidate" ] && is_312 "$candidate"; then echo "$candidate"; return; fi
    done
    echo "test-colab needs Python 3.12: set COLAB_PYTHON=/path/to/python3.12" >&2
    exit 1
}

PYTHON=$(find_python)
VENV=_build/colab-venv
echo "== fresh virtual environment in $VENV with $("$PYTHON" --version)"
rm -rf "$VENV"
mkdir -p _build
"$PYTHON" -m venv "$VENV"

echo "== installing nonlin-course[book] from $PWD, as the Colab setup cell does"
# From a copy of what a clone would hold (tracked and new, not ignored, files): pip builds
# in place and would leave build/ in the checkout.
SOURCE=$(mktemp -d)
trap 'rm -rf "$SOURCE"' EXIT
git ls-files -z --cached --others --exclude-standard \
    | tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$SOURCE"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    "nonlin-course[book] @ file://$SOURCE" nbval pytest ipykernel
"$VENV/bin/python" -I - <<'EOF'
import sys, torch, lets_plot, nonlin_course
print(f"python {sys.version.split()[0]}, torch {torch.__version__}, "
      f"lets-plot {lets_plot.__version__}, nonlin_course from {nonlin_course.__file__}")
EOF

echo "== every chapter of the Colab edition with nbval (lenient outputs, checks assert)"
# -p no:cacheprovider and no doctests: only the notebooks, against the installed package.
# The edition's setup cell installs only inside Colab, so here it leaves the venv alone.
"$VENV/bin/python" -m pytest -o addopts="" -p no:cacheprovider \
    --nbval-lax --nbval-current-env colab/*.ipynb "$@"
