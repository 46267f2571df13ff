"""What each unit of a fitted one-input ReLU net does on the data interval
(nonlin_course.piecewise.roles)."""
import math
import numpy as np
import pandas as pd
import pytest
import torch

import nonlin_course as nc
from nonlin_course.piecewise import approx, relu_fit, roles


def square(x):
    return x ** 2


def test_unit_roles_against_the_units_outputs_on_the_data():
    gen = torch.Generator().manual_seed(0)
    a, c, w = (torch.randn(200, generator=gen, dtype=torch.float64) for _ in range(3))
    w[::7] = 0.0
    units = pd.DataFrame({"a": a, "c": c, "w": w})
    role = roles.unit_roles(units, 0.0, 2.0).role
    x = torch.linspace(0, 2, 2001, dtype=torch.float64)
    out = torch.relu(a[:, None] * x + c[:, None])          # (units, points)
    assert ((role == "dead") == (out == 0).all(1).numpy()).all()
    assert ((role == "outside") == (out > 0).all(1).numpy()).all()
    assert (role[w.numpy() == 0] != "kink").all()
    assert set(role) <= set(roles.ROLES)
    with pytest.raises(ValueError, match=r"units: DataFrame lacks columns.*'w'"):
        roles.unit_roles(units.drop(columns="w"), 0.0, 1.0)


def test_role_table_counts_roles_and_errors_per_setting():
    x = approx.fine_grid(0, 2, 41)
    sweep = relu_fit.fit_relu_nets(x, square(x), 3, [0, 1, 2], lr=[0.01, 0.05], epochs=20,
                                   device="cpu")
    table = roles.role_table(sweep, 0.0, 2.0, reference=0.05)
    assert table[["lr", "epoch"]].values.tolist() == [[0.01, 20], [0.05, 20]]
    assert np.allclose(table[list(roles.ROLES)].sum(axis=1), 3)      # every unit has a role
    units = roles.unit_roles(sweep.units.merge(sweep.models, left_on="model", right_index=True),
                                0.0, 2.0)
    for _, row in table.iterrows():
        mine = units[units.lr == row.lr]
        assert row.dead == pytest.approx((mine.role == "dead").sum() / 3)
        mse = mine.groupby("model").mse.first()
        assert row["best mse"] == mse.min() and row["worst mse"] == mse.max()
        assert row["below reference"] == (mse < 0.05).sum()


def test_role_table_refuses_nets_with_nan_weights():
    x = torch.linspace(0.0, 2.0, 11, dtype=torch.float64)
    sweep = nc.fit_relu_nets(x, x ** 2, 3, [0], epochs=2, device="cpu")
    sweep.units.loc[0, "w"] = math.nan       # a fit that diverged
    with pytest.raises(ValueError, match="units column w must hold finite numbers"):
        nc.role_table(sweep, 0.0, 2.0, reference=0.1)
