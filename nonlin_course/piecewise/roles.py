"""What each hidden unit of a fitted one-input ReLU net does on the data interval
(chapter 4): bend the output at a knot inside it, or sit idle or dead.

The nets come from :func:`nonlin_course.fit_relu_nets` (:mod:`nonlin_course.piecewise.relu_fit`).
"""
import pandas as pd

from .. import _checks
from .relu_fit import NetSweep

ROLES = ("kink", "zero weight", "outside", "dead")


def unit_roles(units: pd.DataFrame, low: float, high: float, tol: float = 1e-3) -> pd.DataFrame:
    """``units`` (a :class:`NetSweep`'s, one row per unit with input weight ``a``, bias
    ``c`` and output weight ``w``) with a column ``role``, what each unit does on the data
    interval [low, high]:

    - ``"dead"``: a*x + c <= 0 on all of it, so the unit outputs 0 there and gets no gradient;
    - ``"outside"`` (idle): a*x + c > 0 on all of it, so its knot lies outside and it only
      adds a straight line;
    - ``"zero weight"`` (idle): its knot lies inside but it bends the output by less than
      ``tol`` (|w a|);
    - ``"kink"``: its knot lies inside and it bends the output there.

    Units with a NaN or infinite weight (a fit that diverged) have no role: refused.

    >>> units = pd.DataFrame({"a": [1.0, 1.0, -1.0, 1.0], "c": [-1.0, 1.0, -3.0, -1.0],
    ...                       "w": [2.0, 1.0, 1.0, 1e-5]})
    >>> unit_roles(units, 0.0, 2.0)["role"].tolist()
    ['kink', 'outside', 'dead', 'zero weight']
    """
    _checks.frame("units", units, ["a", "c", "w"])
    _checks.numbers(units, ["a", "c", "w"], "units")   # NaN weights (a diverged fit): no role
    _checks.interval(low, high)
    if _checks.finite_number("tol", tol) < 0:
        raise ValueError(f"tol must be a number >= 0, got {tol}")
    at_low, at_high = units.a * low + units.c, units.a * high + units.c
    role = pd.Series("kink", index=units.index)
    role[(at_low <= 0) & (at_high <= 0)] = "dead"
    role[(at_low > 0) & (at_high > 0)] = "outside"
    role[(role == "kink") & ((units.w * units.a).abs() < tol)] = "zero weight"
    return units.assign(role=role)


def role_table(sweep: NetSweep, low: float, high: float, reference: float) -> pd.DataFrame:
    """One row per setting (``init``, ``lr``, ``epoch``) of a sweep: the mean number of
    units per net in each role of :func:`unit_roles` on [low, high], the best and worst
    net's mean squared error, and how many nets end below ``reference`` (an error to beat).

    >>> import torch
    >>> from nonlin_course import fit_relu_nets
    >>> x = torch.linspace(0.0, 2.0, 21, dtype=torch.float64)
    >>> sweep = fit_relu_nets(x, x ** 2, 4, [0, 1], epochs=3, device="cpu")
    >>> list(role_table(sweep, 0.0, 2.0, reference=0.1).columns)
    ['init', 'lr', 'epoch', 'kink', 'zero weight', 'outside', 'dead', 'best mse', 'worst mse', 'below reference']
    """
    if not isinstance(sweep, NetSweep):
        raise TypeError(f"sweep must be what fit_relu_nets returns, got {type(sweep).__name__}")
    reference = _checks.finite_number("reference", reference)
    units = unit_roles(sweep.units.merge(sweep.models, left_on="model", right_index=True),
                       low, high)
    keys = ["init", "lr", "epoch"]
    counts = (units.groupby(keys + ["model", "role"]).size().unstack(fill_value=0)
              .reindex(columns=list(ROLES), fill_value=0).groupby(keys).mean())
    errors = units.groupby(keys + ["model"]).mse.first().groupby(keys)
    return counts.assign(**{"best mse": errors.min(), "worst mse": errors.max(),
                            "below reference": errors.apply(lambda e: int((e < reference).sum()))}
                         ).reset_index().rename_axis(columns=None)

