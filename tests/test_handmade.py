"""The hand-written ReLU against torch's own."""
import pytest
import torch
from torch import nn

import nonlin_course as nc


def test_gradcheck_in_double_precision_away_from_the_kink():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(50, dtype=torch.float64, generator=g)
    x = x + 0.1 * x.sign()          # keep every point at least 0.1 from the kink at 0
    x.requires_grad_(True)
    assert torch.autograd.gradcheck(nc.ReLUFunction.apply, (x,), eps=1e-6, atol=1e-6)


def test_gradcheck_catches_a_broken_backward():
    class Broken(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.clamp(min=0)

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output * (x < 0).to(grad_output.dtype)   # the wrong side

    x = torch.tensor([-1.0, 0.5, 2.0], dtype=torch.float64, requires_grad=True)
    with pytest.raises(RuntimeError, match="Jacobian mismatch"):
        torch.autograd.gradcheck(Broken.apply, (x,), eps=1e-6, atol=1e-6)


def _net(relu):
    torch.manual_seed(3)
    return nn.Sequential(nn.Linear(4, 8), relu, nn.Linear(8, 3))


def test_values_and_gradients_equal_torch_relu_inside_a_network():
    ours, theirs = _net(nc.HandmadeReLU()), _net(nn.ReLU())
    x = torch.randn(32, 4, generator=torch.Generator().manual_seed(1))
    out_ours, out_theirs = ours(x), theirs(x)
    assert torch.equal(out_ours, out_theirs)
    out_ours.square().sum().backward()
    out_theirs.square().sum().backward()
    for p, q in zip(ours.parameters(), theirs.parameters()):
        assert torch.equal(p.grad, q.grad)


def test_gradient_at_the_kink_is_zero_like_torch():
    x = torch.tensor([0.0, -0.0, 1e-30], requires_grad=True)
    nc.ReLUFunction.apply(x).sum().backward()
    y = x.detach().clone().requires_grad_(True)
    torch.relu(y).sum().backward()
    assert torch.equal(x.grad, y.grad)


def test_module_rejects_what_it_cannot_differentiate():
    with pytest.raises(TypeError, match=r"expects a torch.Tensor, got list"):
        nc.HandmadeReLU()([1.0, -1.0])
    with pytest.raises(TypeError, match=r"needs a floating-point tensor .* got torch.int64"):
        nc.HandmadeReLU()(torch.tensor([1, -1]))
