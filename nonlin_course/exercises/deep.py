"""Chapter 5's exercises: the composed tent map, Kaiming's standard deviation, and the
saturated fraction of a tanh layer."""
import math

import torch

from ._common import (
    call_answer,
    first_problem,
    case_generator,
    hint_for,
    matches_wanted,
    near_enough,
    never_raises,
    as_number,
    say,
    tensor_problem,
    where_wrong,
)


def _tent(x: torch.Tensor) -> torch.Tensor:
    return 2 * torch.relu(x) - 4 * torch.relu(x - 0.5)


def _sawtooth(x: torch.Tensor, layers: int) -> torch.Tensor:
    for _ in range(layers):
        x = _tent(x)
    return x


@never_raises
def check_sawtooth(fn) -> bool:
    """Check ``fn(x, layers)``: the tent map 2 relu(x) - 4 relu(x - 1/2) applied
    ``layers`` times, elementwise, for layers = 1..5, on points of [0, 1] drawn afresh:
    a 1-D tensor and a column of shape (n, 1) as the book uses, in float32 and float64."""
    cases = []
    for layers in range(1, 6):
        x = _points(0.0, 1.0, dtype=(torch.float64, torch.float32)[layers % 2])
        cases.append((x if layers % 2 else x.unsqueeze(1), layers))
    failed = first_problem(fn, cases, ("x", "layers"),
                            lambda got, x, layers: tensor_problem("your result", got, x.shape)
                            or _sawtooth_problem(got, x, layers))
    if failed is not None:
        (x, layers), problem = failed
        return say(False, f"for layers = {layers} and x of shape {tuple(x.shape)} "
                           f"({str(x.dtype).replace('torch.', '')}), {problem}")
    return say(True, "Correct: composing the tent map L times gives a sawtooth with 2^L "
                      "pieces, for L = 1 to 5.")


def _points(low: float, high: float, dtype) -> torch.Tensor:
    """A sorted 1-D grid of [low, high] (both ends, the middle) and random points between."""
    gen = case_generator()
    n = int(torch.randint(40, 300, (1,), generator=gen))
    inside = low + (high - low) * torch.rand(n, generator=gen, dtype=torch.float64)
    ends = torch.tensor([low, (low + high) / 2, high], dtype=torch.float64)
    return torch.cat([ends, inside]).sort().values.to(dtype)


def _sawtooth_problem(got, x, layers: int) -> str | None:
    want = _sawtooth(x.double(), layers)
    atol = 1e-6 if x.dtype == torch.float64 else 1e-4   # float32 rounding, doubled per layer
    hints = [(_tent(x.double()), "you applied the tent map once; compose it: feed its "
                                 "output back in, `layers` times."),
             (_sawtooth(x.double(), layers - 1), "you applied the tent map one time too few."),
             (_sawtooth(x.double(), layers + 1), "you applied the tent map one time too many."),
             (layers * _tent(x.double()), "you added up copies of the tent map; compose it "
                                          "instead (t(t(x)), not t(x) + t(x)).")]
    if matches_wanted(got, want, atol):
        return None
    hint = hint_for(got, [(c, m) for c, m in hints if not matches_wanted(c, want, atol)], atol)
    if hint is not None:
        return hint
    if hint_for(got, [(2 * torch.relu(x) - 4 * torch.relu(x - 1.0), "")], atol) is not None:
        return "the second ReLU's kink belongs at x = 1/2: relu(x - 0.5)."
    return where_wrong("the sawtooth", got, want, x, sides=False, atol=atol)


@never_raises
def check_kaiming_std(fn) -> bool:
    """Check ``fn(fan_in, gain) -> float``: the standard deviation of Kaiming-initialised
    weights for a layer with ``fan_in`` inputs and the activation's ``gain``, on fan_in
    and gain values drawn afresh."""
    gen = case_generator()
    fans = [1, *(int(f) for f in torch.randint(2, 5000, (4,), generator=gen))]
    gains = [math.sqrt(2.0), 5 / 3, 1.0, float(0.3 + 3 * torch.rand(1, generator=gen)),
             float(0.3 + 3 * torch.rand(1, generator=gen))]
    order = torch.randperm(5, generator=gen).tolist()
    cases = [(fans[i], gains[j]) for i, j in zip(order, range(5))]
    failed = first_problem(fn, cases, ("fan_in", "gain"), _std_problem)
    if failed is not None:
        (fan_in, gain), problem = failed
        return say(False, f"for fan_in = {fan_in}, gain = {gain:.4g}: {problem}")
    return say(True, "Correct: your standard deviation is right for every fan_in and gain "
                      "tried.")


def _std_problem(got, fan_in: int, gain: float) -> str | None:
    value, problem = as_number("your result", got)
    if problem is not None:
        return problem
    want = gain / math.sqrt(fan_in)
    if near_enough(value, want):
        return None
    hints = [(gain ** 2 / fan_in, "that is the variance; the standard deviation is its "
                                  "square root."),
             (gain / fan_in, "you divided by fan_in; divide by its square root."),
             (1 / math.sqrt(fan_in), "you left out the gain."),
             (math.sqrt(2 / fan_in), "you used ReLU's gain, sqrt(2), whatever gain was asked."),
             (gain * math.sqrt(fan_in), "you multiplied by sqrt(fan_in); divide by it.")]
    for candidate, message in hints:
        if near_enough(value, candidate) and not near_enough(candidate, want):
            return message
    return f"got {value:.6g}, expected {want:.6g}."


@never_raises
def check_saturated_fraction(fn) -> bool:
    """Check ``fn(a, threshold) -> float``: the fraction of the elements of ``a`` (tanh
    outputs, any shape, float32 or float64) with |a| > threshold, for thresholds and
    tensors drawn afresh (some elements exactly at +-threshold, which do not count)."""
    gen = case_generator()
    for shape, dtype in [((200, 16), torch.float32), ((6,), torch.float64),
                         ((3, 4, 5), torch.float64), ((50,), torch.float32)]:
        threshold = int(torch.randint(512, 1014, (1,), generator=gen)) / 1024  # exact in float32
        a = _tanh_outputs(shape, threshold, gen).to(dtype)
        got, problem = call_answer(fn, a, threshold, names=("a", "threshold"))
        if problem is None:
            problem = _fraction_problem(got, a, threshold)
        if problem is not None:
            return say(False, f"for a of shape {tuple(a.shape)} ({str(dtype)[6:]}) and "
                               f"threshold = {threshold:g}: {problem}")
    return say(True, "Correct: the share of outputs with |a| > threshold, over every "
                      "element, both signs.")


def _tanh_outputs(shape, threshold: float, gen) -> torch.Tensor:
    """tanh of wide random values, none within 1e-3 of +-threshold except a few exactly at it."""
    a = torch.tanh(3 * torch.randn(shape, generator=gen, dtype=torch.float64)).flatten()
    near = (a.abs() - threshold).abs() < 1e-3
    a[near] = torch.sign(a[near]) * (threshold + 2e-3)
    a[:2] = torch.tensor([threshold, -threshold], dtype=torch.float64)[:len(a[:2])]
    return a[torch.randperm(len(a), generator=gen)].reshape(shape)


def _fraction_problem(got, a: torch.Tensor, threshold: float) -> str | None:
    if isinstance(got, torch.Tensor) and got.numel() != 1:
        return (f"return one number for the whole tensor, got a tensor of shape "
                f"{tuple(got.shape)} (a mean over every element, not per unit).")
    value, problem = as_number("your result", got)
    if problem is not None:
        return problem
    a = a.double()
    past = a.abs() > threshold
    want = past.double().mean().item()
    if near_enough(value, want, rel=0.0, abs_tol=1e-6):
        return None
    hints = [(float(past.sum()), "that is a count; divide by the number of elements."),
             ((a > threshold).double().mean().item(), "you counted only the positive side; "
                                                       "tanh saturates near -1 too: use |a|."),
             ((a.abs() >= threshold).double().mean().item(), "strictly greater than the "
                                                              "threshold: |a| > threshold."),
             ((a.abs() < threshold).double().mean().item(), "that is the share that is *not* "
                                                             "saturated.")]
    for candidate, message in hints:
        if near_enough(value, candidate, rel=0.0, abs_tol=1e-6):
            return message
    return f"got {value:.6g}, expected {want:.6g}."
