"""The activation zoo's properties, each computed from the function itself.

Nothing here is typed in from a table: ranges come from evaluating the function on a
wide grid, derivatives from autograd, smoothness from second differences.
"""
import pandas as pd
import torch

from .activations import activation, activation_names

WIDE = torch.linspace(-20.0, 20.0, 40_001, dtype=torch.float64)    # step 1e-3
FINE_STEP = 1e-3


def derivative(name: str, x: torch.Tensor) -> torch.Tensor:
    """Autograd's derivative of activation ``name`` at each point of ``x`` (any shape).

    At a kink this is the value torch's backward uses (for ReLU at 0: 0).
    """
    x = x.detach().clone().requires_grad_(True)
    (slope,) = torch.autograd.grad(activation(name)(x).sum(), x)
    return slope


def _second_difference(name: str) -> float:
    """Largest |f(x+h) - 2 f(x) + f(x-h)| / h^2 on [-5, 5]: huge at a kink (about jump / h)."""
    f, h = activation(name), FINE_STEP
    x = torch.linspace(-5.0, 5.0, 10_001, dtype=torch.float64)
    return ((f(x + h) - 2 * f(x) + f(x - h)) / h**2).abs().max().item()


def properties(name: str, samples: int = 200_000, seed: int = 0) -> dict:
    """The computed properties of activation ``name`` (see :func:`properties_table`)."""
    f = activation(name)
    with torch.no_grad():
        values = f(WIDE)
        z = torch.randn(samples, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
        out = f(z)
    slopes = derivative(name, WIDE)
    far = slopes[[0, -1]].abs()  # at -20 and +20, the ends of the grid
    left = slopes[WIDE <= -5.0]
    return {"activation": name,
            "min on [-20, 20]": values.min().item(), "max on [-20, 20]": values.max().item(),
            "mean for N(0,1)": out.mean().item(), "std for N(0,1)": out.std().item(),
            "slope at 0": derivative(name, torch.zeros(1, dtype=torch.float64)).item(),
            "saturates": bool(far.max() < 1e-2),
            "can die": bool((left == 0).all()),
            "smooth": _second_difference(name) < 10.0}


def properties_table(names: list[str] | None = None, samples: int = 200_000) -> pd.DataFrame:
    """One row of computed properties per activation (default: the whole registry).

    - min/max on [-20, 20]: the output range seen on a wide grid;
    - mean and std for N(0,1): of the output when the input is standard normal
      (``samples`` seeded draws);
    - slope at 0: autograd's derivative at 0;
    - saturates: the derivative is below 0.01 at both -20 and +20;
    - can die: the derivative is exactly 0 on the whole half-line [-20, -5]
      (a unit pushed there gets no gradient back);
    - smooth: no kink on [-5, 5], judged by the second difference staying below 10.
    """
    names = [n for n in activation_names() if n != "identity"] if names is None else names
    if isinstance(names, str) or not names:
        raise ValueError(f"names must be a non-empty list of activation names, got {names!r}")
    return pd.DataFrame([properties(name, samples) for name in names])
