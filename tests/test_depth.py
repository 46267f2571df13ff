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
    with pytest.raises(ValueError, match="high must be a finite number"):
        nc.linear_pieces(nc.tent_net(1), 0.0, math.inf)
    with pytest.raises(ValueError, match="columns"):
        nc.breakpoints(nc.mlp([2, 3, 1]))
    with pytest.raises(ValueError, match="one output"):
        nc.linear_pieces(nc.mlp([1, 3, 2]))
    with pytest.raises(TypeError, match="Sequential"):
        nc.breakpoints(nn.Linear(1, 1))


def _grid_pieces(model, low=0.0, high=1.0, n=2**14 + 1):
    """Pieces of a 1-D model from a fine grid: where its slope changes (a change inside a
    grid step bends two neighbouring slopes: counted once)."""
    x = torch.linspace(low, high, n, dtype=torch.float64).unsqueeze(1)
    with torch.no_grad():
        y = model.double()(x)[:, 0]
    slopes = torch.diff(y) / torch.diff(x[:, 0])
    change = (torch.diff(slopes).abs() > 1e-6).nonzero()[:, 0]
    groups = 0 if not len(change) else 1 + int((torch.diff(change) > 1).sum())
    return groups + 1, x[change + 1, 0]


@pytest.mark.parametrize("make", [
    lambda: nn.Sequential(*(nn.Sequential(m) for m in nc.tent_net(2))),          # each nested
    lambda: nn.Sequential(nn.Sequential(*list(nc.tent_net(2))[:2]),
                          nn.Sequential(nn.Sequential(*list(nc.tent_net(2))[2:4]),
                                        *list(nc.tent_net(2))[4:])),
    lambda: nn.Sequential(*(nn.LeakyReLU(0.1) if isinstance(m, nn.ReLU) else m
                            for m in nc.tent_net(2))),
    lambda: nn.Sequential(*(nn.PReLU(init=0.2).double() if isinstance(m, nn.ReLU) else m
                            for m in nc.tent_net(3))),
    lambda: nn.Sequential(nn.Linear(1, 3).double(), nn.Hardtanh(-0.3, 0.4),
                          nn.Linear(3, 1).double()),
])
def test_pieces_of_nested_and_leaky_nets_match_a_fine_grid(make):
    torch.manual_seed(0)
    model = make()
    pieces, kinks = _grid_pieces(model)
    assert nc.linear_pieces(model) == pieces
    found = nc.breakpoints(model)
    # every kink the grid sees lies within a grid step of a breakpoint found exactly
    assert all((found - k).abs().min() < 2 / 2**14 for k in kinks)


def test_nested_tent_has_the_tent_breakpoints():
    nested = nn.Sequential(*(nn.Sequential(m) for m in nc.tent_net(2)))
    assert nc.breakpoints(nested).tolist() == [0.25, 0.5, 0.75]


class _OwnForward(nn.Module):
    def __init__(self):
        super().__init__()
        self.a, self.b = nn.Linear(1, 2), nn.Linear(2, 1)

    def forward(self, x):
        return self.b(torch.relu(self.a(x)))


@pytest.mark.parametrize("model, match", [
    (nc.mlp([1, 3, 1], "tanh"), "Tanh"),
    (nn.Sequential(_OwnForward()), "own forward"),
    (_OwnForward(), "nn.Sequential"),
])
def test_pieces_of_what_cannot_be_counted_exactly_are_refused(model, match):
    for function in (nc.breakpoints, nc.linear_pieces):
        with pytest.raises((TypeError, ValueError), match=match):
            function(model)


def test_pieces_beyond_the_size_limit_are_refused_with_the_limit():
    with pytest.raises(ValueError, match=r"model: .*33,554,432"):
        nc.linear_pieces(nc.shallow_sawtooth(13))
    with pytest.raises(ValueError, match="max_layers must be at most 12"):
        nc.sawtooth_table(13)
    assert nc.linear_pieces(nc.shallow_sawtooth(12)) == 2**12   # the largest that fits


def test_sizes_for_budget_is_closed_form_for_any_depth():
    for depth, params in [(1, 302), (2, 302), (5, 10_000), (3, 11)]:
        sizes = nc.sizes_for_budget(depth, params)
        best = min(range(1, params + 2), key=lambda w: (abs(nc.parameter_count(
            [2] + [w] * depth + [2]) - params), w))
        assert sizes == [2] + [best] * depth + [2]
    with pytest.raises(ValueError, match="depth=1,000,000,000 hidden layers"):
        nc.sizes_for_budget(10**9, 300)
