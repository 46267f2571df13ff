"""The activation zoo's properties, each computed from the function itself.

Nothing here is typed in from a table: ranges come from evaluating the function on a
wide grid, derivatives from autograd, smoothness from second differences.
"""

import pandas as pd
import torch

from .. import _checks
from ..nets.activations import activation, activation_names
from ..runtime import check_seed

WIDE = torch.linspace(-20.0, 20.0, 40_001, dtype=torch.float64)    # step 1e-3
FINE_STEP = 1e-3
ZERO_CENTRED = 0.05   # |mean output| below this, for N(0,1) input, counts as zero-centred
MAX_SAMPLES = 10_000_000   # properties_table, output_histograms
MAX_BINS = 10_000          # output_histograms


def derivative(name: str, x: torch.Tensor) -> torch.Tensor:
    """Autograd's derivative of activation ``name`` at each point of ``x`` (any shape).

    At a kink this is the value torch's backward uses (for ReLU at 0: 0). Same shape as ``x``.

    >>> derivative("relu", torch.tensor([-1.0, 0.0, 2.0]))
    tensor([0., 0., 1.])
    """
    if not isinstance(x, torch.Tensor) or not x.is_floating_point():
        raise TypeError(f"x must be a floating-point torch.Tensor, got "
                        f"{getattr(x, 'dtype', type(x).__name__)}")
    _checks.finite("x", x)   # a slope at NaN or inf would be made up
    f = activation(name)
    with torch.enable_grad():
        x = x.detach().clone().requires_grad_(True)
        (slope,) = torch.autograd.grad(f(x).sum(), x)
    return slope


def _second_difference(name: str) -> float:
    """Largest |f(x+h) - 2 f(x) + f(x-h)| / h^2 on [-5, 5]: huge at a kink (about jump / h)."""
    f, h = activation(name), FINE_STEP
    x = torch.linspace(-5.0, 5.0, 10_001, dtype=torch.float64)
    return ((f(x + h) - 2 * f(x) + f(x - h)) / h**2).abs().max().item()


def properties(name: str, samples: int = 200_000, seed: int = 0) -> dict:
    """The computed properties of activation ``name`` (see :func:`properties_table`): a
    dict with one entry per column of that table.

    >>> facts = properties("relu", samples=1000)
    >>> facts["can_die"], facts["smooth"], facts["slope_at_0"]
    (True, False, 0.0)
    """
    f = activation(name)
    with torch.no_grad():
        values = f(WIDE)
        z = torch.randn(samples, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
        out = f(z)
    mean = out.mean().item()
    slopes = derivative(name, WIDE)
    far = slopes[[0, -1]].abs()  # at -20 and +20, the ends of the grid
    left = slopes[WIDE <= -5.0]
    return {"activation": name,
            "min": values.min().item(), "max": values.max().item(),
            "mean": mean, "std": out.std().item(),
            "zero_centred": abs(mean) < ZERO_CENTRED,
            "slope_at_0": derivative(name, torch.zeros(1, dtype=torch.float64)).item(),
            "saturates": bool(far.max() < 1e-2),
            "can_die": bool((left == 0).all()),
            "smooth": _second_difference(name) < 10.0}


def properties_table(names: list[str] | None = None, samples: int = 200_000) -> pd.DataFrame:
    """One row of computed properties per activation (default: the whole registry);
    ``samples`` is at most 10 million.

    - min, max: the output range seen on a wide grid, [-20, 20];
    - mean, std: of the output when the input is standard normal, N(0, 1)
      (``samples`` seeded draws), as :func:`nonlin_course.zoo_histograms` takes them;
    - zero_centred: that mean is within 0.05 of 0;
    - slope_at_0: autograd's derivative at 0;
    - saturates: the derivative is below 0.01 at both -20 and +20;
    - can_die: the derivative is exactly 0 on the whole half-line [-20, -5]
      (a unit pushed there gets no gradient back);
    - smooth: no kink on [-5, 5], judged by the second difference staying below 10.

    >>> properties_table(["relu", "tanh"], samples=1000)[["activation", "saturates", "smooth"]]
      activation  saturates  smooth
    0       relu      False   False
    1       tanh       True    True
    """
    samples = _checks.at_most("samples", samples, MAX_SAMPLES)
    return pd.DataFrame([properties(name, samples) for name in _zoo_names(names)])


def _zoo_names(names) -> list[str]:
    """``names``, or every registered activation but the identity; checked."""
    names = [n for n in activation_names() if n != "identity"] if names is None else names
    if isinstance(names, str) or not isinstance(names, (list, tuple)) or not names:
        raise ValueError(f"names must be a non-empty list of activation names, got {names!r}")
    for name in names:
        activation(name)  # raises a clear error for an unknown name
    return list(names)


def curves(names: list[str] | None = None, low: float = -5.0, high: float = 5.0,
           points: int = 101) -> pd.DataFrame:
    """Each activation and its autograd derivative on ``points`` evenly spaced x in [low, high].

    Tidy: one row per (activation, curve, x), so 2 * ``points`` rows per activation, with
    columns ``activation``, ``curve`` (``"f(x)"`` or ``"f'(x)"``), ``x`` and ``value``.

    >>> curves(["relu"], points=3)["value"].tolist()     # f at -5, 0, 5, then f'
    [0.0, 0.0, 5.0, 0.0, 0.0, 1.0]
    """
    points = _checks.positive_int("points", points)
    _checks.interval(low, high)
    x = torch.linspace(low, high, points, dtype=torch.float64)
    frames = []
    for name in _zoo_names(names):
        with torch.no_grad():
            value = activation(name)(x)
        for curve, y in (("f(x)", value), ("f'(x)", derivative(name, x))):
            frames.append(pd.DataFrame({"activation": name, "curve": curve,
                                        "x": x.numpy(), "value": y.numpy()}))
    return pd.concat(frames, ignore_index=True)


def output_histograms(names: list[str] | None = None, samples: int = 200_000, bins: int = 60,
                      low: float = -3.0, high: float = 4.0, seed: int = 0) -> pd.DataFrame:
    """Histogram of each activation's output when its input is standard normal.

    The same ``samples`` seeded N(0,1) draws go through every activation; outputs are
    counted in ``bins`` equal bins on [low, high] (outputs outside are clipped into the end
    bins); ``samples`` is at most 10 million, ``bins`` at most 10 000. Returns columns ``activation``, ``x`` (bin centre), ``density`` (so each
    histogram has area 1) and ``width`` (of a bin): ``bins`` rows per activation.

    >>> output_histograms(["relu"], samples=1000, bins=2, low=-1.0, high=1.0)
      activation    x  density  width
    0       relu -0.5      0.0    1.0
    1       relu  0.5      1.0    1.0
    """
    samples = _checks.at_most("samples", samples, MAX_SAMPLES)
    bins = _checks.at_most("bins", bins, MAX_BINS)
    _checks.interval(low, high)
    seed = check_seed(seed)
    z = torch.randn(samples, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    width = (high - low) / bins
    centres = low + width * (torch.arange(bins, dtype=torch.float64) + 0.5)
    frames = []
    for name in _zoo_names(names):
        with torch.no_grad():
            out = activation(name)(z).clamp(low, high - 1e-9)
        counts = torch.histc(out, bins=bins, min=low, max=high)
        frames.append(pd.DataFrame({"activation": name, "x": centres.numpy(),
                                    "density": (counts / (samples * width)).numpy(),
                                    "width": width}))
    return pd.concat(frames, ignore_index=True)
