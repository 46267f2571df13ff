"""Chapter 5's exercises: the composed tent map, Kaiming's standard deviation, and the
saturated fraction of a tanh layer."""
import math

import torch

from ._common import (_call, _first_problem, _grid, _hint, _matches, _never_raises, _say,
                      _tensor_problem, _where_wrong)


def _tent(x: torch.Tensor) -> torch.Tensor:
    return 2 * torch.relu(x) - 4 * torch.relu(x - 0.5)


def _sawtooth(x: torch.Tensor, layers: int) -> torch.Tensor:
    for _ in range(layers):
        x = _tent(x)
    return x


@_never_raises
def check_sawtooth(fn) -> bool:
    """Check ``fn(x, layers)``: the tent map 2 relu(x) - 4 relu(x - 1/2) applied
    ``layers`` times, elementwise, for layers = 1..5 on a grid of [0, 1]."""
    x = _grid(0, 1, 257, dtype=torch.float64)
    failed = _first_problem(fn, [(x, layers) for layers in range(1, 6)], ("x", "layers"),
                            lambda got, x, layers: _tensor_problem("your result", got, x.shape)
                            or _sawtooth_problem(got, x, layers))
    if failed is not None:
        (_, layers), problem = failed
        return _say(False, f"for layers = {layers}, {problem}")
    return _say(True, "Correct: composing the tent map L times gives a sawtooth with 2^L "
                      "pieces, for L = 1 to 5.")


def _sawtooth_problem(got, x, layers: int) -> str | None:
    want = _sawtooth(x, layers)
    hints = [(_tent(x), "you applied the tent map once; compose it: feed its output back "
                        "in, `layers` times."),
             (_sawtooth(x, layers - 1), "you applied the tent map one time too few."),
             (_sawtooth(x, layers + 1), "you applied the tent map one time too many."),
             (layers * _tent(x), "you added up copies of the tent map; compose it instead "
                                 "(t(t(x)), not t(x) + t(x)).")]
    hint = _hint(got, [(c, m) for c, m in hints if not _matches(c, want)])
    if hint is not None:
        return hint
    if _hint(got, [(2 * torch.relu(x) - 4 * torch.relu(x - 1.0), "")]) is not None:
        return "the second ReLU's kink belongs at x = 1/2: relu(x - 0.5)."
    return _where_wrong("the sawtooth", got, want, x, sides=False)


@_never_raises
def check_kaiming_std(fn) -> bool:
    """Check ``fn(fan_in, gain) -> float``, the standard deviation gain / sqrt(fan_in)."""
    cases = [(64, math.sqrt(2.0)), (64, 5 / 3), (10, 1.0), (1000, math.sqrt(2.0)), (3, 5 / 3)]
    failed = _first_problem(fn, cases, ("fan_in", "gain"), _std_problem)
    if failed is not None:
        (fan_in, gain), problem = failed
        return _say(False, f"for fan_in = {fan_in}, gain = {gain:.4g}: {problem}")
    return _say(True, "Correct: std = gain / sqrt(fan_in), so the variance is "
                      "gain^2 / fan_in (2 / fan_in for ReLU).")


def _std_problem(got, fan_in: int, gain: float) -> str | None:
    if got is None:
        return "your function returned None: did you forget a `return`?"
    try:
        value = float(got)
    except (TypeError, ValueError, RuntimeError):
        return f"return one number (a float), got {type(got).__name__}."
    want = gain / math.sqrt(fan_in)
    if math.isclose(value, want, rel_tol=1e-4):
        return None
    hints = [(gain ** 2 / fan_in, "that is the variance; the standard deviation is its "
                                  "square root."),
             (gain / fan_in, "you divided by fan_in; divide by its square root."),
             (1 / math.sqrt(fan_in), "you left out the gain."),
             (math.sqrt(2 / fan_in), "you used ReLU's gain, sqrt(2), whatever gain was asked."),
             (gain * math.sqrt(fan_in), "you multiplied by sqrt(fan_in); divide by it.")]
    for candidate, message in hints:
        if math.isclose(value, candidate, rel_tol=1e-4):
            return message
    return f"got {value:.6g}, expected {want:.6g}."


@_never_raises
def check_saturated_fraction(fn) -> bool:
    """Check ``fn(a, threshold) -> float``: the fraction of the elements of ``a`` (tanh
    outputs, any shape) with |a| > threshold."""
    gen = torch.Generator().manual_seed(5)
    cases = [torch.tanh(3 * torch.randn(200, 16, generator=gen)),
             torch.tensor([0.97, -0.97, 0.971, -0.98, 0.0, 0.5]),
             torch.tanh(torch.randn(3, 4, 5, generator=gen) * 2)]
    for a in cases:
        got, problem = _call(fn, a, 0.97, names=("a", "threshold"))
        if problem is None:
            problem = _fraction_problem(got, a, 0.97)
        if problem is not None:
            return _say(False, f"for a of shape {tuple(a.shape)}: {problem}")
    return _say(True, "Correct: the share of outputs with |a| > threshold, over every "
                      "element, both signs.")


def _fraction_problem(got, a: torch.Tensor, threshold: float) -> str | None:
    if got is None:
        return "your function returned None: did you forget a `return`?"
    if isinstance(got, torch.Tensor) and got.numel() != 1:
        return (f"return one number for the whole tensor, got a tensor of shape "
                f"{tuple(got.shape)} (a mean over every element, not per unit).")
    try:
        value = float(got)
    except (TypeError, ValueError, RuntimeError):
        return f"return one number (a float), got {type(got).__name__}."
    past = a.abs() > threshold
    want = past.float().mean().item()
    if math.isclose(value, want, abs_tol=1e-6):
        return None
    hints = [(float(past.sum()), "that is a count; divide by the number of elements."),
             ((a > threshold).float().mean().item(), "you counted only the positive side; "
                                                      "tanh saturates near -1 too: use |a|."),
             ((a.abs() >= threshold).float().mean().item(), "strictly greater than the "
                                                             "threshold: |a| > threshold."),
             ((a.abs() < threshold).float().mean().item(), "that is the share that is *not* "
                                                            "saturated.")]
    for candidate, message in hints:
        if math.isclose(value, candidate, abs_tol=1e-6):
            return message
    return f"got {value:.6g}, expected {want:.6g}."
