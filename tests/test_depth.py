"""The tent map, its compositions and exact piece counts, against closed forms."""
import math

import pytest
import torch
from torch import nn

import nonlin_course as nc
from nonlin_course.piecewise.depth import MAX_LAYERS


def tent(x):
    return torch.where(x < 0.5, 2 * x, 2 - 2 * x).clamp(min=0)   # an independent formula


def composed(x, layers):
    for _ in range(layers):
        x = tent(x)
    return x


@pytest.mark.parametrize("layers", range(1, 7))
def test_tent_net_is_the_composed_tent_map(layers):
    x = torch.linspace(0, 1, 1025, dtype=torch.float64).unsqueeze(1)
    assert torch.allclose(nc.tent_net(layers)(x), composed(x, layers), atol=1e-12)
    assert [m.out_features for m in nc.tent_net(layers) if isinstance(m, nn.Linear)] == \
        [2] * layers + [1]


@pytest.mark.parametrize("layers", range(1, 9))
def test_breakpoints_of_the_sawtooth_are_the_dyadic_points(layers):
    want = torch.arange(1, 2 ** layers, dtype=torch.float64) / 2 ** layers
    assert torch.equal(nc.breakpoints(nc.tent_net(layers)), want)


@pytest.mark.parametrize("layers", [1, 2, 5, 8, 10])
def test_pieces_are_two_to_the_layers_deep_and_shallow(layers):
    assert nc.linear_pieces(nc.tent_net(layers)) == 2 ** layers
    shallow = nc.shallow_sawtooth(layers)
    assert shallow[0].out_features == 2 ** layers
    assert nc.linear_pieces(shallow) == 2 ** layers
    x = torch.rand(500, 1, dtype=torch.float64)
    assert torch.allclose(shallow(x), nc.tent_net(layers)(x), atol=1e-9)


def test_sawtooth_table_has_the_closed_forms():
    table = nc.sawtooth_table(6)
    assert table.deep_pieces.tolist() == [2 ** L for L in range(1, 7)]
    assert table.deep_units.tolist() == [2 * L for L in range(1, 7)]
    assert table.shallow_units.tolist() == table.shallow_pieces.tolist()


@pytest.mark.parametrize("seed", range(4))
def test_random_nets_are_linear_between_breakpoints_and_bend_at_them(seed):
    torch.manual_seed(seed)
    model = nc.mlp([1, 6, 5, 1]).double()
    knots = torch.cat([torch.tensor([-2.0]), nc.breakpoints(model, -2.0, 2.0), torch.tensor([2.0])])
    ends = model(knots.double().unsqueeze(1))[:, 0]
    # between knots: the function is the chord (checked at 3 inner points of every interval)
    for t in (0.25, 0.5, 0.8):
        inner = knots[:-1] + t * torch.diff(knots)
        chord = ends[:-1] + t * torch.diff(ends)
        assert torch.allclose(model(inner.unsqueeze(1))[:, 0], chord, atol=1e-9)
    # one hidden layer of n units: at most n + 1 pieces, and breakpoints where units switch
    shallow = nc.mlp([1, 7, 1]).double()
    assert nc.linear_pieces(shallow, -5.0, 5.0) <= 8
    hinge_points = -shallow[0].bias / shallow[0].weight[:, 0]
    inside = hinge_points[(hinge_points > -5) & (hinge_points < 5)].sort().values
    assert torch.allclose(nc.breakpoints(shallow, -5.0, 5.0), inside.detach())


def test_a_kink_that_cancels_is_no_piece():
    net = nn.Sequential(nn.Linear(1, 2), nn.ReLU(), nn.Linear(2, 1)).double()
    with torch.no_grad():
        net[0].weight.fill_(1.0)
        net[0].bias.copy_(torch.tensor([0.0, 0.0]))         # two units, one kink at 0
        net[2].weight.copy_(torch.tensor([[1.0, -1.0]]))    # whose slopes cancel
    assert nc.breakpoints(net, -1.0, 1.0).tolist() == [0.0]
    assert nc.linear_pieces(net, -1.0, 1.0) == 1


def test_parameter_count_and_budget():
    for sizes in ([2, 10, 2], [64, 32, 32, 10], [3, 1]):
        assert nc.parameter_count(sizes) == sum(p.numel() for p in nc.mlp(sizes).parameters())
    for depth in (1, 2, 3, 4):
        sizes = nc.sizes_for_budget(depth, 300)
        w = sizes[1]
        gap = abs(nc.parameter_count(sizes) - 300)
        for other in (w - 1, w + 1):
            assert abs(nc.parameter_count([2] + [other] * depth + [2]) - 300) >= gap


def test_bad_inputs():
    with pytest.raises(ValueError, match="layers"):
        nc.tent_net(MAX_LAYERS + 1)
    with pytest.raises(ValueError, match="low < high"):
        nc.breakpoints(nc.tent_net(1), 1.0, 0.0)
    with pytest.raises(ValueError, match="low < high"):
        nc.linear_pieces(nc.tent_net(1), 0.0, math.inf)
    with pytest.raises(ValueError, match="columns"):
        nc.breakpoints(nc.mlp([2, 3, 1]))
    with pytest.raises(ValueError, match="one output"):
        nc.linear_pieces(nc.mlp([1, 3, 2]))
    with pytest.raises(TypeError, match="Sequential"):
        nc.breakpoints(nn.Linear(1, 1))
