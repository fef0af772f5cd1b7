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
        (lambda: F.relu(np.ones(2)), r"relu\(\): argument 'x' must be Tensor, not numpy.ndarray"),
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
