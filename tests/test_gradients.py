"""Gradient ratios, dead units, initialisation and first-step gradients."""
import math
import pandas as pd
import pytest
import torch
from torch import nn

import nonlin_course as nc
from nonlin_course.nets.initialisation import initialise


def test_layer_ratio_divides_the_mean_of_the_first_layer_by_the_last():
    grads = pd.DataFrame({"activation": ["a"] * 6 + ["b"] * 3,
                          "layer": [1, 2, 3, 1, 2, 3, 1, 2, 3],
                          "value": [1.0, 5.0, 4.0, 3.0, 5.0, 6.0, 2.0, 1.0, 8.0]})
    table = nc.layer_ratio(grads).set_index("activation")
    assert table.loc["a", "first"] == 2.0 and table.loc["a", "last"] == 5.0
    assert table.loc["a", "ratio"] == pytest.approx(0.4)
    assert table.loc["b", "ratio"] == pytest.approx(0.25)


def test_layer_ratio_names_a_missing_column():
    with pytest.raises(ValueError, match=r"grads: DataFrame lacks columns.*'layer'"):
        nc.layer_ratio(pd.DataFrame({"activation": ["a"], "value": [1.0]}))


def _relu_net(bias):
    net = nc.mlp([1, 3, 1], "relu")
    with torch.no_grad():
        net[0].weight.fill_(1.0)
        net[0].bias.copy_(torch.tensor(bias))
    return net


def test_dead_units_counts_units_that_are_zero_on_every_input():
    X = torch.linspace(-1, 1, 11).unsqueeze(1)
    assert nc.dead_units(_relu_net([0.0, -5.0, -3.0]), X) == 2   # x - 5 and x - 3 never fire
    assert nc.dead_units(_relu_net([5.0, 0.0, 0.5]), X) == 0
    leaky = nc.mlp([1, 3, 1], "leakyrelu")
    with torch.no_grad():
        leaky[0].bias.fill_(-5.0)
    assert nc.dead_units(leaky, X) == 0                           # a leaky unit is never 0


def test_dead_units_checks_its_inputs():
    with pytest.raises(ValueError, match=r"X must have shape"):
        nc.dead_units(_relu_net([0.0, 0.0, 0.0]), torch.zeros(3))
    with pytest.raises(TypeError, match=r"nn.Sequential"):
        nc.dead_units(nn.Linear(1, 1), torch.zeros(3, 1))


@pytest.mark.parametrize("scheme, std", [("kaiming", lambda i, o: (2 / i) ** 0.5),
                                         ("xavier", lambda i, o: (2 / (i + o)) ** 0.5)])
def test_initialise_draws_weights_with_the_closed_form_spread(scheme, std):
    torch.manual_seed(0)
    model = initialise(nn.Sequential(nn.Linear(400, 300)), scheme)
    W = model[0].weight
    assert W.std().item() == pytest.approx(std(400, 300), rel=0.02)
    assert torch.equal(model[0].bias, torch.zeros(300))


@pytest.mark.parametrize("activation, g", [("tanh", 5 / 3), ("sigmoid", 1.0), ("relu", 2 ** 0.5),
                                           ("identity", 1.0), ("gelu", 2 ** 0.5)])
def test_kaiming_uses_the_activations_gain_everywhere(activation, g):
    torch.manual_seed(0)
    model = initialise(nn.Sequential(nn.Linear(400, 300)), "kaiming", activation)
    assert model[0].weight.std().item() == pytest.approx(g / 400 ** 0.5, rel=0.02)
    (trained,) = nc.init_models([400, 300, 1], [activation], [0], ["kaiming"])   # as the trainers do
    assert trained[0].weight.std().item() == pytest.approx(g / 400 ** 0.5, rel=0.02)
    assert nc.init_deep(nc.mlp([400, 300]), "kaiming", activation)[0].weight.std().item() == \
        pytest.approx(g / 400 ** 0.5, rel=0.02)


def test_initialise_default_keeps_the_weights_and_rejects_unknown_names():
    model = nc.mlp([2, 3, 1])
    before = [p.clone() for p in model.parameters()]
    initialise(model, "default")
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters()))
    with pytest.raises(ValueError, match=r"unknown initialisation scheme 'he'; choose one of"):
        initialise(model, "he")


def test_first_step_gradients_match_autograd_by_hand():
    torch.manual_seed(1)
    model = nc.mlp([2, 4, 1], "tanh")
    X, y = torch.randn(16, 2), torch.randint(0, 2, (16,))
    table = nc.first_step_gradients(model, X, y, loss="bce")
    loss = nn.BCEWithLogitsLoss()(model(X).squeeze(1), y.float())
    expected = [g.abs().mean().item()
                for g in torch.autograd.grad(loss, [model[0].weight, model[2].weight])]
    assert table.layer.tolist() == [1, 2]
    assert table.value.tolist() == pytest.approx(expected, rel=1e-6)
    assert all(p.grad is None or not p.grad.any() for p in model.parameters())
    with pytest.raises(ValueError, match=r"y must be an integer tensor of shape \(16,\)"):
        nc.first_step_gradients(model, X, y.float())


def test_dead_units_need_a_row():
    with pytest.raises(ValueError, match="X is empty"):
        nc.dead_units(nc.mlp([2, 4, 2]), torch.zeros(0, 2))


def test_dead_units_of_nan_inputs_are_refused():
    with pytest.raises(ValueError, match="X must hold finite numbers"):
        nc.dead_units(nc.mlp([2, 4, 2]), torch.tensor([[0.0, math.nan]]))


def test_dead_units_see_relus_nested_in_their_own_sequential():
    model = nn.Sequential(nn.Linear(1, 2), nn.Sequential(nn.ReLU()), nn.Linear(2, 1))
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[1.0], [-1.0]]))
        model[0].bias.zero_()
    assert nc.dead_units(model, torch.tensor([[1.0], [2.0]])) == 1   # as the flat model


@pytest.mark.parametrize("grads, match", [
    (pd.DataFrame({"activation": "relu", "layer": ["a", "b"], "value": [0.1, 0.2]}), "layer"),
    (pd.DataFrame({"activation": "relu", "layer": [1, 2], "value": [0.1, math.nan]}),
     "finite"),
    (pd.DataFrame({"activation": [], "layer": [], "value": []}).astype({"layer": "int64"}),
     "empty"),
])
def test_layer_ratio_refuses_tables_without_layer_numbers_or_values(grads, match):
    with pytest.raises((TypeError, ValueError), match=match):
        nc.layer_ratio(grads)
