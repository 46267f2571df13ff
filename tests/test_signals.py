"""Signals at initialisation: the Kaiming variance argument, against closed forms and torch."""
import math

import pytest
import torch
from torch import nn

import nonlin_course as nc
from nonlin_course.nets.initialisation import (
    GAINS,
    SCALES,
    TORCH_GAIN,
    gain,
    kaiming_std,
)
from nonlin_course.nets.norms import norm_mlp


def test_kaiming_std_is_gain_over_root_fan_in_and_matches_torch():
    assert kaiming_std(64) == pytest.approx(math.sqrt(2 / 64))
    assert kaiming_std(32, 5 / 3) == pytest.approx(5 / 3 / math.sqrt(32))
    torch.manual_seed(0)
    w = torch.empty(1000, 500)
    nn.init.kaiming_normal_(w, nonlinearity="relu")
    assert w.std().item() == pytest.approx(kaiming_std(500), rel=0.01)
    for name, args in TORCH_GAIN.items():
        assert GAINS[name] == pytest.approx(nn.init.calculate_gain(*args))


def test_gain_is_torchs_where_torch_defines_one_and_relus_elsewhere():
    assert gain("tanh") == 5 / 3 and gain("sigmoid") == 1 and gain(None) == gain("identity") == 1
    assert gain("leakyrelu") == pytest.approx(math.sqrt(2 / (1 + 0.01 ** 2)))
    assert gain("selu") == pytest.approx(0.75) and gain("LeakyReLU") == gain("leakyrelu")
    for name in ["relu6", "elu", "gelu", "silu", "mish", "softplus", "hardswish"]:
        assert gain(name) == pytest.approx(math.sqrt(2)), name
    with pytest.raises(ValueError, match=r"activation_name must be one of .* got 'swish'"):
        gain("swish")


@pytest.mark.parametrize("gain", [math.sqrt(2), 1.0, 2 * math.sqrt(2)])
def test_the_variance_of_a_kaiming_relu_layer_follows_the_closed_form(gain):
    """Var(z) = fan_in * s^2 * E[relu(z')^2] = (gain^2 / 2) Var(z') for symmetric z'."""
    torch.manual_seed(1)
    fan_in, v = 2000, 3.0
    z_prev = torch.randn(4000, fan_in, dtype=torch.float64) * math.sqrt(v)
    W = torch.randn(500, fan_in, dtype=torch.float64) * kaiming_std(fan_in, gain)
    z = torch.relu(z_prev) @ W.T
    assert z.var().item() == pytest.approx(gain ** 2 / 2 * v, rel=0.03)
    assert nc.relu_std_after(1, gain, math.sqrt(v)) == pytest.approx(math.sqrt(gain ** 2 / 2 * v))


def test_relu_std_after_compounds_per_layer():
    assert nc.relu_std_after(0, 3.0, 2.0) == 2.0
    assert nc.relu_std_after(9, math.sqrt(2) / 2) == pytest.approx(0.5 ** 9)
    assert nc.relu_std_after(3, 2 * math.sqrt(2)) == pytest.approx(8.0)


@pytest.mark.parametrize("scheme", ["kaiming", "small", "large"])
def test_init_deep_draws_kaiming_scaled_weights_and_zero_biases(scheme):
    torch.manual_seed(2)
    model = nc.init_deep(nc.mlp([400, 300, 300, 2], "tanh"), scheme, "tanh")
    want = 5 / 3 / math.sqrt(400) * SCALES.get(scheme, 1.0)
    assert model[0].weight.std().item() == pytest.approx(want, rel=0.02)
    assert all((layer.bias == 0).all() for layer in model if isinstance(layer, nn.Linear))


def test_init_deep_xavier_and_default():
    torch.manual_seed(3)
    model = nc.init_deep(nc.mlp([400, 600, 2]), "xavier")
    assert model[0].weight.std().item() == pytest.approx(math.sqrt(2 / 1000), rel=0.02)
    torch.manual_seed(4)
    plain = nc.mlp([5, 4, 2])
    torch.manual_seed(4)
    assert torch.equal(nc.init_deep(nc.mlp([5, 4, 2]), "default")[0].weight, plain[0].weight)


def test_saturated_fraction_for_tanh_and_its_sigmoid_twin():
    a = torch.tensor([0.0, 0.98, -0.99, 0.5])
    assert nc.saturated_fraction(a) == 0.5
    x = torch.randn(10_000, dtype=torch.float64) * 4
    # sigmoid(x) = (1 + tanh(x / 2)) / 2: the same units saturate
    assert nc.saturated_fraction(torch.sigmoid(x), "sigmoid") == pytest.approx(
        nc.saturated_fraction(torch.tanh(x / 2)), abs=1e-4)


def test_layer_signals_match_a_hand_forward_and_backward():
    torch.manual_seed(5)
    model = nc.mlp([6, 5, 4, 3], "tanh")
    X, y = torch.randn(40, 6), torch.randint(0, 3, (40,))
    got = nc.layer_signals(model, X, y)
    assert all(p.grad is None or (p.grad == 0).all() for p in model.parameters())   # reset
    z1 = model[0](X)
    a1 = torch.tanh(z1)
    z2 = model[2](a1)
    a2 = torch.tanh(z2)
    a1.retain_grad()
    a2.retain_grad()
    nn.functional.cross_entropy(model[4](a2), y, reduction="sum").backward()
    assert got.pre_std.tolist() == pytest.approx([z1.std().item(), z2.std().item()], rel=1e-5)
    assert got.act_std.tolist() == pytest.approx([a1.std().item(), a2.std().item()], rel=1e-5)
    assert got.grad_std.tolist() == pytest.approx([a1.grad.std().item(), a2.grad.std().item()],
                                                  rel=1e-4)
    assert got.saturated.tolist() == [nc.saturated_fraction(a1.detach()),
                                      nc.saturated_fraction(a2.detach())]


def test_dead_fraction_counts_units_off_for_every_input():
    model = nc.mlp([2, 4, 2], "relu")
    with torch.no_grad():
        model[0].bias.copy_(torch.tensor([-100.0, -100.0, 100.0, 100.0]))
    signals = nc.layer_signals(model, torch.randn(30, 2), torch.randint(0, 2, (30,)))
    assert signals.dead.tolist() == [0.5]


def test_histograms_share_sums_to_one_per_layer():
    torch.manual_seed(6)
    values = nc.layer_values(nc.mlp([4, 8, 8, 2], "tanh"), torch.randn(50, 4),
                             torch.randint(0, 2, (50,)))
    hist = nc.histograms(values, bins=10)
    sums = hist.groupby(["kind", "layer"]).share.sum()
    assert ((sums - 1).abs() < 1e-6).all() and len(sums) == 4


def test_norm_layers_sit_between_z_and_a():
    model = norm_mlp([4, 6, 6, 2], "sigmoid", "batchnorm").train()
    signals = nc.layer_signals(model, torch.randn(64, 4) * 5, torch.randint(0, 2, (64,)))
    assert list(signals.layer) == [1, 2]
    assert signals.saturated.max() < 0.01     # BatchNorm keeps the sigmoid's inputs near 0
