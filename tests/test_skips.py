"""Tests of nonlin_course.training.skips: compare_skips against the reference loop."""

import pytest

import nonlin_course as nc
from nonlin_course.nets.residual import residual_mlp
from nonlin_course.training.skips import compare_skips


def test_compare_skips_is_the_reference_loop_model_by_model():
    split = nc.train_test(*nc.moons(200, seed=0), on="cpu")
    sizes = [2, 6, 6, 6, 2]
    runs = compare_skips(
        sizes, split, [0, 1], inits=["default", "kaiming"], epochs=2, probe_rows=50
    )
    assert runs[["init", "skip", "seed"]].values.tolist() == [
        [i, s, seed] for i in ["default", "kaiming"] for s in [False, True] for seed in [0, 1]
    ]
    for row in runs.itertuples():
        nc.seed_everything(row.seed)
        model = nc.init_deep(residual_mlp(sizes, "relu", row.skip), row.init, "relu")
        z = model.pre_activations(split.X_train[:50])
        growth = (z[-1].std() / z[0].std()).item()
        history = nc.train_classifier(model, split, epochs=2, seed=row.seed)
        assert row.growth == pytest.approx(growth, rel=1e-6)
        assert row.test_acc == pytest.approx(history.test_acc.iloc[-1], abs=1e-6)


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"seeds": []}, ValueError, "seeds must hold at least one"),
        ({"seeds": 3}, TypeError, "seeds must be a list"),
        ({"inits": []}, ValueError, "inits must hold at least one"),
        ({"inits": "kaiming"}, TypeError, "inits must be a list"),
        ({"inits": ["he"]}, ValueError, "each of inits"),
        ({"seeds": [-1]}, ValueError, "each of seeds"),
        ({"split": "moons"}, TypeError, "Split"),
        ({"probe_rows": 0}, ValueError, "probe_rows"),
    ],
)
def test_compare_skips_bad_input(kwargs, error, words):
    args = {
        "sizes": [2, 4, 4, 2],
        "split": nc.train_test(*nc.moons(50, seed=0), on="cpu"),
        "seeds": [0],
        "inits": ["default"],
        "epochs": 1,
    }
    args.update(kwargs)
    with pytest.raises(error, match=words):
        compare_skips(**args)
