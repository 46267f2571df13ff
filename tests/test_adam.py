"""nonlin_course.training.adam: the one hand-written Adam, against torch.optim's."""
import pytest
import torch

from nonlin_course.training.adam import Adam


def _torch_run(optimizer_class, start, grads, lr, **kwargs):
    p = torch.nn.Parameter(start.clone())
    opt = optimizer_class([p], lr=lr, **kwargs)
    for g in grads:
        p.grad = g.clone()
        opt.step()
    return p.detach()


@pytest.mark.parametrize("optimizer_class, weight_decay", [
    (torch.optim.Adam, 0.0), (torch.optim.AdamW, 0.01)])
def test_adam_follows_torch_step_for_step(optimizer_class, weight_decay):
    gen = torch.Generator().manual_seed(0)
    start = torch.randn(4, 5, generator=gen, dtype=torch.float64)
    grads = [torch.randn(4, 5, generator=gen, dtype=torch.float64) for _ in range(25)]
    p = start.clone()
    adam = Adam(p, 0.03, weight_decay=weight_decay)
    for g in grads:
        adam.step(g)
    want = _torch_run(optimizer_class, start, grads, 0.03, weight_decay=weight_decay)
    torch.testing.assert_close(p, want, rtol=1e-12, atol=1e-12)


def test_a_rate_per_row_is_one_torch_optimizer_per_row():
    gen = torch.Generator().manual_seed(1)
    start = torch.randn(3, 7, generator=gen, dtype=torch.float64)
    grads = [torch.randn(3, 7, generator=gen, dtype=torch.float64) for _ in range(10)]
    rates = torch.tensor([[0.001], [0.01], [0.1]], dtype=torch.float64)
    p = start.clone()
    adam = Adam(p, rates)
    for g in grads:
        adam.step(g)
    for k in range(3):
        want = _torch_run(torch.optim.Adam, start[k], [g[k] for g in grads], rates[k].item())
        torch.testing.assert_close(p[k], want, rtol=1e-12, atol=1e-12)


def test_adam_needs_a_floating_point_tensor():
    with pytest.raises(TypeError, match="params must be a floating-point torch.Tensor"):
        Adam([1.0, 2.0], 0.1)
    with pytest.raises(TypeError, match="floating-point"):
        Adam(torch.tensor([1, 2]), 0.1)
