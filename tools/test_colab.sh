#!/usr/bin/env bash
# `make test-colab`: the Colab edition (colab/, written by `make colab`) run on Colab's
# recorded runtimes, the way a learner runs it there.
#
#   bash tools/test_colab.sh [--quick] [RUNTIME ...]
#
# RUNTIME is a file stem in tools/colab-runtimes/ (default: 2026-08-current-cpu, Python
# 3.13, and 2026-07-pinned-cpu, Python 3.12). For each one:
#   1. a fresh virtual environment with that runtime's Python (pyenv's, or $PYTHON_3_13 /
#      $PYTHON_3_12) and, installed first, the recorded version of every package that our
#      install or the notebook runner touches (torch 2.11.0, numpy, pandas, scikit-learn,
#      IPython, ipykernel, tqdm, ...: what Colab has before the learner's first cell);
#   2. the package installed exactly as the edition's first cell installs it
#      (`pip install nonlin-course==VERSION`, from a wheel of this checkout), no constraint:
#      it fails if that install upgrades, downgrades or removes a preinstalled package, or
#      if `pip check` complains;
#   3. every chapter run top to bottom, as "Run all" does, with nbval (outputs not
#      compared, hidden checks assert), each chapter's time written to
#      _build/colab/RUNTIME/times.txt.
# --quick (run by CI) stops after resolving the install against the recorded versions
# (pip --dry-run: no torch download) and checks that it needs none of them changed.
#
# torch 2.11.0 comes from PyPI as its CUDA build (several GB; it runs on the CPU), cached
# in $COLAB_WHEELS (default ~/.cache/nonlin-course/colab-wheels), outside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=0
if [ "${1:-}" = "--quick" ]; then QUICK=1; shift; fi
RUNTIMES=("$@")
[ ${#RUNTIMES[@]} -gt 0 ] || RUNTIMES=(2026-08-current-cpu 2026-07-pinned-cpu)
WHEELS=${COLAB_WHEELS:-$HOME/.cache/nonlin-course/colab-wheels}
PIP=(-m pip --disable-pip-version-check --quiet)
VERSION=$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
ROOT=_build/colab
runtime_tool() { python3 tools/colab_runtime.py "$@"; }

find_python() {   # find_python 3.13
    local var="PYTHON_${1/./_}" root candidate
    root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
    for candidate in "${!var:-}" "$(command -v "python$1" || true)" "$root"/versions/"$1".*/bin/"python$1"; do
        if [ -n "$candidate" ] && "$candidate" -c "import sys; sys.exit(f'{sys.version_info[0]}.{sys.version_info[1]}' != '$1')" 2>/dev/null; then
            echo "$candidate"; return
        fi
    done
    echo "test-colab needs Python $1 (pyenv install $1, or set $var=/path/to/python$1)" >&2
    exit 1
}

echo "== a wheel of nonlin-course $VERSION from this checkout"
# from a copy of what a clone holds (tracked and new files, not ignored ones): a build in
# place would leave build/ in the checkout
SOURCE=$(mktemp -d)
trap 'rm -rf "$SOURCE"' EXIT
git ls-files -z --cached --others --exclude-standard \
    | tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$SOURCE"
rm -rf "$ROOT/dist" && mkdir -p "$ROOT/dist" "$WHEELS"
python3 "${PIP[@]}" wheel --no-deps --no-build-isolation -w "$ROOT/dist" "$SOURCE" 2>/dev/null \
    || python3 "${PIP[@]}" wheel --no-deps -w "$ROOT/dist" "$SOURCE"
INSTALL="nonlin-course==$VERSION"
if [ $QUICK = 0 ] && ! grep -q "$INSTALL" colab/*.ipynb; then
    echo "the Colab edition's first cell does not install $INSTALL: run make colab" >&2; exit 1
fi

for RUNTIME in "${RUNTIMES[@]}"; do
    PY_VERSION=$(runtime_tool python "$RUNTIME")
    PYTHON=$(find_python "$PY_VERSION")
    ENV="$ROOT/$RUNTIME"
    echo "== $RUNTIME: fresh environment in $ENV with $("$PYTHON" --version)"
    rm -rf "$ENV" && "$PYTHON" -m venv "$ENV"
    runtime_tool constraints "$RUNTIME" >"$ENV/constraints.txt"
    # what Colab has before the first cell: the recorded versions of what our install and
    # the runner need (resolved without downloading torch: pip reads the wheels' metadata)
    "$ENV/bin/python" "${PIP[@]}" install --dry-run --ignore-installed --report "$ENV/report.json" \
        -c "$ENV/constraints.txt" --find-links "$ROOT/dist" "$INSTALL" ipykernel ipython pytest \
        2> >(grep -v "is ignored" >&2) \
        || { echo "$RUNTIME: $INSTALL does not resolve against the recorded versions" >&2; exit 1; }
    runtime_tool preinstalled "$RUNTIME" "$ENV/report.json" >"$ENV/preinstalled.txt"
    echo "   resolves against the recorded versions: $(wc -l <"$ENV/preinstalled.txt") recorded packages, none changed"
    [ $QUICK = 1 ] && continue

    echo "== $RUNTIME: Colab's preinstalled packages (torch from $WHEELS)"
    "$ENV/bin/python" "${PIP[@]}" download -d "$WHEELS" -c "$ENV/constraints.txt" \
        -r "$ENV/preinstalled.txt" 2> >(grep -v "is ignored" >&2)
    "$ENV/bin/python" "${PIP[@]}" install --find-links "$WHEELS" -c "$ENV/constraints.txt" \
        -r "$ENV/preinstalled.txt" 2> >(grep -v "is ignored" >&2)
    "$ENV/bin/python" "${PIP[@]}" freeze >"$ENV/before.txt"

    echo "== $RUNTIME: the first cell's install, $INSTALL, unconstrained"
    "$ENV/bin/python" "${PIP[@]}" install --find-links "$ROOT/dist" "$INSTALL" \
        2> >(grep -v "is ignored" >&2)
    "$ENV/bin/python" "${PIP[@]}" freeze >"$ENV/after.txt"
    runtime_tool unchanged "$RUNTIME" "$ENV/before.txt" "$ENV/after.txt"
    "$ENV/bin/python" -m pip check
    "$ENV/bin/python" -I -c 'import sys, torch, numpy, pandas, IPython, nonlin_course as nc
print(f"python {sys.version.split()[0]}, torch {torch.__version__}, numpy {numpy.__version__}, "
      f"pandas {pandas.__version__}, IPython {IPython.__version__}, nonlin_course {nc.__file__}")'

    echo "== $RUNTIME: every chapter, top to bottom (nbval, lenient outputs, checks assert)"
    "$ENV/bin/python" "${PIP[@]}" install -c "$ENV/constraints.txt" nbval \
        2> >(grep -v "is ignored" >&2)
    : >"$ENV/times.txt"
    for notebook in colab/*.ipynb; do
        start=$EPOCHREALTIME
        "$ENV/bin/python" -m pytest -q -o addopts="" -p no:cacheprovider \
            --nbval-lax --nbval-current-env "$notebook"
        python3 -c "print(f'$(basename "$notebook") {$EPOCHREALTIME - $start:.1f} s')" \
            | tee -a "$ENV/times.txt"
    done
done
