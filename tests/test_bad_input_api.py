"""Bad input to functional, nn and optim: a clear exception naming the op, never a wrong answer.

Each case is one audited finding: the exception type torch would raise, and a message that names
the op and the shapes or dtypes involved (not a numpy error from deep inside).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import nn, optim
from tinygrad_ed.tensor import Tensor

# ----------------------------------------------------------------------------- integer inputs


@pytest.mark.parametrize(
    ("op", "call"),
    [
        ("cross_entropy", lambda x: F.cross_entropy(x, [0, 1])),
        ("nll_loss", lambda x: F.nll_loss(x, [0, 1])),
        ("mse_loss", lambda x: F.mse_loss(x, x)),
        ("binary_cross_entropy_with_logits", lambda x: F.binary_cross_entropy_with_logits(x, x)),
        ("softmax", lambda x: F.softmax(x, 1)),
        ("log_softmax", lambda x: F.log_softmax(x, 1)),
    ],
)
def test_integer_input_is_refused(op: str, call: Callable[[Tensor], Tensor]) -> None:
    with pytest.raises(TypeError, match=rf"{op}\(\).*int64.*\(2, 2\)"):
        call(tg.tensor([[1, 5], [3, 4]]))


def test_cross_entropy_of_integer_logits_once_converted() -> None:
    loss = F.cross_entropy(tg.tensor([[1, 5], [3, 4]]).float(), tg.tensor([0, 1]))
    assert loss.dtype == np.float32
    assert loss.item() == pytest.approx(2.1657, abs=1e-4)


def test_bce_with_integer_target_is_refused_not_promoted() -> None:
    z = tg.tensor([1.0, 2.0])
    with pytest.raises(RuntimeError, match=r"binary_cross_entropy_with_logits\(\).*int64"):
        F.binary_cross_entropy_with_logits(z, tg.tensor([1, 0]))
    loss = F.binary_cross_entropy_with_logits(z, tg.tensor([1.0, 0.0]))
    assert loss.dtype == np.float32


def test_mse_loss_takes_an_integer_target_in_the_input_dtype() -> None:
    loss = F.mse_loss(tg.tensor([1.0, 2.0]), tg.tensor([1, 3]))
    assert loss.dtype == np.float32 and loss.item() == pytest.approx(0.5)


# ----------------------------------------------------------------------------- dropout


def test_dropout_refuses_integer_input_while_training() -> None:
    x = tg.tensor([10] * 6)
    with pytest.raises(TypeError, match=r"Dropout.*int64.*\(6,\)"):
        nn.Dropout(0.3)(x)
    assert nn.Dropout(0.3).eval()(x) is x  # the identity, as in torch


@pytest.mark.parametrize(("p", "error"), [(1.3, ValueError), (-0.1, ValueError), ("a", TypeError)])
def test_dropout_probability(p: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match="Dropout"):
        nn.Dropout(p)


# ----------------------------------------------------------------------------- reduction

LOSSES: list[tuple[str, Callable[..., Tensor], Callable[[], tuple[Any, Any]]]] = [
    ("cross_entropy", F.cross_entropy, lambda: (tg.randn(4), 1)),
    ("cross_entropy", F.cross_entropy, lambda: (tg.randn(2, 4), [1, 0])),
    ("nll_loss", F.nll_loss, lambda: (tg.randn(4), 1)),
    ("nll_loss", F.nll_loss, lambda: (tg.randn(2, 4), [1, 0])),
    ("mse_loss", F.mse_loss, lambda: (tg.randn(3), tg.randn(3))),
    (
        "binary_cross_entropy_with_logits",
        F.binary_cross_entropy_with_logits,
        lambda: (tg.randn(3), tg.zeros(3)),
    ),
]


@pytest.mark.parametrize(("op", "fn", "args"), LOSSES)
def test_invalid_reduction_is_refused_for_any_input(
    op: str, fn: Callable[..., Tensor], args: Callable[[], tuple[Any, Any]]
) -> None:
    with pytest.raises(ValueError, match=rf"{op}\(\): 'avg' is not a valid value for reduction"):
        fn(*args(), reduction="avg")


@pytest.mark.parametrize(
    "loss", [nn.CrossEntropyLoss, nn.NLLLoss, nn.MSELoss, nn.BCEWithLogitsLoss]
)
def test_loss_modules_check_reduction_when_built(loss: Callable[..., nn.Module]) -> None:
    with pytest.raises(ValueError, match=rf"{loss.__name__}\(\): reduction"):
        loss(reduction="avg")


# ----------------------------------------------------------------------------- optimizers


def _params() -> list[Tensor]:
    return [tg.zeros(2, requires_grad=True)]


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (
            lambda: optim.Adam(_params(), betas=(0.9,)),
            ValueError,
            r"Adam\(\): betas must be a pair",
        ),
        (lambda: optim.AdamW(_params(), betas=0.9), ValueError, r"AdamW\(\): betas"),
        (lambda: optim.Adam(_params(), betas=(0.9, 1.0)), ValueError, "beta parameter at index 1"),
        (lambda: optim.Adam(_params(), lr=-1.0), ValueError, r"Adam\(\): invalid learning rate"),
        (lambda: optim.Adam(_params(), lr=float("nan")), ValueError, "learning rate: nan"),
        (lambda: optim.Adam(_params(), lr="a"), TypeError, r"Adam\(\): learning rate"),
        (lambda: optim.Adam(_params(), eps=-1e-8), ValueError, "epsilon"),
        (lambda: optim.AdamW(_params(), weight_decay=-1.0), ValueError, "AdamW.*weight_decay"),
        (lambda: optim.SGD(_params(), lr=-0.1), ValueError, r"SGD\(\): invalid learning rate"),
        (lambda: optim.SGD(_params(), momentum=-0.9), ValueError, "SGD.*momentum"),
        (lambda: optim.SGD(_params(), weight_decay=-1.0), ValueError, "SGD.*weight_decay"),
        (lambda: optim.SGD(_params(), dampening="a"), TypeError, "SGD.*dampening"),
        (lambda: optim.SGD([]), ValueError, r"SGD\(\): optimizer got an empty parameter list"),
        (lambda: optim.Adam([]), ValueError, r"Adam\(\): optimizer got an empty parameter list"),
    ],
)
def test_optimizer_hyperparameters_are_checked_when_built(
    make: Callable[[], optim.Optimizer], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        make()


@pytest.mark.parametrize(
    "opt",
    [
        optim.SGD,
        optim.Adam,
        optim.AdamW,
        optim.RMSprop,
        optim.Adagrad,
        optim.Adadelta,
        optim.Adamax,
        optim.NAdam,
        optim.RAdam,
    ],
)
@pytest.mark.parametrize("n", [1, 3])
def test_step_refuses_a_gradient_of_the_wrong_shape(opt: type[optim.Optimizer], n: int) -> None:
    p = tg.zeros(2, requires_grad=True)
    o = opt([p], lr=0.1)  # type: ignore[call-arg]
    p.grad = tg.zeros(2)
    # Past any check made when .grad is assigned: the step-time guard must catch it.
    p.grad.data = np.ones(n, dtype=np.float32)
    with pytest.raises(RuntimeError, match=rf"{opt.__name__}\.step\(\).*\(2,\).*\({n},\)"):
        o.step()
    assert p.data.tolist() == [0.0, 0.0]


# ----------------------------------------------------------------------------- non-Tensor input

t3 = tg.ones(3)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: F.cross_entropy(np.ones((3, 4)), tg.tensor([0, 1, 2])), r"cross_entropy\(\)"),
        (lambda: F.nll_loss(np.ones((3, 4)), [0, 1, 2]), r"nll_loss\(\)"),
        (lambda: F.mse_loss(np.ones(3), t3), r"mse_loss\(\): argument 'input'"),
        (lambda: F.binary_cross_entropy_with_logits([0.0], t3), "binary_cross_entropy"),
        (lambda: F.linear(tg.ones(2, 4), tg.ones(3, 4), [1.0, 2.0, 3.0]), "'bias'.*list"),
        (lambda: F.linear(tg.ones(2, 4), np.ones((3, 4))), "'weight'.*numpy.ndarray"),
        (lambda: F.linear(np.ones((2, 4)), tg.ones(3, 4)), r"linear\(\): argument 'input'"),
        (
            lambda: F.relu(np.ones(2)),
            r"relu\(\): argument 'input' must be Tensor, not numpy.ndarray",
        ),
        (lambda: F.sigmoid([1.0]), r"sigmoid\(\).*list"),
        (lambda: F.tanh(1.0), r"tanh\(\).*float"),
        (lambda: F.softmax(np.ones(2), 0), r"softmax\(\)"),
        (lambda: F.log_softmax(np.ones(2), 0), r"log_softmax\(\)"),
        (lambda: F.logsumexp(np.ones(2), 0), r"logsumexp\(\)"),
        (lambda: F.l2_penalty([np.ones(2)], 0.1), r"l2_penalty\(\).*params\[0\]"),
        (lambda: nn.Softmax()(np.ones(2)), r"softmax\(\)"),
        (lambda: nn.ReLU()(np.ones(2)), r"relu\(\)"),
    ],
)
def test_non_tensor_input_is_a_type_error(call: Callable[[], Any], match: str) -> None:
    with pytest.raises(TypeError, match=match):
        call()


def test_targets_may_still_be_lists_or_arrays() -> None:
    logits = tg.zeros(2, 3)
    a = F.cross_entropy(logits, [0, 2]).item()
    assert a == F.cross_entropy(logits, np.array([0, 2])).item() == pytest.approx(np.log(3))
    assert F.mse_loss(tg.ones(2), np.zeros(2)).item() == 1.0


# ----------------------------------------------------------------------------- layer arguments


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: nn.Linear(2.5, 2), TypeError, r"Linear\(\): in_features must be an int.*2.5"),
        (lambda: nn.Linear("3", 2), TypeError, r"Linear\(\): in_features.*str"),
        (lambda: nn.Linear(3, True), TypeError, r"Linear\(\): out_features.*bool"),
        (lambda: nn.Linear(-1, 2), ValueError, r"Linear\(\): in_features must be non-negative"),
        (lambda: nn.Linear(3, 2, dtype=np.int64), TypeError, r"Linear\(\): dtype.*int64"),
        (lambda: nn.Linear(3, 2, dtype="foo"), TypeError, r"Linear\(\): dtype 'foo'"),
        (lambda: nn.Flatten(1.5), TypeError, r"Flatten\(\): start_dim"),
        (lambda: nn.Softmax(dim=1.5), TypeError, r"Softmax\(\): dim"),
        (lambda: nn.LogSoftmax(dim="1"), TypeError, r"LogSoftmax\(\): dim"),
    ],
)
def test_layer_arguments(make: Callable[[], Any], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        make()


def test_layer_sizes_accept_numpy_ints() -> None:
    layer = nn.Linear(np.int64(3), np.int32(2))
    assert (layer.in_features, layer.out_features) == (3, 2)
    assert type(layer.in_features) is int


def test_linear_with_the_wrong_in_features_names_both_shapes() -> None:
    with pytest.raises(ValueError, match=r"Linear\(in_features=3.*\(2, 5\).*\(4, 3\)"):
        nn.Linear(3, 4)(tg.ones(2, 5))
    with pytest.raises(ValueError, match=r"linear\(\).*\(2, 5\).*\(4, 3\)"):
        F.linear(tg.ones(2, 5), tg.ones(4, 3))


@pytest.mark.parametrize(
    "bad",
    [
        lambda: tg.ones(2, 3) + tg.ones(4),  # broadcasting
        lambda: tg.ones(2, 3) @ tg.ones(2, 3),  # matmul
        lambda: tg.ones(6).reshape(4, 2),
        lambda: tg.ones(2, 3).expand(4, 4),
        lambda: tg.cat([tg.ones(2, 3), tg.ones(2, 4)]),
        lambda: tg.stack([tg.ones(2), tg.ones(3)]),
        lambda: tg.ones(2).item(),
        lambda: tg.ones(2, 3).permute(0, 0),
        lambda: tg.functional.linear(tg.ones(2, 3), tg.ones(4, 5)),
    ],
)
def test_shape_errors_are_value_errors_and_torchs_runtime_errors(bad: Any) -> None:
    """Python code catches ValueError; code written for torch catches RuntimeError."""
    with pytest.raises(tg.OpError) as info:
        bad()
    assert isinstance(info.value, ValueError) and isinstance(info.value, RuntimeError)


# ----------------------------------------------------------------------------- audit of today's API
# Found by a randomized differential driver against torch 2.13 (bad or edge arguments).


def test_as_tensor_of_an_array_takes_the_dtype_asked_for() -> None:
    # Was float32: `d in (None, data.dtype)` compared float64 == None, which numpy reads as True.
    a = np.array([1.0, 2.0], np.float32)
    t = tg.as_tensor(a, dtype=tg.float64)
    assert t.dtype == np.float64 and a.dtype == np.float32
    assert tg.as_tensor(np.array([1.0], np.float16), dtype=tg.float64).dtype == np.float64


@pytest.mark.parametrize(
    ("op", "call"),
    [
        ("as_tensor", lambda: tg.as_tensor(None, dtype=tg.float32)),  # was tensor(nan)
        ("tensor", lambda: tg.tensor(None, dtype=tg.float64)),
        ("new_tensor", lambda: tg.tensor([1.0]).new_tensor(None)),  # was tensor(nan)
        ("as_tensor", lambda: tg.as_tensor("abc", dtype=tg.float32)),  # was numpy's parse error
        ("as_tensor", lambda: tg.as_tensor(np.array(["a"]), dtype=tg.int64)),
        ("new_tensor", lambda: tg.tensor([1.0]).new_tensor("abc")),
    ],
)
def test_non_numeric_data_is_refused_not_read_as_nan(op: str, call: Callable[[], Any]) -> None:
    with pytest.raises(TypeError, match=rf"{op}\(\): cannot make a tensor from data of dtype"):
        call()


def test_randint_like_refuses_what_a_bool_or_complex_cannot_hold() -> None:
    x = tg.zeros(3, dtype=tg.bool_)
    with pytest.raises(RuntimeError, match=r"randint_like\(\).*\[0, 3\).*bool"):
        tg.randint_like(x, 3)  # was a bool tensor of randint(0, 3) cast: True twice as often
    with pytest.raises(RuntimeError, match=r"randint\(\).*\[-1, 1\).*bool"):
        tg.randint(-1, 1, (2,), dtype=tg.bool_)
    assert tg.randint_like(x, 2).dtype == np.bool_
    with pytest.raises(TypeError, match=r"randint_like\(\).*complex64"):
        tg.randint_like(tg.zeros(2), 3, dtype=np.complex64)
    with pytest.raises(ValueError, match=r"randint_like\(\): low must be less than high"):
        tg.randint_like(x, 0)  # the refusal names randint_like, not randint


def test_diff_of_order_zero_is_the_input_without_prepend_or_append() -> None:
    x = tg.tensor([[1.0, 2.0, 4.0]])
    out = x.diff(n=0, prepend=tg.zeros(1, 2), append=tg.zeros(1, 1))
    assert out.shape == (1, 3)  # was (1, 6): torch returns the input for n = 0
    np.testing.assert_array_equal(out.data, x.data)


@pytest.mark.parametrize("op", ["clamp_min", "clamp_max"])
def test_clamp_bound_that_does_not_broadcast_names_the_op(op: str) -> None:
    with pytest.raises(tg.OpError, match=rf"{op}\(\): shapes \(2, 3\) and \(4,\) do not broadcast"):
        getattr(tg.zeros(2, 3), op)(tg.zeros(4))  # was numpy's "operands could not be …"


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda x: x.norm(tg.tensor(0.5)), r"norm\(\): p must be a number"),  # was equal()
        (lambda x: F.normalize(x, p=tg.tensor(2.0)), r"normalize\(\): p must be a float"),
        (lambda x: F.normalize(x, eps=None), r"normalize\(\): eps must be a float"),
        (lambda x: F.pairwise_distance(x, x, p=tg.tensor(2.0)), r"pairwise_distance\(\): p"),
        (lambda x: F.pairwise_distance(x, x, eps="a"), r"pairwise_distance\(\): eps"),
        (lambda x: F.celu(x, alpha=None), r"celu\(\): alpha must be a number, got None"),
        (lambda x: F.celu(x, alpha="a"), r"celu\(\): alpha must be a number"),
        (lambda x: F.l1_loss(x, "abc"), r"l1_loss\(\): cannot make a tensor"),  # was operand()
        (lambda x: F.soft_margin_loss(x, None), r"soft_margin_loss\(\): cannot make a tensor"),
        (lambda x: F.softmin(x, (0, 1)), r"softmin\(\): dim must be an int"),  # was softmax()
        (lambda x: F.softmin(x > 0, 1), r"softmin\(\).*bool"),  # was the negation's message
        (lambda x: F.softmin(x, 1, dtype="foo"), r"softmin\(\).*'foo' is not a dtype"),
    ],
)
def test_bad_parameters_name_the_op(call: Callable[[Tensor], Any], pattern: str) -> None:
    with pytest.raises((TypeError, ValueError), match=pattern):
        call(tg.ones(2, 3))


def test_cyclic_lr_and_chained_scheduler_refuse_non_numbers_and_non_schedules() -> None:
    p = nn.Parameter(tg.zeros(2))
    opt = optim.SGD([p], lr=0.1, momentum=0.9)
    S = optim.lr_scheduler
    with pytest.raises(TypeError, match=r"CyclicLR\(\): max_lr must be a real number, got"):
        S.CyclicLR(opt, base_lr=0.01, max_lr=None)  # was None − float at the first step
    with pytest.raises(TypeError, match=r"CyclicLR\(\): base_lr must be a real number, got"):
        S.CyclicLR(opt, base_lr="a", max_lr=0.1)
    with pytest.raises(TypeError, match=r"CyclicLR\(\): base_momentum and max_momentum"):
        S.CyclicLR(opt, base_lr=0.01, max_lr=0.1, base_momentum=None)
    with pytest.raises(TypeError, match=r"ChainedScheduler\(\): scheduler at index 0 \(int\)"):
        S.ChainedScheduler([5, S.ExponentialLR(opt, 0.9)])  # was AttributeError
