"""Tests of nonlin_course.nets.models: mlp, linear_layers and fold_linear."""
import pytest
import torch
from torch import nn

import nonlin_course as nc
from nonlin_course.nets.models import linear_layers


def _x(n=64, d=3, seed=0):
    return torch.randn(n, d, generator=torch.Generator().manual_seed(seed))


# --- mlp ------------------------------------------------------------------------------

def test_mlp_equals_the_explicit_torch_stack():
    torch.manual_seed(0)
    model = nc.mlp([2, 10, 5, 3], "tanh")
    torch.manual_seed(0)
    reference = nn.Sequential(nn.Linear(2, 10), nn.Tanh(), nn.Linear(10, 5), nn.Tanh(),
                              nn.Linear(5, 3))
    assert [type(m) for m in model] == [type(m) for m in reference]
    assert [(m.in_features, m.out_features) for m in linear_layers(model)] == \
        [(2, 10), (10, 5), (5, 3)]
    # same layer names and the same initial weights as torch gives the explicit stack
    ours, theirs = model.state_dict(), reference.state_dict()
    assert list(ours) == list(theirs)
    for key in ours:
        assert torch.equal(ours[key], theirs[key])
    x = _x(d=2)
    assert torch.equal(model(x), reference(x))


def test_mlp_default_activation_is_relu_between_layers_not_after_the_last():
    model = nc.mlp((2, 4, 4, 2))
    assert [type(m) for m in model] == [nn.Linear, nn.ReLU, nn.Linear, nn.ReLU, nn.Linear]


def test_mlp_with_two_sizes_is_one_linear_layer():
    model = nc.mlp([3, 2], "relu")
    assert [type(m) for m in model] == [nn.Linear]


def test_mlp_without_activation_is_a_purely_linear_stack():
    assert [type(m) for m in nc.mlp([2, 4, 4, 2], None)] == [nn.Linear] * 3
    assert [type(m) for m in nc.mlp([2, 4, 2], "identity")] == [nn.Linear, nn.Identity,
                                                                 nn.Linear]


def test_mlp_activations_are_separate_modules():
    model = nc.mlp([2, 4, 4, 2], "relu")
    assert model[1] is not model[3]


@pytest.mark.parametrize("sizes", [[2], [], "22", 3, None])
def test_mlp_needs_at_least_two_widths(sizes):
    with pytest.raises(ValueError, match=r"sizes must be a list of at least two layer widths"):
        nc.mlp(sizes)


def test_mlp_widths_must_be_positive_ints():
    with pytest.raises(ValueError, match=r"each layer width in sizes must be a positive int "
                                         r"\(>= 1\), got 0"):
        nc.mlp([2, 0, 2])
    with pytest.raises(TypeError, match=r"each layer width in sizes must be a positive int, "
                                        r"got float"):
        nc.mlp([2, 2.5, 2])


def test_mlp_rejects_an_unknown_activation():
    with pytest.raises(ValueError, match=r"unknown activation.*'swish'; choose one of"):
        nc.mlp([2, 4, 2], "swish")


def test_mlp_rejects_an_unknown_activation_even_without_hidden_layer():
    with pytest.raises(ValueError, match=r"unknown activation.*'swish'"):
        nc.mlp([2, 2], "swish")


# --- linear_layers --------------------------------------------------------------------

def test_linear_layers_in_order_including_nested_ones():
    inner = nn.Sequential(nn.Linear(4, 5), nn.ReLU(), nn.Linear(5, 6))
    model = nn.Sequential(nn.Linear(3, 4), inner, nn.Tanh(), nn.Linear(6, 2))
    assert linear_layers(model) == [model[0], inner[0], inner[2], model[3]]
    assert all(a is b for a, b in zip(linear_layers(model),
                                      [model[0], inner[0], inner[2], model[3]]))


def test_linear_layers_of_a_model_without_linear_layers_is_empty():
    assert linear_layers(nn.Sequential(nn.ReLU(), nn.Identity())) == []


# --- fold_linear ----------------------------------------------------------------------

@pytest.mark.parametrize("sizes", [[3, 6, 2], [3, 7, 5, 6, 4, 2]], ids=["2 layers", "5 layers"])
@pytest.mark.parametrize("activation_name", [None, "identity"])
def test_fold_linear_equals_the_stack_on_random_inputs(sizes, activation_name):
    torch.manual_seed(1)
    stack = nc.mlp(sizes, activation_name)
    folded = nc.fold_linear(stack)
    assert isinstance(folded, nn.Linear)
    assert (folded.in_features, folded.out_features) == (sizes[0], sizes[-1])
    x = _x(d=sizes[0])
    torch.testing.assert_close(folded(x), stack(x), rtol=1e-5, atol=1e-6)


def test_fold_linear_weight_is_the_product_of_the_weights():
    torch.manual_seed(2)
    stack = nc.mlp([3, 4, 5, 2], None)
    W1, W2, W3 = (layer.weight.detach() for layer in stack)
    b1, b2, b3 = (layer.bias.detach() for layer in stack)
    folded = nc.fold_linear(stack)
    torch.testing.assert_close(folded.weight.detach(), torch.linalg.multi_dot([W3, W2, W1]))
    torch.testing.assert_close(folded.bias.detach(), W3 @ (W2 @ b1 + b2) + b3)


def test_fold_linear_handles_layers_without_bias():
    torch.manual_seed(3)
    stack = nn.Sequential(nn.Linear(3, 4, bias=False), nn.Linear(4, 5), nn.Linear(5, 2, bias=False))
    folded = nc.fold_linear(stack)
    x = _x()
    torch.testing.assert_close(folded(x), stack(x), rtol=1e-5, atol=1e-6)


def test_fold_linear_of_one_layer_is_an_independent_copy():
    torch.manual_seed(4)
    layer = nn.Linear(3, 2)
    folded = nc.fold_linear(layer)
    assert torch.equal(folded.weight, layer.weight) and torch.equal(folded.bias, layer.bias)
    with torch.no_grad():
        folded.weight.zero_()
    assert layer.weight.abs().sum() > 0


def test_fold_linear_leaves_the_stack_unchanged():
    torch.manual_seed(5)
    stack = nc.mlp([3, 4, 2], None)
    before = {k: v.clone() for k, v in stack.state_dict().items()}
    nc.fold_linear(stack)
    assert all(torch.equal(before[k], v) for k, v in stack.state_dict().items())


@pytest.mark.parametrize("activation_name, found", [("relu", "ReLU"), ("tanh", "Tanh")])
def test_fold_linear_refuses_a_stack_with_a_nonlinearity(activation_name, found):
    with pytest.raises(ValueError, match=rf"stack of Linear layers.*"
                                         rf"non-linear layers \['{found}', '{found}'\]"):
        nc.fold_linear(nc.mlp([2, 3, 3, 2], activation_name))


def test_fold_linear_needs_a_module():
    with pytest.raises(TypeError, match=r"model must be an nn.Module, got Tensor"):
        nc.fold_linear(torch.eye(2))


def test_fold_linear_needs_a_linear_layer():
    with pytest.raises(ValueError, match=r"model has no Linear layer to fold"):
        nc.fold_linear(nn.Sequential(nn.Identity()))


def test_fold_linear_keeps_the_dtype():
    stack = nc.mlp([3, 4, 2], activation_name=None).double()
    x = torch.randn(5, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    folded = nc.fold_linear(stack)
    assert folded.weight.dtype == torch.float64
    assert torch.allclose(stack(x), folded(x), atol=1e-12)


def test_fold_linear_of_an_empty_stack_says_there_is_nothing_to_fold():
    with pytest.raises(ValueError, match=r"model has no Linear layer to fold"):
        nc.fold_linear(nn.Sequential())


def test_affine_fit_error_is_zero_for_an_affine_map_and_matches_numpy_otherwise():
    import numpy as np
    g = torch.Generator().manual_seed(0)
    x = torch.randn(200, 3, generator=g, dtype=torch.float64)
    W, b = torch.randn(3, 2, generator=g, dtype=torch.float64), torch.randn(2, dtype=torch.float64)
    assert nc.affine_fit_error(x, x @ W + b) < 1e-10
    y = torch.relu(x @ W + b)
    design = np.c_[x.numpy(), np.ones(len(x))]
    A = np.linalg.lstsq(design, y.numpy(), rcond=None)[0]
    expected = np.abs(design @ A - y.numpy()).max()
    assert nc.affine_fit_error(x, y) == pytest.approx(expected, rel=1e-9)
    assert nc.affine_fit_error(x.float(), y[:, 0].float()) == pytest.approx(expected_col0(x, y), rel=1e-5)


def expected_col0(x, y):
    import numpy as np
    design = np.c_[x.numpy(), np.ones(len(x))]
    A = np.linalg.lstsq(design, y[:, 0].numpy(), rcond=None)[0]
    return np.abs(design @ A - y[:, 0].numpy()).max()


@pytest.mark.parametrize("inputs, outputs, match", [
    (torch.zeros(3, 3), torch.zeros(3), "more points"),
    (torch.zeros(5, 2), torch.zeros(4), "outputs must be a tensor of shape"),
    (torch.zeros(5, 2), [0.0] * 5, "outputs must be a tensor"),
    (torch.full((5, 2), float("nan")), torch.zeros(5), "finite"),
])
def test_affine_fit_error_refuses_bad_input(inputs, outputs, match):
    with pytest.raises(ValueError, match=match):
        nc.affine_fit_error(inputs, outputs)


def test_affine_unexplained_is_one_minus_r2_as_numpy_computes_it():
    import numpy as np
    g = torch.Generator().manual_seed(1)
    x = torch.randn(300, 2, generator=g, dtype=torch.float64)
    y = torch.relu(x @ torch.randn(2, 3, generator=g, dtype=torch.float64))
    design = np.c_[x.numpy(), np.ones(len(x))]
    residual = design @ np.linalg.lstsq(design, y.numpy(), rcond=None)[0] - y.numpy()
    expected = (residual ** 2).sum() / ((y.numpy() - y.numpy().mean(0)) ** 2).sum()
    assert nc.affine_unexplained(x, y) == pytest.approx(expected, rel=1e-9)
    assert nc.affine_unexplained(x, 2 * x[:, 0] - x[:, 1]) < 1e-20
    # a rescaled output leaves the same share unexplained: the point of the measure
    assert nc.affine_unexplained(x, 1e-3 * y) == pytest.approx(expected, rel=1e-9)


def test_affine_unexplained_refuses_constant_outputs():
    with pytest.raises(ValueError, match="outputs are constant"):
        nc.affine_unexplained(torch.randn(10, 2), torch.ones(10))


def test_affine_fit_is_exact_on_points_that_do_not_span_the_plane():
    """A thin region of grid points in one row: the design matrix [x1, x2, 1] has rank 2,
    and the fit must still be exact (chapter 4 checks every region of a ReLU net this
    way), for the data at several memory offsets."""
    x1 = torch.linspace(-1, 1, 7, dtype=torch.float64)
    points = torch.stack([x1, torch.full_like(x1, 0.3)], dim=1)
    values = 2 * x1 - 0.5
    store = torch.zeros(64, dtype=torch.float64)
    for offset in range(8):
        copy = store[offset:offset + 14].view(7, 2)
        copy.copy_(points)
        assert nc.affine_fit_error(copy, values) < 1e-9, offset


class _FunctionalRelu(nn.Module):
    def __init__(self):
        super().__init__()
        self.first, self.second = nn.Linear(2, 3), nn.Linear(3, 2)

    def forward(self, x):
        return self.second(torch.relu(self.first(x)))


class _Reversed(nn.Sequential):
    def forward(self, x):
        for layer in reversed(self):
            x = layer(x)
        return x


@pytest.mark.parametrize("model", [_FunctionalRelu(), nn.Sequential(_FunctionalRelu()),
                                   _Reversed(nn.Linear(3, 2), nn.Linear(2, 3))])
def test_fold_linear_refuses_what_its_layers_do_not_show(model):
    with pytest.raises(TypeError, match="model"):
        nc.fold_linear(model)


def test_fold_linear_of_nested_stacks_matches_a_forward_pass():
    torch.manual_seed(0)
    stack = nn.Sequential(nn.Linear(3, 4), nn.Sequential(nn.Identity(), nn.Linear(4, 5)),
                          nn.Sequential(nn.Sequential(nn.Linear(5, 2))))
    x = torch.randn(16, 3)
    assert torch.allclose(nc.fold_linear(stack)(x), stack(x), atol=1e-6)
