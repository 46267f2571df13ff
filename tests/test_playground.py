"""The playground's tools: the fixture exporter (tools/export_playground_fixture.py), the
browser check's page and report logic (tools/check_playground.py) and the Sphinx side's
digits file and Colab links (book/_ext/playground.py). The engine and the widgets are
tested by node (`make test-js`); the browser check runs in `make test-site`."""
import re
from pathlib import Path

import pytest
import torch
from by_path import load

ROOT = Path(__file__).parent.parent
cp = load("tools/check_playground.py")
ex = load("tools/export_playground_fixture.py")
ext = load("book/_ext/playground.py")

ENGINE = (ROOT / "book" / "_static" / "playground" / "engine.js").read_text()


def engine_activations() -> set[str]:
    block = ENGINE[ENGINE.index("export const ACTIVATIONS = {"):ENGINE.index("export const ACTIVATION_NAMES")]
    return set(re.findall(r"^  (\w+): \[", block, re.MULTILINE))


def test_fixture_covers_every_activation_of_the_engine_with_adam():
    adam = {c["act"] for c in ex.cases() if c["optimizer"] == "adam" and c["loss"] == "ce"}
    assert engine_activations() == adam == set(ex.ACTIVATIONS)


def engine_limit(name: str) -> int:
    return int(re.search(rf"export const {name} = (\d+);", ENGINE).group(1))


def test_fixture_cases_fit_the_engine_limits_and_reach_them():
    hidden = [case["sizes"][1:-1] for case in ex.cases()]
    assert all(len(h) <= engine_limit("MAX_HIDDEN") and max(h) <= engine_limit("MAX_WIDTH") for h in hidden)
    assert any(len(h) == engine_limit("MAX_HIDDEN") and max(h) == engine_limit("MAX_WIDTH") for h in hidden)


def test_fixture_has_every_norm_with_each_of_chapter_5s_activations():
    normed = {(c["norm"], c["act"]) for c in ex.cases() if "norm" in c}
    assert {n for n, _ in normed} == set(ex.NORMS) and {a for _, a in normed} >= {"sigmoid", "tanh", "relu"}


def test_norm_case_exports_the_norm_state_and_an_evaluation_loss():
    split = ex.moons_split(64)
    case = {"name": "t", "sizes": [2, 4, 2], "act": "tanh", "optimizer": "adamw", "lr": 1e-2,
                "momentum": 0.0, "loss": "ce", "norm": "batchnorm"}
    out = ex.run(case, split, seed=1, steps=4)
    assert out["biases"][0] is None and out["biases"][1] is not None   # no bias before a BatchNorm
    assert len(out["running_mean"][0]) == 4 and out["running_var"][0] != [1.0] * 4
    model = ex.build(case, 1)
    assert [type(m).__name__ for m in model] == ["Linear", "BatchNorm1d", "Tanh", "Linear"]
    assert out["eval_loss"] > 0


def test_exported_steps_are_the_trainers_own():
    # run() asserts that the hooked step losses average to train_classifier's epoch
    # losses and that the batches it exports are the ones the model saw
    split = ex.moons_split(64)
    case = {"name": "t", "sizes": [2, 4, 2], "act": "tanh", "optimizer": "adam", "lr": 1e-2,
                "momentum": 0.0, "loss": "ce"}
    out = ex.run(case, split, seed=3, steps=4)
    assert len(out["losses"]) == len(out["order"]) == 4
    assert sorted(i for batch in out["order"][:2] for i in batch) == list(range(64))
    # the losses are those of the exported initial weights on the exported batches
    model = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2)).double()
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor(out["weights"][0]))
        model[0].bias.copy_(torch.tensor(out["biases"][0]))
        model[2].weight.copy_(torch.tensor(out["weights"][1]))
        model[2].bias.copy_(torch.tensor(out["biases"][1]))
        idx = torch.tensor(out["order"][0])
        first = torch.nn.functional.cross_entropy(model(split.X_train[idx]), split.y_train[idx])
    assert out["losses"][0] == pytest.approx(first.item(), rel=1e-12)


DOM = """<div class="nc-playground" data-widget="ch1" data-ready="1"><div class="pg-body">
<div class="pg-problems" role="alert"><p>c1.act=swish is not allowed: choose one of none, relu; using relu.</p></div>
<div class="pg-controls"><div>x</div></div>
<p class="pg-status" data-test-acc="0.95" data-steps="10">step 10</p></div></div>
<div class="nc-playground" data-widget="ch2" data-ready="error"><div class="pg-body"></div></div>"""


def test_widgets_reads_status_problems_and_readiness():
    found = cp.widgets(DOM)
    assert found["ch1"]["ready"] == "1" and found["ch2"]["ready"] == "error"
    assert found["ch1"]["status"] == {"test-acc": "0.95", "steps": "10"}
    assert found["ch1"]["problems"] == ["c1.act=swish is not allowed: choose one of none, relu; using relu."]
    assert cp.number(found["ch1"], "test-acc") == 0.95
    assert cp.number(found["ch2"], "test-acc") != cp.number(found["ch2"], "test-acc")   # NaN


def page(acc, ratio, error, deep_acc=0.55):
    return {"ch1": {"ready": "1", "status": {"test-acc": str(acc)}},
            "ch2": {"ready": "1", "status": {"ratio": str(ratio), "test-acc": str(deep_acc)}},
            "ch4": {"ready": "1", "status": {"max-error": str(error)}},
            "ch5": {"ready": "1", "status": {}}}


GOOD = [(page(0.96, 0.5, 1 / 64), page(0.86, 1e-4, 0.0105))] * 5


def test_claims_pass_on_what_the_chapters_say():
    assert cp.claims(GOOD) == []


@pytest.mark.parametrize("relu, linear, phrase", [
    (page(0.85, 0.5, 1 / 64), page(0.86, 1e-4, 0.0105), "mean test accuracy"),
    (page(0.96, 0.5, 1 / 64), page(0.91, 1e-4, 0.0105), "linear model"),
    (page(0.96, 0.05, 1 / 64), page(0.86, 1e-4, 0.0105), "deep ReLU"),
    (page(0.96, 0.5, 1 / 64), page(0.86, 0.02, 0.0105), "deep sigmoid"),
    (page(0.96, 0.5, 0.0157), page(0.86, 1e-4, 0.0105), "want 1/64"),
    (page(0.96, 0.5, 1 / 64), page(0.86, 1e-4, 0.02), "least squares"),
    (page(0.96, 0.5, 1 / 64), page(0.86, 1e-4, 0.0105, 0.65), "want < 0.6"),
    (page(0.96, 0.5, 1 / 64), page(0.86, 1e-4, 0.0105, 0.5), "none above 0.5"),
])
def test_claims_catch_each_failure(relu, linear, phrase):
    problems = cp.claims([(relu, linear)] * 5)
    assert problems and all(phrase in p for p in problems), problems


def test_claims_catch_a_widget_that_did_not_start():
    broken = page(0.96, 0.5, 1 / 64)
    broken["ch4"]["ready"] = "error"
    assert any("ch4 did not start" in p for p in cp.claims([(broken, GOOD[0][1])]))
    broken["ch5"]["ready"] = "loading"
    assert any("ch5 did not start" in p for p in cp.claims([(broken, GOOD[0][1])]))


def test_bad_parameters_need_the_allowed_values_named():
    shown = {"ch1": {"ready": "1", "problems": ["c1.act=swish is not allowed: choose one of none, relu; using relu."]},
             "ch2": {"ready": "1", "problems": ["c2.depth=13 is not allowed: a whole number from 1 to 12; using 4."]},
             "ch4": {"ready": "1", "problems": ["c4.n=abc is not allowed: a whole number from 1 to 32; using 8.",
                                                "c4.colour is not a setting of this figure"]},
             "ch5": {"ready": "1", "problems": [("c5.norm=groupnorm is not allowed: choose one of none, "
                                                 "batchnorm, layernorm; using none.")]}}
    assert cp.bad_parameters(shown) == []
    shown["ch2"]["problems"] = ["something went wrong"]
    assert any("ch2" in p for p in cp.bad_parameters(shown))


def test_digits_file_holds_chapter_5s_split():
    import nonlin_course as nc
    data = ext.digits_bytes()
    assert data[:4] == b"NCD1"
    n_train, n_test = int.from_bytes(data[4:6], "little"), int.from_bytes(data[6:8], "little")
    split = nc.train_test(*nc.digits(), on="cpu")
    assert (n_train, n_test) == (len(split.y_train), len(split.y_test))
    rows = torch.tensor(list(data[8:]), dtype=torch.float64).view(n_train + n_test, 65)
    X, y = rows[:, :64] / 16, rows[:, 64].long()
    assert torch.equal(X[:n_train], split.X_train.double()) and torch.equal(y[n_train:], split.y_test)
    assert len(data) == 8 + 65 * (n_train + n_test)


def test_colab_url_names_the_widgets_chapter():
    options = {"repository_url": "https://github.com/a/b", "repository_branch": "main"}
    assert ext.colab_url(ROOT, options, "ch5").endswith("/a/b/blob/main/colab/05_deep_networks.ipynb")
    assert ext.colab_url(ROOT, {}, "ch5") is None


def report(**changes):
    return {"theme": "light", "checks": 300, "failures": [], "contrast": [], "errors": [], **changes}


def test_driven_passes_a_clean_report_and_names_every_kind_of_failure():
    assert cp.driven(report(), "light") == []
    assert cp.driven(None, "dark") == ["dark: the driver wrote no report"]
    assert "crashed" in cp.driven({"crashed": "TypeError"}, "light")[0]
    assert cp.driven(report(failures=["ch4: blank chart"]), "light") == ["light: ch4: blank chart"]
    assert "came up in the theme's light mode" in cp.driven(report(), "dark")[0]
    assert "only 3 checks" in cp.driven(report(checks=3), "light")[0]
    mine = {"message": "TypeError: x is null", "source": "http://h/_static/playground/ch4.js:3"}
    theirs = {"message": "Uncaught SyntaxError: THEBE_JS_URL", "source": "http://h/book/playground.html"}
    assert cp.driven(report(errors=[mine, theirs]), "light") == ["light: console error TypeError: x is null"]


def test_found_json_reads_what_a_page_wrote():
    dom = '<p>x</p><pre id="pg-errors">[{&quot;message&quot;: &quot;a &lt; b&quot;}]</pre>'
    assert cp.found_json(dom, "pg-errors") == [{"message": "a < b"}]
    assert cp.found_json(dom, "pg-drive") is None


def test_every_widget_is_on_the_playground_page_and_in_its_chapter():
    page = (ROOT / "book" / "playground.md").read_text()
    for name, number in ext.CHAPTERS.items():
        assert f"```{{playground}} {name}\n" in page, name
        (chapter,) = (ROOT / "book").glob(f"{number}_*.ipynb")
        assert chapter.read_text().count(f"{{playground}} {name}") == 1, chapter.name
    assert set(ext.CHAPTERS) == set(ext.WIDGETS)
