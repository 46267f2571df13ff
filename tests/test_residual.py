"""Tests of nonlin_course.residual: the residual MLP against an explicit computation."""

import itertools

import numpy as np
import pytest
import torch

import nonlin_course as nc
from nonlin_course.nets.residual import residual_mlp


def _numpy_forward(net, x: np.ndarray, skip: bool) -> np.ndarray:
    """The residual recursion written out in numpy, from the net's weights (float64)."""
    weights = [
        (layer.weight.detach().double().numpy(), layer.bias.detach().double().numpy())
        for layer in net.layers
    ]
    relu = lambda v: np.maximum(v, 0.0)
    W, b = weights[0]
    z = x @ W.T + b
    for W, b in weights[1:-1]:
        step = relu(z) @ W.T + b
        z = z + step if skip else step
    W, b = weights[-1]
    return relu(z) @ W.T + b


@pytest.mark.parametrize("skip", [True, False])
def test_forward_matches_the_recursion_written_in_numpy(skip):
    torch.manual_seed(0)
    net = residual_mlp([3, 6, 6, 6, 6, 2], "relu", skip=skip).double()
    x = torch.randn(40, 3, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    expected = _numpy_forward(net, x.numpy(), skip)
    np.testing.assert_allclose(net(x).detach().numpy(), expected, rtol=1e-12, atol=1e-12)


def test_without_skips_it_is_the_plain_mlp_with_the_same_initial_weights():
    torch.manual_seed(3)
    plain = residual_mlp([5, 7, 7, 4], "tanh", skip=False)
    torch.manual_seed(3)
    reference = nc.mlp([5, 7, 7, 4], "tanh")
    x = torch.randn(10, 5)
    assert torch.equal(plain(x), reference(x))
    assert [p.shape for p in plain.parameters()] == [p.shape for p in reference.parameters()]


def test_skips_change_the_function_not_the_parameters():
    torch.manual_seed(0)
    skipped = residual_mlp([2, 4, 4, 4, 1], skip=True)
    torch.manual_seed(0)
    plain = residual_mlp([2, 4, 4, 4, 1], skip=False)
    assert nc.parameter_count([2, 4, 4, 4, 1]) == sum(p.numel() for p in skipped.parameters())
    x = torch.randn(8, 2)
    assert not torch.allclose(skipped(x), plain(x))


def test_zero_hidden_weights_pass_the_first_layer_through():
    net = residual_mlp([2, 3, 3, 3, 2])
    with torch.no_grad():
        for layer in net.layers[1:-1]:
            layer.weight.zero_()
            layer.bias.zero_()
    x = torch.randn(4, 2)
    z1 = net.layers[0](x)
    assert torch.allclose(net(x), net.layers[-1](torch.relu(z1)))


def test_init_deep_reinitialises_every_layer():
    net = nc.init_deep(residual_mlp([64] + [32] * 4 + [10]), "kaiming", "relu")
    for layer in net.layers:
        assert torch.count_nonzero(layer.bias) == 0
    assert abs(net.layers[1].weight.std().item() - (2 / 32) ** 0.5) < 0.02


@pytest.mark.parametrize(
    "sizes, skip, error, words",
    [
        ([2, 4, 5, 1], True, ValueError, "hidden width"),
        ([2], True, ValueError, "at least two"),
        ("24", True, ValueError, "at least two"),
        ([2, 0, 1], True, ValueError, "positive"),
        ([2, 4, 4, 1], "yes", TypeError, "skip"),
    ],
)
def test_bad_input_says_what_is_wrong(sizes, skip, error, words):
    with pytest.raises(error, match=words):
        residual_mlp(sizes, skip=skip)


def test_unequal_widths_are_fine_without_skips():
    assert residual_mlp([2, 4, 5, 1], skip=False)(torch.zeros(1, 2)).shape == (1, 1)


def test_unknown_activation_is_refused():
    with pytest.raises(ValueError, match="unknown activation"):
        residual_mlp([2, 3, 1], "relu7")


def test_pre_activations_are_the_recursions_steps():
    torch.manual_seed(0)
    net = residual_mlp([3, 5, 5, 5, 2]).double()
    x = torch.randn(7, 3, dtype=torch.float64)
    zs = net.pre_activations(x)
    assert len(zs) == 3 and all(z.shape == (7, 5) for z in zs)
    for z, z_next, layer in zip(zs, zs[1:], net.layers[1:-1]):
        assert torch.allclose(z_next, z + torch.relu(z) @ layer.weight.T + layer.bias)


def test_kaiming_skips_double_the_variance_per_block():
    """Var(z + W relu(z)) = 2 Var(z) for W ~ N(0, 2 / n): the argument of chapter 5."""
    torch.manual_seed(0)
    net = nc.init_deep(residual_mlp([256] + [256] * 6 + [2]).double(), "kaiming", "relu")
    zs = net.pre_activations(torch.randn(2000, 256, dtype=torch.float64))
    ratios = [(b.var() / a.var()).item() for a, b in itertools.pairwise(zs)]
    assert all(abs(r - 2) < 0.3 for r in ratios), ratios
