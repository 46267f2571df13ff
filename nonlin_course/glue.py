"""Helpers for the book itself: weaving computed numbers into the prose."""
import math


def glue_float(name: str, value, digits: int = 4) -> float:
    """Round ``value`` to ``digits`` decimals and glue it (myst-nb) under ``name``.

    The prose then shows it with ``{glue:text}`name:.1%``` and the like. Returns the
    rounded float so a check cell can assert on exactly what the reader sees.
    Rounding keeps the saved output stable across CPUs. Outside the book toolchain
    (no myst-nb, as in the Colab edition, which installs the package alone) it only
    returns the number and leaves no output.

    >>> glue_float("answer", 2 / 3, digits=3)   # the prose can show {glue:text}`answer`
    0.667
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"glue name must be an identifier-like str, got {name!r}")
    if hasattr(digits, "item") and not isinstance(digits, bool):   # numpy or 0-d tensor
        digits = digits.item() if getattr(digits, "ndim", 0) == 0 else digits
    if isinstance(digits, bool) or not isinstance(digits, int) or digits < 0:
        raise ValueError(f"digits must be an int >= 0, got {digits!r}")
    if isinstance(value, bool) or type(value).__name__ == "bool_" or (
            hasattr(value, "dtype") and str(value.dtype) in ("bool", "torch.bool")):
        raise TypeError(f"value for {name} must be a number, got the truth value {value!r}")
    if isinstance(value, (str, bytes)):    # float("1") would pass a typo'd cell through
        raise TypeError(f"value for {name} must be a single number, got str {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError, RuntimeError):
        raise TypeError(f"value for {name} must be a single number, got "
                        f"{type(value).__name__}") from None
    if not math.isfinite(number):
        raise ValueError(f"value for {name} must be a finite number, got {number}")
    number = round(number, digits)
    try:
        from myst_nb import glue
    except ImportError:  # outside the book toolchain the number is still returned
        return number
    glue(name, number, display=False)
    return number
