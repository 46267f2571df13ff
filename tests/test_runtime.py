"""Tests of nonlin_course.runtime: the device choice and seeding."""

import random

import numpy as np
import pytest
import torch

import nonlin_course as nc

ENV = "NONLIN_DEVICE"


def _no_gpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)


def _fake_gpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)


# --- device ---------------------------------------------------------------------------


def test_device_is_cpu_without_gpu_and_without_override(monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    _no_gpu(monkeypatch)
    assert nc.device() == torch.device("cpu")


def test_device_is_cuda_when_torch_sees_a_gpu(monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    _fake_gpu(monkeypatch)
    assert nc.device() == torch.device("cuda")


def test_device_follows_real_cuda_availability(monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    assert nc.device().type == ("cuda" if torch.cuda.is_available() else "cpu")


@pytest.mark.parametrize("value", ["cpu", "  cpu  ", "cpu\n"])
def test_device_override_cpu_even_when_a_gpu_is_there(monkeypatch, value):
    monkeypatch.setenv(ENV, value)
    _fake_gpu(monkeypatch)
    assert nc.device() == torch.device("cpu")


@pytest.mark.parametrize("value", ["cuda", "cuda:1"])
def test_device_override_cuda_when_torch_sees_a_gpu(monkeypatch, value):
    monkeypatch.setenv(ENV, value)
    _fake_gpu(monkeypatch)
    assert nc.device() == torch.device(value)


def test_device_blank_override_means_automatic(monkeypatch):
    monkeypatch.setenv(ENV, "   ")
    _no_gpu(monkeypatch)
    assert nc.device() == torch.device("cpu")


@pytest.mark.parametrize("value", ["junk", "gpu", "cuda:x", "cpu cuda"])
def test_device_rejects_a_name_that_is_not_a_device(monkeypatch, value):
    monkeypatch.setenv(ENV, value)
    with pytest.raises(
        ValueError,
        match=rf"NONLIN_DEVICE='{value}' is not a device name; "
        r"use 'cpu', 'cuda' or 'cuda:N'",
    ):
        nc.device()


@pytest.mark.parametrize("value", ["cuda", "cuda:0"])
def test_device_rejects_cuda_when_torch_sees_no_gpu(monkeypatch, value):
    monkeypatch.setenv(ENV, value)
    _no_gpu(monkeypatch)
    with pytest.raises(
        ValueError,
        match=rf"NONLIN_DEVICE='{value}' asks for CUDA, but torch "
        r"sees no GPU; unset it or use 'cpu'",
    ):
        nc.device()


@pytest.mark.parametrize("value", ["meta", "mps"])
def test_device_rejects_device_types_other_than_cpu_and_cuda(monkeypatch, value):
    monkeypatch.setenv(ENV, value)
    with pytest.raises(ValueError, match=r"only 'cpu' and 'cuda' are supported"):
        nc.device()


# --- seed_everything ------------------------------------------------------------------


def _draws():
    return random.random(), np.random.rand(3).tolist(), torch.rand(3).tolist()


@pytest.mark.parametrize("seed", [0, 7, 2**32 - 1])
def test_seed_everything_makes_python_numpy_and_torch_repeat(seed):
    nc.seed_everything(seed)
    first = _draws()
    nc.seed_everything(seed)
    assert _draws() == first


def test_seed_everything_accepts_a_numpy_int_as_check_seed_does():
    nc.seed_everything(np.int64(3))
    first = _draws()
    nc.seed_everything(3)
    assert _draws() == first


def test_seed_everything_matches_seeding_each_generator_by_hand():
    random.seed(5)
    np.random.seed(5)
    torch.manual_seed(5)
    by_hand = _draws()
    nc.seed_everything(5)
    assert _draws() == by_hand


def test_seed_everything_different_seeds_give_different_draws():
    nc.seed_everything(1)
    one = _draws()
    nc.seed_everything(2)
    two = _draws()
    assert all(a != b for a, b in zip(one, two))


def test_seed_everything_rejects_a_negative_seed():
    with pytest.raises(ValueError, match=r"seed must be an int in \[0, 2\*\*32\), got -1"):
        nc.seed_everything(-1)


@pytest.mark.parametrize(
    "seed, kind",
    [(True, "bool"), (False, "bool"), (1.0, "float"), ("0", "str"), (None, "NoneType")],
)
def test_seed_everything_rejects_a_seed_that_is_not_an_int(seed, kind):
    with pytest.raises(TypeError, match=rf"seed must be a non-negative int, got {kind}"):
        nc.seed_everything(seed)


def test_seed_everything_rejects_a_seed_numpy_cannot_take():
    with pytest.raises(ValueError, match=r"seed must be an int in \[0, 2\*\*32\), got 4294967296"):
        nc.seed_everything(2**32)


def test_small_kernels_restores_onednn_and_threads_after_an_error():
    from nonlin_course.runtime import small_kernels

    before = (torch.backends.mkldnn.enabled, torch.get_num_threads())
    with pytest.raises(RuntimeError, match="inside"):
        with small_kernels():
            assert not torch.backends.mkldnn.enabled and torch.get_num_threads() == 1
            raise RuntimeError("inside")
    assert (torch.backends.mkldnn.enabled, torch.get_num_threads()) == before
