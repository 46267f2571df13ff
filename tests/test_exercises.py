"""Each checker: the reference answer passes; typical wrong answers get their own message."""
import inspect
import io
import sys
import threading

import pytest
import torch
import torch.nn.functional as F

import nonlin_course as nc
from nonlin_course import exercises as ex
from nonlin_course.exercises import _common, hinges, sigmoid


@pytest.fixture(autouse=True)
def same_cases_within_a_test(monkeypatch):
    """Each check draws its cases afresh; within a test, every check draws the same ones (a
    test compares the plain and the raising form's messages)."""
    monkeypatch.setattr(_common, "SEED", 20261207)


def outcome(checker, answer, capsys, **kwargs):
    ok = checker(answer, **kwargs)
    message = capsys.readouterr().out.strip()
    assert message.count("\n") == 0, f"one short message expected, got:\n{message}"
    return ok, message


def expect(checker, answer, capsys, *fragments, ok=False, **kwargs):
    got_ok, message = outcome(checker, answer, capsys, **kwargs)
    assert got_ok is ok, message
    assert message.startswith("Correct:" if ok else "Not yet:"), message
    for fragment in fragments:
        assert fragment in message, message
    expect_raising_form(checker, answer, capsys, ok, message, **kwargs)


def expect_raising_form(checker, answer, capsys, ok, message, **kwargs):
    """The graders' form, ``raise_error=True``: a right answer prints the same "Correct"
    and returns True; a wrong one prints nothing and raises AssertionError with the message
    the plain form printed."""
    if ok:
        assert checker(answer, raise_error=True, **kwargs) is True
        assert capsys.readouterr().out.strip() == message
        return
    with pytest.raises(AssertionError) as raised:
        checker(answer, raise_error=True, **kwargs)
    assert str(raised.value) == message
    assert capsys.readouterr().out == ""


# --- shared: answers that are not answers -----------------------------------------------

CALLABLE_CHECKERS = [ex.check_fold, ex.check_sigmoid_derivative, ex.check_abs_hinges,
                     ex.check_interpolant_weights]


@pytest.mark.parametrize("checker", CALLABLE_CHECKERS)
@pytest.mark.parametrize("answer", [None, 3, "relu"])
def test_a_non_function_is_named(checker, answer, capsys):
    expect(checker, answer, capsys, f"expected a function, got {type(answer).__name__}")


@pytest.mark.parametrize("checker", CALLABLE_CHECKERS)
def test_an_answer_that_raises_is_reported_with_its_exception(checker, capsys):
    def answer(*args):
        raise KeyError("W3")
    expect(checker, answer, capsys, "your code raised KeyError: 'W3'")


@pytest.mark.parametrize("checker", CALLABLE_CHECKERS)
def test_an_unanswered_starter_is_named(checker, capsys):
    def starter(*args):
        raise NotImplementedError("replace this line with your code")
    expect(checker, starter, capsys, "still raises NotImplementedError")


@pytest.mark.parametrize("checker", [ex.check_leaky_relu_function, ex.check_silu_function])
@pytest.mark.parametrize("answer", [None, F.silu, torch.nn.SiLU])
def test_not_a_function_class_is_named(checker, answer, capsys):
    expect(checker, answer, capsys, "expected a torch.autograd.Function subclass")


@pytest.mark.parametrize("checker", CALLABLE_CHECKERS + [ex.check_leaky_relu_function,
                                                        ex.check_silu_function])
@pytest.mark.parametrize("flag", [1, "yes", None])
def test_raise_error_must_be_a_bool(checker, flag):
    with pytest.raises(TypeError, match="raise_error must be True or False"):
        checker(None, raise_error=flag)


@pytest.mark.parametrize("checker", CALLABLE_CHECKERS + [ex.check_leaky_relu_function,
                                                        ex.check_silu_function])
def test_the_raising_form_is_in_the_signature(checker):
    parameter = inspect.signature(checker).parameters["raise_error"]
    assert parameter.kind is inspect.Parameter.KEYWORD_ONLY and parameter.default is False


def test_a_surprise_inside_the_checker_becomes_a_message(capsys, monkeypatch):
    def unforeseen(*args):
        raise RuntimeError("something no guard foresaw")
    monkeypatch.setattr(sigmoid, "tensor_problem", unforeseen)
    expect(ex.check_sigmoid_derivative, torch.sigmoid, capsys,
           "could not test your answer (RuntimeError: something no guard foresaw)")


# --- chapter 1: fold ---------------------------------------------------------------------

def fold(W1, b1, W2, b2):
    return W2 @ W1, W2 @ b1 + b2


def fold_in_place(W1, b1, W2, b2):
    b2 += W2 @ b1
    return W2 @ W1, b2


@pytest.mark.parametrize("answer, fragments", [
    (lambda W1, b1, W2, b2: (W1 @ W2, W2 @ b1 + b2), ["wrong order", "W2 @ W1"]),
    (lambda W1, b1, W2, b2: (W2 @ W1, b2), ["b equals b2", "W2 @ b1 + b2"]),
    (lambda W1, b1, W2, b2: (W2 @ W1, b1 + b2), ["b equals b1 + b2"]),
    (lambda W1, b1, W2, b2: (W2.T @ W1, W2 @ b1 + b2), ["W is not W2 @ W1"]),
    (lambda W1, b1, W2, b2: (W2 @ W1, W1 @ b2 + b1), ["W is right but b"]),
    (lambda W1, b1, W2, b2: (W2 @ b1 + b2, W2 @ W1), ["swapped"]),
    (lambda W1, b1, W2, b2: (W2 @ W1, (W2 @ b1 + b2)[:, None]), ["b has shape (", ", 1), expected ("]),
    (lambda W1, b1, W2, b2: (W2 @ W1 * torch.nan, W2 @ b1 + b2), ["W contains NaN"]),
    (lambda W1, b1, W2, b2: ((W2 @ W1).numpy(), W2 @ b1 + b2), ["torch.Tensor, got ndarray"]),
    (lambda W1, b1, W2, b2: W2 @ W1, ["return the pair (W, b); got Tensor"]),
    (lambda W1, b1, W2, b2: None, ["return the pair (W, b); got NoneType"]),
    (fold_in_place, ["changed its input b2 in place"]),
])
def test_fold_wrong_answers(answer, fragments, capsys):
    expect(ex.check_fold, answer, capsys, *fragments)


def test_fold_shapes_only_a_rectangular_case_reveals(capsys):
    expect(ex.check_fold, fold, capsys, "square and rectangular", ok=True)
    square_only = lambda W1, b1, W2, b2: (W2 @ W1, W2 @ b1 + b2 + 0 * W1 @ b1)
    expect(ex.check_fold, square_only, capsys, "raised RuntimeError")
    transposed = lambda W1, b1, W2, b2: ((W2 @ W1).T, W2 @ b1 + b2)
    expect(ex.check_fold, transposed, capsys, "W is the transpose of W2 @ W1")


def square_only_W(W1, b1, W2, b2):
    """Right when all layers are square; transposes wrongly (then reshapes) otherwise."""
    square = W1.shape[0] == W1.shape[1] == W2.shape[0]
    return (W2 @ W1 if square else (W1.T @ W2.T).reshape(W2.shape[0], -1)), W2 @ b1 + b2


def square_only_b(W1, b1, W2, b2):
    square = W1.shape[0] == W1.shape[1] == W2.shape[0]
    return W2 @ W1, (W2 @ b1 + b2 if square else W2 @ b1)


@pytest.mark.parametrize("answer, fragments", [
    (square_only_W, ["right for square layers", "W1 of shape (", "W2 of shape (",
                     "W is not W2 @ W1"]),
    (square_only_b, ["right for square layers", "W1 of shape (", "W is right but b"]),
])
def test_fold_wrong_only_for_rectangular_layers_is_named(answer, fragments, capsys):
    expect(ex.check_fold, answer, capsys, *fragments)


# --- chapter 2: sigmoid derivative --------------------------------------------------------

def sigmoid_slope(x):
    s = torch.sigmoid(x)
    return s * (1 - s)


@pytest.mark.parametrize("answer, fragments", [
    (torch.sigmoid, ["sigma(x) itself"]),
    (lambda x: torch.exp(-x) / (1 + torch.exp(-x)) ** 2, ["x = -1000", "nan", "torch.sigmoid"]),
    (lambda x: torch.exp(-x) / (1 + torch.exp(-x)), ["at x = 0 you give 0.5", "1/4"]),
    (lambda x: torch.where(x >= 0, sigmoid_slope(x), 0.5 * sigmoid_slope(x)),
     ["wrong only at negative inputs", "at x = -"]),
    (lambda x: torch.where(x <= 0, sigmoid_slope(x), 0.5 * sigmoid_slope(x)),
     ["wrong only at positive inputs"]),
    (lambda x: sigmoid_slope(x) + 0.1 * x ** 2, ["the derivative is wrong: at x = "]),
    (lambda x: sigmoid_slope(x).flatten(), ["input, your result has shape (", "expected ("]),
    (lambda x: sigmoid_slope(x).sum(), ["has shape ()", "expected ("]),
    (lambda x: x.sigmoid_().mul_(1 - x), ["changed its input x in place"]),
    (lambda x: sigmoid_slope(x) / (x - x), ["NaN"]),
    (lambda x: (x > 0).long(), ["floating-point tensor, got torch.int64"]),
    (lambda x: sigmoid_slope(x).tolist(), ["torch.Tensor, got list"]),
])
def test_sigmoid_derivative_wrong_answers(answer, fragments, capsys):
    expect(ex.check_sigmoid_derivative, answer, capsys, *fragments)


def test_sigmoid_derivative_reference_passes(capsys):
    expect(ex.check_sigmoid_derivative, sigmoid_slope, capsys, "1/4", ok=True)


# --- chapter 3: autograd Functions --------------------------------------------------------

def function_class(forward, backward):
    """A torch.autograd.Function subclass from a forward(x) and a backward(x, grad_output)."""
    class Answer(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return forward(x)

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return backward(x, grad_output)
    return Answer


def leaky(x, slope=0.01):
    return torch.where(x > 0, x, slope * x)


def leaky_slope(x, slope=0.01):
    return torch.where(x > 0, 1.0, slope).to(x.dtype)


def silu_slope(x):
    s = torch.sigmoid(x)
    return s * (1 + x * (1 - s))


def test_leaky_relu_reference_passes(capsys):
    answer = function_class(leaky, lambda x, g: g * leaky_slope(x))
    expect(ex.check_leaky_relu_function, answer, capsys, "gradcheck passes", ok=True)
    answer = function_class(lambda x: leaky(x, 0.2), lambda x, g: g * leaky_slope(x, 0.2))
    expect(ex.check_leaky_relu_function, answer, capsys, ok=True, negative_slope=0.2)


@pytest.mark.parametrize("forward, backward, fragments", [
    (torch.relu, lambda x, g: g * leaky_slope(x), ["forward returns ReLU(x)"]),
    (lambda x: leaky(x, 0.1), lambda x, g: g * leaky_slope(x),
     ["forward is wrong only at negative inputs", "expected -0.0"]),
    (leaky, lambda x, g: g * (x > 0), ["no gradient at negative inputs"]),
    (leaky, lambda x, g: leaky_slope(x), ["ignores grad_output"]),
    (leaky, lambda x, g: g * leaky_slope(x, 0.1), ["gradient is wrong only at negative inputs"]),
    (leaky, lambda x, g: None, ["backward returned None"]),
    (leaky, lambda x, g: g[:3], ["backward failed", "invalid gradient"]),
    (lambda x: leaky(x).sum(), lambda x, g: g, ["forward's output has shape ()"]),
    (lambda x: leaky(x).reshape(-1), lambda x, g: g, ["shape (60,), expected (2, 30)"]),
    (lambda x: x.mul_(2.0), lambda x, g: g, ["changed its input x in place"]),
    (lambda x: leaky(x) * torch.nan, lambda x, g: g, ["NaN"]),
])
def test_leaky_relu_wrong_answers(forward, backward, fragments, capsys):
    expect(ex.check_leaky_relu_function, function_class(forward, backward), capsys, *fragments)


def test_leaky_relu_with_slope_0_is_named_as_relu(capsys):
    expect(ex.check_leaky_relu_function, function_class(lambda x: leaky(x, 0.0),
                                                        lambda x: x), capsys,
           "negative slope of 0", "must be 0.01")
    answer = function_class(leaky, lambda x, g: g * leaky_slope(x, 0.0))
    expect(ex.check_leaky_relu_function, answer, capsys, "no gradient at negative inputs",
           "slope must be 0.01")
    relu_class = function_class(lambda x: leaky(x, 0.0), lambda x, g: g * leaky_slope(x, 0.0))
    expect(ex.check_leaky_relu_function, relu_class, capsys, ok=True, negative_slope=0.0)


def float32_leaky(x):
    out = torch.zeros(x.shape)  # float32 whatever x is: fine in float32, breaks in float64
    out[x > 0] = x[x > 0]
    out[x <= 0] = 0.01 * x[x <= 0]
    return out


def test_leaky_relu_gradcheck_catches_a_float32_only_forward(capsys):
    answer = function_class(float32_leaky, lambda x, g: g * leaky_slope(x))
    expect(ex.check_leaky_relu_function, answer, capsys, "gradcheck fails in float64",
           "torch.zeros_like(x)")


def test_silu_reference_passes(capsys):
    answer = function_class(F.silu, lambda x, g: g * silu_slope(x))
    expect(ex.check_silu_function, answer, capsys, "F.silu", ok=True)


@pytest.mark.parametrize("forward, backward, fragments", [
    (torch.sigmoid, lambda x, g: g * silu_slope(x), ["forward returns sigma(x)"]),
    (F.silu, lambda x, g: g * torch.sigmoid(x), ["product rule"]),
    (F.silu, lambda x, g: g * torch.sigmoid(x) * (1 - torch.sigmoid(x)), ["sigmoid's slope"]),
    (F.silu, lambda x, g: silu_slope(x), ["ignores grad_output"]),
    (F.silu, lambda x, g: g * torch.where(x > 0, silu_slope(x), 0.0),
     ["gradient is wrong only at negative inputs"]),
    (lambda x: F.silu(x).sum(), lambda x, g: g, ["shape ()"]),
])
def test_silu_wrong_answers(forward, backward, fragments, capsys):
    expect(ex.check_silu_function, function_class(forward, backward), capsys, *fragments)


# --- chapter 4: hinges -------------------------------------------------------------------

def abs_from_relus(x):
    return torch.relu(x) + torch.relu(-x)


@pytest.mark.parametrize("answer", [
    abs_from_relus,
    lambda x: F.relu(x) + F.relu(-x),
    lambda x: torch.nn.ReLU()(x) + torch.nn.ReLU()(-x),
    lambda x: x.relu() + (-x).relu(),
    lambda x: torch.relu_(x.clone()) + F.relu(-x, inplace=True),
    lambda x: nc.hinge(x, 0.0) + nc.hinge(-x, 0.0),
    lambda x: 2 * torch.relu(x) - x,
    lambda x: torch.relu(torch.stack([x, -x])).sum(dim=0),
])
def test_abs_hinges_reference_and_other_hinge_answers_pass(answer, capsys):
    expect(ex.check_abs_hinges, answer, capsys, "kink at 0", ok=True)


@pytest.mark.parametrize("answer", [
    lambda x: torch.sqrt(x * x),
    lambda x: x * torch.sign(x),
    lambda x: torch.maximum(x, -x),
    lambda x: torch.where(x > 0, x, -x),
    lambda x: torch.relu(x) * 0 + torch.sqrt(x * x),
    lambda x: torch.relu(x) - torch.relu(x) + torch.maximum(x, -x),
])
def test_abs_hinges_refuses_answers_built_without_relu(answer, capsys):
    expect(ex.check_abs_hinges, answer, capsys, "values are right", "built without ReLU")


def test_abs_hinges_refuses_a_relu_used_on_one_side_only(capsys):
    answer = lambda x: torch.where(x > 0, torch.relu(x), -x)
    expect(ex.check_abs_hinges, answer, capsys, "at x = -3", "do not come from your ReLUs")


@pytest.mark.parametrize("answer, fragments", [
    (lambda x: torch.stack([torch.relu(x), torch.relu(-x)], dim=1).sum(dim=1),
     ["right for a 1-d input", "0-d input", "raised IndexError"]),
    (lambda x: torch.relu(x[:, None] * torch.tensor([1.0, -1.0])).sum(dim=1),
     ["right for a 1-d input", "shape (2, 3)", "raised RuntimeError"]),
    (lambda x: torch.relu(x.reshape(-1)) + torch.relu(-x.reshape(-1)),
     ["shape (2, 3)", "your result has shape (6,), expected (2, 3)"]),
    (lambda x: nc.hinge_sum(x, [-3.0, 0.0], [-1.0, 2.0], bias=3.0).float(),
     ["right for a 1-d input", "shape (2, 3)", "raised"]),
])
def test_abs_hinges_needs_any_shape(answer, fragments, capsys):
    expect(ex.check_abs_hinges, answer, capsys, *fragments)


@pytest.mark.parametrize("answer, fragments", [
    (torch.relu, ["only the right half"]),
    (lambda x: torch.relu(x) + torch.relu(-x) + 0.5, ["off by a constant", "+0.5"]),
    (lambda x: torch.relu(x) - torch.relu(-x), ["slope for x < 0 is 1, expected -1"]),
    (lambda x: 2 * torch.relu(x) + torch.relu(-x), ["slope for x > 0 is 2, expected +1"]),
    (lambda x: torch.relu(x) + torch.relu(-x) + torch.isclose(x, torch.tensor(0.1)),
     ["|x| is wrong only at positive inputs", "at x = 0.1"]),
    (lambda x: torch.abs(x), ["you used abs()"]),
    (lambda x: abs(x), ["you used abs()"]),
    (lambda x: x.abs(), ["you used abs()"]),
    (lambda x: torch.relu_(x) + torch.relu(-x), ["changed its input x in place"]),
    (lambda x: (torch.relu(x) + torch.relu(-x))[:-1], ["shape (60,), expected (61,)"]),
    (lambda x: torch.relu(x) / torch.relu(-x), ["NaN"]),
])
def test_abs_hinges_wrong_answers(answer, fragments, capsys):
    expect(ex.check_abs_hinges, answer, capsys, *fragments)


def interpolant(n):
    h = 2 / n
    return torch.arange(n) * h, torch.tensor([h] + [2 * h] * (n - 1))


def test_interpolant_closed_form_against_the_target():
    """The reference weights interpolate x^2 at every piece boundary (independent check)."""
    for n in [1, 3, 10]:
        knots, weights = hinges.interpolant_reference(n)
        x = torch.linspace(0, 2, n + 1)
        fit = (weights * torch.relu(x[:, None] - knots)).sum(dim=1)
        torch.testing.assert_close(fit, x ** 2)


def test_interpolant_reference_passes(capsys):
    expect(ex.check_interpolant_weights, interpolant, capsys, ok=True)
    as_lists = lambda n: tuple(t.tolist() for t in interpolant(n))
    expect(ex.check_interpolant_weights, as_lists, capsys, ok=True)


@pytest.mark.parametrize("answer, fragments", [
    (lambda n: (torch.arange(n) * 2 / n, (2 * torch.arange(n) + 1) * 2 / n),
     ["slopes of the pieces"]),
    (lambda n: (torch.arange(n) * 2 / n, torch.full((n,), 4 / n)),
     ["for n = 1, the first weight is 4, expected h = 2"]),
    (lambda n: (torch.arange(n + 1) * 2 / n, torch.full((n + 1,), 4 / n)),
     ["expected 1 knot,", "no hinge at 2"]),
    (lambda n: (torch.arange(1, n + 1) * 2 / n, interpolant(n)[1]),
     ["knot 0 is at 2, expected the piece boundary 0*h = 0"]),
    (lambda n: (interpolant(n)[0], interpolant(n)[1][:1]), ["1 weights for 2 knots"]),
    (lambda n: (interpolant(n)[0], interpolant(n)[1] + torch.arange(n) / 10),
     ["for n = 2, the hinge sum at the piece boundaries is wrong: at x = 2", "expected 4"]),
    (lambda n: (interpolant(n)[0], interpolant(n)[1] * torch.nan), ["NaN"]),
    (lambda n: interpolant(n)[1], ["return the pair (knots, weights)"]),
    (lambda n: (["a"] * n, ["b"] * n), ["tensors of numbers"]),
    (lambda n: (interpolant(n)[0] + 0j, interpolant(n)[1]), ["knots are complex", "real"]),
    (lambda n: (interpolant(n)[0].tolist(), [complex(w) for w in interpolant(n)[1]]),
     ["weights are complex", "real"]),
    (lambda n: (interpolant(n)[0], interpolant(n)[1] + float("inf")),
     ["weight 0 is inf", "finite"]),
    (lambda n: (interpolant(n)[0] * torch.nan, interpolant(n)[1]), ["knot 0 is nan"]),
])
def test_interpolant_wrong_answers(answer, fragments, capsys):
    expect(ex.check_interpolant_weights, answer, capsys, *fragments)


# --- every checker: answers that escape, hang, close stdout, or run without grad ----------

def silu_class():
    return function_class(F.silu, lambda x, g: g * silu_slope(x))


def leaky_class():
    return function_class(leaky, lambda x, g: g * leaky_slope(x))


REFERENCES = [(ex.check_fold, fold), (ex.check_sigmoid_derivative, sigmoid_slope),
              (ex.check_leaky_relu_function, leaky_class()),
              (ex.check_silu_function, silu_class()),
              (ex.check_abs_hinges, abs_from_relus),
              (ex.check_interpolant_weights, interpolant)]
CHECKER_IDS = [checker.__name__ for checker, _ in REFERENCES]


def reference_for(checker):
    return dict(REFERENCES)[checker]


def as_answer(checker, body):
    """An answer to ``checker`` that runs ``body()`` (in forward for the Function checkers)."""
    if checker in (ex.check_leaky_relu_function, ex.check_silu_function):
        return function_class(lambda x: body() or leaky(x), lambda x, g: g)
    return lambda *args: body()


class Stop(BaseException):
    """A BaseException that is not an Exception, as an answer might raise."""


def leave(code):
    sys.exit(code)


def stop():
    raise Stop("halt")


@pytest.mark.parametrize("checker", [c for c, _ in REFERENCES], ids=CHECKER_IDS)
@pytest.mark.parametrize("body, fragments", [
    (lambda: leave(3), ["called sys.exit()", "SystemExit: 3"]),
    (stop, ["your code raised Stop: halt"]),
    (lambda: (_ for _ in ()).throw(GeneratorExit()), ["your code raised GeneratorExit"]),
])
def test_an_answer_that_exits_or_raises_a_base_exception_is_reported(checker, body, fragments,
                                                                     capsys):
    expect(checker, as_answer(checker, body), capsys, *fragments)


@pytest.mark.parametrize("checker", [ex.check_leaky_relu_function, ex.check_silu_function])
def test_a_backward_that_exits_is_reported(checker, capsys):
    exits = staticmethod(lambda ctx, grad_output: leave(4))
    answer = type("Exits", (reference_for(checker),), {"backward": exits})
    expect(checker, answer, capsys, "backward failed", "called sys.exit()")


@pytest.mark.parametrize("checker", [c for c, _ in REFERENCES], ids=CHECKER_IDS)
def test_keyboard_interrupt_in_the_answer_is_reported(checker, capsys):
    def interrupt():
        raise KeyboardInterrupt
    expect(checker, as_answer(checker, interrupt), capsys, "raised KeyboardInterrupt")


@pytest.fixture
def short_time_limit(monkeypatch):
    """A 2 s limit (a forked child starts slowly on a busy machine), and an event that lets
    the 'endless' answers end after the test."""
    monkeypatch.setattr(_common, "TIME_LIMIT_S", 2.0)
    release = threading.Event()
    yield release
    release.set()


@pytest.mark.parametrize("checker", [c for c, _ in REFERENCES], ids=CHECKER_IDS)
def test_an_answer_that_never_ends_times_out(checker, capsys, short_time_limit):
    answer = as_answer(checker, lambda: short_time_limit.wait(10))
    expect(checker, answer, capsys, "your code took longer than 2 s")


def test_a_backward_that_never_ends_times_out(capsys, short_time_limit):
    answer = function_class(leaky, lambda x, g: short_time_limit.wait(10) or g)
    expect(ex.check_leaky_relu_function, answer, capsys, "backward failed",
           "took longer than 2 s")


def close_stdout():
    """What a careless answer might do: close both streams, then replace stdout."""
    sys.stdout.close()
    sys.stderr.close()
    sys.stdout = io.StringIO()
    sys.stdout.close()


def closing_stdout(checker, answer):
    if checker in (ex.check_leaky_relu_function, ex.check_silu_function):
        class Closing(answer):
            @staticmethod
            def forward(ctx, x):
                close_stdout()
                return answer.forward(ctx, x)
        return Closing
    return lambda *args: close_stdout() or answer(*args)


@pytest.mark.parametrize("checker, answer", REFERENCES, ids=CHECKER_IDS)
def test_an_answer_that_closes_or_replaces_stdout_still_gets_its_message(checker, answer,
                                                                         capsys):
    expect(checker, closing_stdout(checker, answer), capsys, ok=True)
    assert not sys.stdout.closed and not sys.stderr.closed


def test_the_message_falls_back_to_the_original_stdout(monkeypatch):
    closed, original = io.StringIO(), io.StringIO()
    closed.close()
    monkeypatch.setattr(sys, "stdout", closed)
    monkeypatch.setattr(sys, "__stdout__", original)
    assert ex.check_sigmoid_derivative(None) is False
    assert "expected a function, got NoneType" in original.getvalue()


@pytest.mark.parametrize("no_grad", [torch.no_grad, torch.inference_mode,
                                     lambda: torch.set_grad_enabled(False)],
                         ids=["no_grad", "inference_mode", "set_grad_enabled(False)"])
@pytest.mark.parametrize("checker, answer", REFERENCES, ids=CHECKER_IDS)
def test_a_session_without_grad_still_accepts_the_reference(checker, answer, no_grad, capsys):
    with no_grad():
        expect(checker, answer, capsys, ok=True)
        assert not torch.is_grad_enabled()  # the learner's mode is theirs again
    assert torch.is_grad_enabled()
