"""Colab's recorded runtimes, for `make test-colab` (tools/test_colab.sh).

Each runtime is two files in tools/colab-runtimes/, copied from Colab's public record
(googlecolab/backend-info): `<runtime>.pip-freeze.txt`, what the runtime has installed,
and `<runtime>.os-info.txt`, its Python version. This module turns them into what the
script needs:

    python tools/colab_runtime.py python RUNTIME               -> "3.13"
    python tools/colab_runtime.py constraints RUNTIME          -> pip constraints (stdout)
    python tools/colab_runtime.py preinstalled RUNTIME REPORT  -> recorded pins in a pip
                                                                  --report (stdout)
    python tools/colab_runtime.py unchanged RUNTIME BEFORE AFTER  (exit 1 and a list when
                                                                  an install moved one)

The CPU runtimes run a CPU build of torch (`2.11.0+cpu`), which PyPI does not carry; the
test installs PyPI's 2.11.0, a CUDA build that runs on the CPU. That build brings its own
CUDA libraries (nvidia-*, cuda-*, triton) pinned to versions the CPU runtime never needs,
so those are left out of the constraints and of the comparison.
"""

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent / "colab-runtimes"
CUDA_BUILD_ONLY = re.compile(r"^(nvidia-|cuda-|triton$)")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)")


def normalise(name: str) -> str:
    """A distribution name as pip compares them (PEP 503).

    >>> normalise("Scikit_Learn")
    'scikit-learn'
    """
    return re.sub(r"[-_.]+", "-", name).lower()


def recorded(runtime: str) -> dict[str, str]:
    """{normalised name: version} installed in `runtime`, local labels (+cpu) dropped.

    >>> recorded("2026-08-current-cpu")["torch"]
    '2.11.0'
    """
    path = HERE / f"{runtime}.pip-freeze.txt"
    if not path.is_file():
        known = sorted(p.name.split(".")[0] for p in HERE.glob("*.pip-freeze.txt"))
        raise SystemExit(f"no recorded runtime {runtime!r}; known: {', '.join(known)}")
    pins = {}
    for line in path.read_text().splitlines():
        match = PIN.match(line.strip())
        if match and not CUDA_BUILD_ONLY.match(normalise(match[1])):
            pins[normalise(match[1])] = match[2].split("+")[0]
    return pins


def python_version(runtime: str) -> str:
    """The runtime's Python as major.minor.

    >>> python_version("2026-07-pinned-cpu")
    '3.12'
    """
    text = (HERE / f"{runtime}.os-info.txt").read_text()
    match = re.search(r"^Python (\d+\.\d+)", text, re.MULTILINE)
    if not match:
        raise SystemExit(f"{runtime}.os-info.txt names no Python version")
    return match[1]


def preinstalled(runtime: str, report: dict) -> list[str]:
    """The pins of the recorded packages that a pip --report would install."""
    pins = recorded(runtime)
    names = {normalise(item["metadata"]["name"]) for item in report["install"]}
    return sorted(f"{name}=={pins[name]}" for name in names & pins.keys())


def moved(runtime: str, before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Recorded packages whose installed version an install changed or removed.

    >>> moved("2026-08-current-cpu", {"numpy": "2.1.3"}, {"numpy": "2.3.0"})
    ['numpy 2.1.3 -> 2.3.0']
    """
    pins = recorded(runtime)
    return [
        f"{name} {before[name]} -> {after.get(name, 'removed')}"
        for name in sorted(before.keys() & pins.keys())
        if after.get(name) != before[name]
    ]


def read_freeze(path: str) -> dict[str, str]:
    """{normalised name: version} from `pip freeze` output (local labels kept off)."""
    return {
        normalise(m[1]): m[2].split("+")[0]
        for m in map(PIN.match, Path(path).read_text().splitlines())
        if m
    }


def main(argv: list[str]) -> int:
    command, runtime, *rest = argv
    if command == "python":
        print(python_version(runtime))
    elif command == "constraints":
        print("\n".join(f"{n}=={v}" for n, v in sorted(recorded(runtime).items())))
    elif command == "preinstalled":
        print("\n".join(preinstalled(runtime, json.loads(Path(rest[0]).read_text()))))
    elif command == "unchanged":
        changes = moved(runtime, read_freeze(rest[0]), read_freeze(rest[1]))
        for change in changes:
            print(f"the install changed a package Colab preinstalls: {change}")
        return 1 if changes else 0
    else:
        raise SystemExit(
            f"unknown command {command!r}: python, constraints, preinstalled, unchanged"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
