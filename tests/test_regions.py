"""Tests of nonlin_course.inside.regions: ReLU on/off patterns, linear regions and their colours."""
import itertools

import pandas as pd
import pytest
import torch
from torch import nn
from torch.nn import functional as F

import nonlin_course as nc
from nonlin_course.figures.palette import REGION_PALETTE
from nonlin_course.figures.maps import region_colours
from nonlin_course.inside.regions import relu_patterns


def _relu_net(weight, bias):
    """One hidden ReLU layer whose unit k is on where weight[k] . x + bias[k] > 0."""
    weight = torch.tensor(weight, dtype=torch.float32)
    hidden = nn.Linear(weight.shape[1], weight.shape[0])
    with torch.no_grad():
        hidden.weight.copy_(weight)
        hidden.bias.copy_(torch.tensor(bias, dtype=torch.float32))
    torch.manual_seed(0)
    return nn.Sequential(hidden, nn.ReLU(), nn.Linear(weight.shape[0], 2))


def _axes_net():
    """Two units whose lines are the axes: unit 0 is on for x1 > 0, unit 1 for x2 > 0."""
    return _relu_net([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0])


def _plane(steps=60):
    return nc.plane_grid(torch.tensor([[-1.0, -1.0], [1.0, 1.0]]), steps=steps)


QUADRANTS = torch.tensor([[1.0, 2.0], [-1.0, -2.0], [3.0, 0.5], [-0.5, 1.0], [-2.0, 2.0]])


# --- relu_patterns --------------------------------------------------------------------

def test_relu_patterns_of_the_axes_network_are_the_quadrants():
    patterns = relu_patterns(_axes_net(), QUADRANTS)
    assert patterns.dtype == torch.bool and patterns.device.type == "cpu"
    assert patterns.tolist() == [[True, True], [False, False], [True, True], [False, True],
                                 [False, True]]


def test_relu_patterns_of_two_hidden_layers_match_a_hand_forward_pass():
    torch.manual_seed(1)
    model = nc.mlp([2, 3, 4, 2])
    X = torch.randn(30, 2, generator=torch.Generator().manual_seed(1))
    h1 = F.relu(F.linear(X, model[0].weight, model[0].bias))
    h2 = F.relu(F.linear(h1, model[2].weight, model[2].bias))
    assert torch.equal(relu_patterns(model, X), torch.cat([h1 > 0, h2 > 0], dim=1))


def test_relu_patterns_needs_a_relu():
    with pytest.raises(ValueError, match=r"only nn.ReLU layers .*are tracked and this model has none"):
        relu_patterns(nc.mlp([2, 3, 2], "tanh"), QUADRANTS)


def test_relu_patterns_needs_a_sequential_and_a_2d_input():
    with pytest.raises(TypeError, match=r"model must be an nn.Sequential \(as mlp builds\), "
                                        r"got Linear"):
        relu_patterns(nn.Linear(2, 2), QUADRANTS)
    with pytest.raises(ValueError, match=r"X must have shape \(n, d\), got \(5,\)"):
        relu_patterns(_axes_net(), QUADRANTS[:, 0])


# --- region_ids -----------------------------------------------------------------------

def test_region_ids_count_from_zero_in_order_of_first_appearance():
    ids = nc.region_ids(_axes_net(), QUADRANTS)
    assert ids.dtype == torch.int64
    assert ids.tolist() == [0, 1, 0, 2, 2]


def test_region_ids_are_equal_exactly_when_patterns_are_equal():
    torch.manual_seed(2)
    model = nc.mlp([2, 3, 3, 2])
    X = torch.randn(40, 2, generator=torch.Generator().manual_seed(2)) * 3
    ids, patterns = nc.region_ids(model, X), relu_patterns(model, X)
    assert ids.shape == (40,)
    for i, j in itertools.combinations(range(len(X)), 2):
        assert (ids[i] == ids[j]).item() == torch.equal(patterns[i], patterns[j])
    assert sorted(set(ids.tolist())) == list(range(nc.count_regions(model, X)))


def test_region_ids_of_no_points_is_an_empty_int64_tensor():
    ids = nc.region_ids(_axes_net(), torch.zeros(0, 2))
    assert ids.shape == (0,) and ids.dtype == torch.int64


def test_region_ids_checks_its_inputs():
    with pytest.raises(ValueError, match=r"X must have shape \(n, d\)"):
        nc.region_ids(_axes_net(), torch.zeros(2, 2, 2))
    with pytest.raises(ValueError, match=r"only nn.ReLU layers .*are tracked and this model has none"):
        nc.region_ids(nc.mlp([2, 2], None), QUADRANTS)


# --- count_regions --------------------------------------------------------------------

def test_two_units_on_the_axes_cut_the_plane_into_4_regions():
    assert nc.count_regions(_axes_net(), _plane()) == 4


def test_three_lines_in_general_position_give_the_maximum_7_regions():
    # lines x1 = 0, x2 = 0 and x1 + x2 = 0.5 (they enclose a small triangle)
    model = _relu_net([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [0.0, 0.0, -0.5])
    assert nc.count_regions(model, _plane()) == nc.max_regions_one_layer(3) == 7


def test_three_lines_through_one_point_give_6_regions():
    model = _relu_net([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [0.0, 0.0, 0.0])
    assert nc.count_regions(model, _plane()) == 6


def test_count_regions_counts_only_the_regions_the_points_visit():
    assert nc.count_regions(_axes_net(), QUADRANTS) == 3
    assert nc.count_regions(_axes_net(), QUADRANTS[:1]) == 1


def test_count_regions_equals_distinct_patterns():
    torch.manual_seed(3)
    model = nc.mlp([2, 5, 2])
    X = _plane(steps=30)
    patterns = {tuple(row) for row in relu_patterns(model, X).tolist()}
    assert nc.count_regions(model, X) == len(patterns)
    assert nc.count_regions(model, X) <= nc.max_regions_one_layer(5)


def test_count_regions_needs_a_relu():
    with pytest.raises(ValueError, match=r"only nn.ReLU layers .*are tracked and this model has none"):
        nc.count_regions(nc.mlp([2, 3, 2], "sigmoid"), QUADRANTS)


# --- max_regions_one_layer ------------------------------------------------------------

@pytest.mark.parametrize("units, expected", [(1, 2), (2, 4), (3, 7), (4, 11), (8, 37)])
def test_lines_in_the_plane(units, expected):
    # n lines in general position: 1 + n + n(n-1)/2 regions
    assert expected == 1 + units + units * (units - 1) // 2
    assert nc.max_regions_one_layer(units) == expected
    assert nc.max_regions_one_layer(units, dims=2) == expected


@pytest.mark.parametrize("units", range(1, 7))
def test_points_on_a_line(units):
    assert nc.max_regions_one_layer(units, dims=1) == units + 1


def _regions_by_recurrence(n, d):
    """Schlaefli's recurrence: adding a hyperplane splits r(n-1, d-1) regions in two."""
    if n == 0 or d == 0:
        return 1
    return _regions_by_recurrence(n - 1, d) + _regions_by_recurrence(n - 1, d - 1)


@pytest.mark.parametrize("units, dims", list(itertools.product(range(1, 9), range(1, 5))))
def test_max_regions_one_layer_matches_the_recurrence(units, dims):
    assert nc.max_regions_one_layer(units, dims) == _regions_by_recurrence(units, dims)


def test_at_most_as_many_units_as_dims_gives_every_pattern():
    assert [nc.max_regions_one_layer(n, dims=5) for n in range(1, 6)] == [2, 4, 8, 16, 32]


@pytest.mark.parametrize("kwargs, error, message", [
    ({"units": 0}, ValueError, r"units must be a positive int \(>= 1\), got 0"),
    ({"units": -2}, ValueError, r"units must be a positive int \(>= 1\), got -2"),
    ({"units": 3.0}, TypeError, r"units must be a positive int, got float"),
    ({"units": True}, TypeError, r"units must be a positive int, got bool"),
    ({"units": 3, "dims": 0}, ValueError, r"dims must be a positive int \(>= 1\), got 0"),
    ({"units": 3, "dims": "2"}, TypeError, r"dims must be a positive int, got str"),
])
def test_max_regions_one_layer_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        nc.max_regions_one_layer(**kwargs)


# --- region_colours -------------------------------------------------------------------

def _blocks(ids=lambda i, j: i * 6 + j):
    """An 18 x 18 grid of 3 x 3 blocks; ``ids(block column, block row)`` names each block."""
    steps = torch.arange(18, dtype=torch.float32)
    x1, x2 = torch.meshgrid(steps, steps, indexing="xy")
    return pd.DataFrame({"x1": x1.flatten(), "x2": x2.flatten(),
                         "region": ids(x1 // 3, x2 // 3).flatten().int()})


def _touching_colours_differ(grid, colours) -> bool:
    """Grid cells next to each other (across or up/down) in different regions differ in colour."""
    region = grid.pivot(index="x2", columns="x1", values="region").to_numpy()
    for a, b in [(region[:, :-1], region[:, 1:]), (region[:-1, :], region[1:, :])]:
        for i, j in zip(a[a != b].tolist(), b[a != b].tolist()):
            if colours[i] == colours[j]:
                return False
    return True


def test_region_colours_give_touching_regions_different_colours():
    # 36 blocks, each touching up to four others
    colours = region_colours(_blocks())
    assert set(colours) == set(range(36)) and set(colours.values()) <= set(REGION_PALETTE)
    assert _touching_colours_differ(_blocks(), colours)
    # and the check itself can fail: one colour for every block
    assert not _touching_colours_differ(_blocks(), dict.fromkeys(colours, REGION_PALETTE[0]))


def test_region_colours_are_greedy_in_order_of_region_id():
    # a row of blocks 2 | 0 | 1: 0 comes first, then 1 (touching 0), then 2 (touching 0)
    grid = _blocks(lambda i, j: torch.tensor([2, 0, 1, 1, 1, 1])[i.long()])
    assert region_colours(grid) == {0: REGION_PALETTE[0], 1: REGION_PALETTE[1],
                                    2: REGION_PALETTE[1]}


def test_region_colours_of_one_region_is_the_first_colour():
    assert region_colours(_blocks(lambda i, j: i * 0 + 4)) == {4: REGION_PALETTE[0]}


def test_region_colours_of_the_axes_network_on_a_plane_grid():
    grid = _plane(steps=8)
    table = pd.DataFrame({"x1": grid[:, 0], "x2": grid[:, 1],
                          "region": nc.region_ids(_axes_net(), grid).numpy()})
    colours = region_colours(table)
    assert len(colours) == 4 and len(set(colours.values())) == 2   # quadrants: a chessboard


def test_region_colours_handle_any_integer_ids():
    blocks = _blocks(lambda i, j: -100 - (i * 6 + j))    # negative ids are ids too
    colours = region_colours(blocks)
    assert set(colours) == set(blocks.region.unique())
    assert _touching_colours_differ(blocks, colours)


@pytest.mark.parametrize("change, error, message", [
    (lambda t: t.sample(frac=0.5, random_state=0), ValueError, "one row per point"),
    (lambda t: t.assign(x1=t.x1 ** 2), ValueError, "unevenly spaced"),
    (lambda t: t.iloc[:0], ValueError, "finite numbers"),
    (lambda t: t.assign(x2=t.x2.where(t.x2 > 0, float("inf"))), ValueError, "finite numbers"),
    (lambda t: t.assign(x1=t.x1 > 3), TypeError, "x1 must hold numbers"),
    (lambda t: t.assign(region=t.region.astype(str)), TypeError, "integer ids"),
    (lambda t: t.assign(region=t.region + 0.5), TypeError, "integer ids"),
    (lambda t: t.drop(columns="x2"), ValueError, r"lacks columns \['x2'\]"),
    (lambda t: t.drop(columns="region"), ValueError, r"lacks columns \['region'\]"),
])
def test_region_colours_reject_what_is_not_a_grid_of_regions(change, error, message):
    with pytest.raises(error, match=message):
        region_colours(change(_blocks()))


def test_unit_lines_lie_on_each_units_switching_line_and_span_the_box():
    torch.manual_seed(0)
    net = nc.mlp([2, 6, 2], "relu")
    grid = nc.plane_grid(torch.tensor([[-1.0, -1.0], [1.0, 1.0]]), steps=50)
    lines = nc.unit_lines(net, grid)
    W, b = net[0].weight.detach().double(), net[0].bias.detach().double()
    low, high = grid.min(0).values.double(), grid.max(0).values.double()
    for row in lines.itertuples():
        for x1, x2 in [(row.x1, row.x2), (row.x1end, row.x2end)]:
            point = torch.tensor([x1, x2], dtype=torch.float64)
            assert abs(float(W[row.unit] @ point + b[row.unit])) < 1e-9   # on the line
            assert ((point >= low - 1e-9) & (point <= high + 1e-9)).all()  # in the box
            on_edge = torch.isclose(point, low) | torch.isclose(point, high)
            assert on_edge.any()                                           # ends on the box
    # a unit is listed exactly when its line crosses the box: the grid sees both states
    pre = grid.double() @ W.T + b
    crosses = ((pre > 0).any(0) & (pre < 0).any(0)).nonzero().flatten().tolist()
    assert sorted(lines.unit) == crosses


def test_unit_lines_refuse_a_grid_that_is_not_a_plane():
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        nc.unit_lines(nc.mlp([2, 3, 2], "relu"), torch.zeros(4, 3))


# --- interior_points ------------------------------------------------------------------

def _interior_by_loops(ids):
    rows, cols = ids.shape
    return torch.tensor([[0 < i < rows - 1 and 0 < j < cols - 1 and
                          all(ids[i, j] == ids[a, b] for a, b in
                              [(i - 1, j), (i + 1, j), (i, j - 1), (i, j + 1)])
                          for j in range(cols)] for i in range(rows)])


def test_interior_points_matches_a_loop_over_every_point():
    generator = torch.Generator().manual_seed(0)
    for shape, regions in [((7, 9), 2), ((12, 5), 3), ((3, 3), 1), ((2, 6), 2)]:
        ids = torch.randint(0, regions, shape, generator=generator)
        assert torch.equal(nc.interior_points(ids), _interior_by_loops(ids))


def test_interior_points_of_one_region_is_all_but_the_edge():
    inner = nc.interior_points(torch.zeros(5, 6, dtype=torch.int64))
    assert int(inner.sum()) == 3 * 4 and not inner[0].any() and not inner[:, -1].any()


@pytest.mark.parametrize("bad", [torch.zeros(4), torch.zeros(3, 3), [[0, 1], [1, 0]]])
def test_interior_points_refuses_what_is_not_a_grid_of_ids(bad):
    with pytest.raises(ValueError, match="2-D tensor of integer region ids"):
        nc.interior_points(bad)
