"""Tests of nonlin_course.nets.activations: the registry of activations by name."""

import pytest
import torch
from torch import nn
from torch.nn import functional as F

import nonlin_course as nc

# An independent reference for every registry entry: torch's functional form.
REFERENCE = {
    "identity": lambda x: x,
    "relu": F.relu,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu6": F.relu6,
    "leakyrelu": lambda x: F.leaky_relu(x, negative_slope=0.01),
    "elu": lambda x: F.elu(x, alpha=1.0),
    "gelu": lambda x: F.gelu(x, approximate="none"),
    "silu": lambda x: x * torch.sigmoid(x),
    "hardtanh": lambda x: x.clamp(-1, 1),
    "selu": lambda x: (
        1.0507009873554805 * torch.where(x > 0, x, 1.6732632423543772 * torch.expm1(x))
    ),
    "celu": lambda x: torch.where(x > 0, x, torch.expm1(x)),
    "softplus": lambda x: torch.log1p(torch.exp(-x.abs())) + x.clamp(min=0),
    "mish": lambda x: x * torch.tanh(F.softplus(x)),
    "hardswish": lambda x: x * (x + 3).clamp(0, 6) / 6,
    "softsign": lambda x: x / (1 + x.abs()),
}


def _inputs():
    generator = torch.Generator().manual_seed(0)
    sample = torch.randn(64, 3, generator=generator) * 4
    edges = torch.tensor([[0.0, -1e-3, 1e-3], [6.0, 7.0, -7.0]])  # kinks of relu/relu6
    return torch.cat([sample, edges])


def test_every_registered_name_has_a_reference():
    assert set(nc.activation_names()) == set(REFERENCE)


def test_activation_names_are_lower_case_without_separators():
    names = nc.activation_names()
    assert len(names) == len(set(names))
    assert all(name.isalnum() and name == name.lower() for name in names)
    assert {"identity", "relu"} <= set(names)


def test_activation_names_returns_a_copy():
    names = nc.activation_names()
    names.append("bogus")
    assert "bogus" not in nc.activation_names()


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_activation_module_equals_torch_functional(name):
    module = nc.activation(name)
    assert isinstance(module, nn.Module)
    x = _inputs()
    torch.testing.assert_close(module(x), REFERENCE[name](x), rtol=1e-6, atol=1e-7)


def test_activation_returns_a_fresh_module_each_call():
    assert nc.activation("relu") is not nc.activation("relu")


def test_none_means_identity():
    module = nc.activation(None)
    assert isinstance(module, nn.Identity)
    x = _inputs()
    assert torch.equal(module(x), x)


def test_activation_name_is_case_insensitive():
    assert isinstance(nc.activation("LeakyReLU"), nn.LeakyReLU)


@pytest.mark.parametrize("name", ["swish", "", "leaky_relu", "relu "])
def test_unknown_activation_name_lists_the_allowed_ones(name):
    with pytest.raises(
        ValueError,
        match=rf"unknown activation.*'{name}'; choose one of "
        r"\['identity', 'relu', .*'softsign'\]",
    ):
        nc.activation(name)


@pytest.mark.parametrize("name, kind", [(3, "int"), (nn.ReLU, "type"), (["relu"], "list")])
def test_activation_name_must_be_a_str_or_none(name, kind):
    with pytest.raises(TypeError, match=rf"activation name must be a str or None, got {kind}"):
        nc.activation(name)


def test_the_batched_trainers_kernels_are_the_modules_and_autograds():
    """FORWARD writes exactly the module's output into a slice of a larger tensor;
    BACKWARD writes the gradient autograd computes, at the kinks too."""
    from nonlin_course.nets.activations import BACKWARD, FORWARD

    gen = torch.Generator().manual_seed(0)
    edges = torch.tensor([0.0, 6.0, -1.0, 1.0, -3.0, 3.0, 25.0, -25.0])  # kinks, thresholds
    z32 = torch.cat([torch.randn(500, generator=gen) * 4, edges])
    assert set(FORWARD) == set(BACKWARD) == set(nc.activation_names())
    for name, z in [(n, z) for n in nc.activation_names() for z in (z32, z32.double())]:
        g = torch.randn(z.shape, generator=gen, dtype=z.dtype)
        leaf = z.clone().requires_grad_(True)
        (expected,) = torch.autograd.grad(nc.activation(name)(leaf), leaf, g)
        a, dz = (torch.full((2, len(z)), torch.nan, dtype=z.dtype) for _ in range(2))
        FORWARD[name](z, a[1])
        assert torch.equal(a[1], nc.activation(name)(z)), name
        BACKWARD[name](g, z, a[1], dz[1])
        assert torch.allclose(dz[1], expected, rtol=1e-6, atol=1e-7), name
        assert a[0].isnan().all() and dz[0].isnan().all(), name  # only the slice written
