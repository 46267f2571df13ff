"""tools/nbval_mode.py: saved outputs are compared only on the machine that saved them."""

import json

from by_path import load

nbval_mode = load("tools/nbval_mode.py")

HERE = {
    "device": "cpu",
    "cpu": "AMD EPYC",
    "torch": "2.13.0+cpu",
    "cores": 2,
    "capability": "AVX512",
    "python": "3.11.7",
    "date": "2026-12-02",
}


def notebook(tmp_path, name, runs, outputs="cpu"):
    path = tmp_path / name
    meta = {"nonlin_course": {"runs": runs, "outputs": outputs}}
    path.write_text(json.dumps({"metadata": meta, "cells": []}))
    return path


def test_outputs_saved_here_are_compared(tmp_path):
    saved = HERE | {"date": "2026-11-30", "seconds": 12.0}  # another day, same machine
    paths = [notebook(tmp_path, f"{i}.ipynb", {"cpu": saved}) for i in range(2)]
    assert nbval_mode.mode(paths, HERE) == ("--nbval", "")


def test_another_cpu_torch_or_device_runs_lax_and_says_why(tmp_path):
    for key, other in [
        ("cpu", "Intel(R) Xeon(R)"),
        ("torch", "2.14.1+cpu"),
        ("device", "cuda"),
        ("cores", 4),
        ("capability", "AVX2"),
    ]:
        path = notebook(tmp_path, "a.ipynb", {"cpu": HERE})
        option, why = nbval_mode.mode([path], HERE | {key: other})
        assert option == "--nbval-lax"
        assert str(other) in why and "a.ipynb" in why


def test_one_notebook_from_elsewhere_is_enough_to_run_lax(tmp_path):
    good = notebook(tmp_path, "good.ipynb", {"cpu": HERE})
    odd = notebook(tmp_path, "odd.ipynb", {"cpu": HERE | {"cpu": "Apple M2"}})
    assert nbval_mode.mode([good, odd], HERE)[0] == "--nbval-lax"


def test_a_notebook_without_a_record_runs_lax(tmp_path):
    path = notebook(tmp_path, "bare.ipynb", {})
    assert nbval_mode.mode([path], HERE)[0] == "--nbval-lax"


def test_outputs_saved_by_a_gpu_run_are_not_compared_on_this_cpu(tmp_path):
    gpu = HERE | {"device": "cuda", "gpu": "NVIDIA H200"}
    path = notebook(tmp_path, "g.ipynb", {"cpu": HERE, "cuda": gpu}, outputs="cuda")
    assert nbval_mode.mode([path], HERE)[0] == "--nbval-lax"
    assert nbval_mode.mode([path], gpu) == ("--nbval", "")
