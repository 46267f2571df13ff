"""The release's metadata agrees with itself: one version, the licences it names exist,
and the Colab runtimes that `make test-colab` reproduces are the ones recorded."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from by_path import load

import nonlin_course as nc

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
colab_runtime = load("tools/colab_runtime.py")


def test_one_version_in_pyproject_the_package_and_the_citation():
    citation = re.search(r"^version: (\S+)$", (ROOT / "CITATION.cff").read_text(), re.M)
    assert PROJECT["version"] == nc.__version__ == citation[1]


def test_the_licences_are_there_and_say_what_they_cover():
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    text = (ROOT / "LICENSE-TEXT.md").read_text()
    assert "CC BY 4.0" in text and "creativecommons.org/licenses/by/4.0" in text
    assert "MIT" in PROJECT["license"]["text"]


def test_recorded_runtimes_name_the_versions_colab_announced():
    current = colab_runtime.recorded("2026-08-current-cpu")
    pinned = colab_runtime.recorded("2026-07-pinned-cpu")
    assert (current["torch"], current["numpy"], current["pandas"]) == ("2.11.0", "2.1.3", "2.2.3")
    assert (current["scikit-learn"], current["ipython"]) == ("1.6.1", "7.34.0")
    assert pinned["numpy"] == "2.0.2" and pinned["torch"] == "2.11.0"
    assert colab_runtime.python_version("2026-08-current-cpu") == "3.13"
    assert colab_runtime.python_version("2026-07-pinned-cpu") == "3.12"
    # the CUDA build's own libraries never constrain the CPU runtime
    assert not [name for name in current if name.startswith("nvidia-") or name == "triton"]


def test_an_install_that_moves_a_preinstalled_package_is_reported(tmp_path):
    before, after = tmp_path / "before.txt", tmp_path / "after.txt"
    before.write_text("numpy==2.1.3\ntorch==2.11.0+cu128\nlets-plot==4.11.0\n")
    after.write_text("numpy==2.3.0\ntorch==2.11.0\nlets-plot==4.12.0\n")
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools/colab_runtime.py"),
            "unchanged",
            "2026-08-current-cpu",
            str(before),
            str(after),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    # numpy is Colab's and moved; torch's local label is no change; lets-plot is not Colab's
    assert result.stdout.splitlines() == [
        "the install changed a package Colab preinstalls: numpy 2.1.3 -> 2.3.0"
    ]
