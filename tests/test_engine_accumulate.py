"""Backward's shared adjoint arrays: ``OpDef.vjp_into`` and ``OpDef.vjp_all``.

Without a recorded graph, the nodes of ``x[i]`` (unbind, split, chunk, a loop over rows) add
their x̄ into one array per input, in place, instead of each making an array of x's size; and
cat (stack) gives every input's slice of g in one call. Both only change how much work is done:
every gradient here must equal the one the plain rules give. The reference is the same backward
under ``detect_anomaly``, which runs every rule on its own (it inspects each node's results), and
the closed forms.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

import tinygrad_ed as tg

Build = Callable[[list[tg.Tensor]], tg.Tensor]


def _grads(build: Build, arrays: list[np.ndarray], *, plain: bool) -> list[np.ndarray | None]:
    leaves = [tg.tensor(a, requires_grad=True) for a in arrays]
    if plain:
        with tg.autograd.detect_anomaly():
            build(leaves).backward()
    else:
        build(leaves).backward()
    return [None if t.grad is None else t.grad.numpy() for t in leaves]


def _same_as_plain_rules(build: Build, *arrays: np.ndarray) -> list[np.ndarray | None]:
    fast = _grads(build, list(arrays), plain=False)
    plain = _grads(build, list(arrays), plain=True)
    for a, b in zip(fast, plain):
        if a is None or b is None:
            assert a is None and b is None
        else:
            np.testing.assert_array_equal(a, b)
    return fast


RNG = np.random.default_rng(0)
X = RNG.standard_normal((5, 3))
V = RNG.standard_normal((3,))


def _rows_weighted(xs: list[tg.Tensor]) -> tg.Tensor:
    (x,) = xs
    return sum((r * (i + 1)).sum() for i, r in enumerate(x.unbind(0)))  # type: ignore[return-value]


def test_unbind_rows_add_into_one_array() -> None:
    (gx,) = _same_as_plain_rules(_rows_weighted, X)
    assert gx is not None
    np.testing.assert_array_equal(gx, np.repeat(np.arange(1.0, 6.0)[:, None], 3, axis=1))


def test_rows_and_the_tensor_itself() -> None:
    """x's adjoint from a consumer that is not an index (x.exp()) arrives first or last; the
    array it arrives as is someone else's, so it is copied, never written."""
    _same_as_plain_rules(lambda xs: xs[0].exp().sum() + _rows_weighted(xs), X)
    _same_as_plain_rules(lambda xs: _rows_weighted(xs) + xs[0].exp().sum(), X)


def test_an_adjoint_passed_on_to_two_inputs_is_not_written() -> None:
    """x + v sends one adjoint Tensor to both x and v; rows of x then add into x's adjoint,
    which must be a copy, not that Tensor, or v's gradient would change too."""

    def build(xs: list[tg.Tensor]) -> tg.Tensor:
        x, v = xs
        u = x * 1.0  # a non-leaf, so that its adjoint is the one add passes on
        w = u + v
        return (w * w).sum() + (u[0] * 3.0).sum() + (u[2] * 5.0).sum()

    gx, gv = _same_as_plain_rules(build, X, V)
    w = X + V
    expected_x = 2 * w
    expected_x[0] += 3.0
    expected_x[2] += 5.0
    np.testing.assert_allclose(gx, expected_x)  # type: ignore[arg-type]
    np.testing.assert_allclose(gv, (2 * w).sum(0))  # type: ignore[arg-type]


def test_slices_splits_chunks_and_advanced_indices() -> None:
    def build(xs: list[tg.Tensor]) -> tg.Tensor:
        (x,) = xs
        a, b = x.split([2, 3])
        c = x.chunk(3, dim=1)
        rep = x[[0, 0, 4]]  # repeated rows accumulate
        mask = x[x.detach() > 0]
        return (
            (a * 2).sum()
            + (b**2).sum()
            + sum((t * (k + 1)).sum() for k, t in enumerate(c))
            + (rep * 7).sum()
            + mask.sum()
            + x[1, 2] * 11
            + x[..., None, 1].sum()
        )

    _same_as_plain_rules(build, X)


def test_the_first_adjoint_is_a_buffer_a_leaf_keeps() -> None:
    """A leaf's .grad made from such an array accumulates over backward calls as any other."""
    x = tg.tensor(X, requires_grad=True)
    for _ in range(2):
        _rows_weighted([x]).backward()
    assert x.grad is not None
    np.testing.assert_array_equal(x.grad.numpy(), 2 * np.repeat(np.arange(1.0, 6.0)[:, None], 3, 1))


def test_backward_again_after_the_graph_was_released() -> None:
    """The index nodes save no values: a second backward runs them on kept shapes, as torch."""
    x = tg.tensor(X, requires_grad=True)
    loss = sum(r.sum() for r in x.unbind(0))
    loss.backward()  # type: ignore[union-attr]
    loss.backward()  # type: ignore[union-attr]
    assert x.grad is not None
    np.testing.assert_array_equal(x.grad.numpy(), np.full(X.shape, 2.0))


def test_hooks_see_the_complete_adjoint() -> None:
    seen: list[np.ndarray] = []
    x = tg.tensor(X, requires_grad=True)
    u = x * 1.0
    u.register_hook(lambda g: seen.append(g.numpy().copy()))
    _rows_weighted([u]).backward()
    np.testing.assert_array_equal(seen[0], np.repeat(np.arange(1.0, 6.0)[:, None], 3, 1))


def test_grad_of_some_inputs() -> None:
    """autograd.grad runs only the paths to its inputs; rows of another tensor are skipped."""
    x = tg.tensor(X, requires_grad=True)
    y = tg.tensor(X, requires_grad=True)
    loss = _rows_weighted([x]) + _rows_weighted([y]) * 2
    (gy,) = tg.autograd.grad(loss, [y])
    np.testing.assert_array_equal(gy.numpy(), 2 * np.repeat(np.arange(1.0, 6.0)[:, None], 3, 1))
    assert x.grad is None


def test_create_graph_still_records_the_rules() -> None:
    """With create_graph the rules run as Tensor ops, so the gradient differentiates again."""
    x = tg.tensor(X, requires_grad=True)
    loss = sum((r**3).sum() for r in x.unbind(0))
    (gx,) = tg.autograd.grad(loss, [x], create_graph=True)
    gx.sum().backward()
    assert x.grad is not None
    np.testing.assert_allclose(x.grad.numpy(), 6 * X)


def test_stack_of_many_rows_sends_each_its_slice() -> None:
    def build(xs: list[tg.Tensor]) -> tg.Tensor:
        (x,) = xs
        rows = [r * (i + 1) for i, r in enumerate(x.unbind(0))]
        return (tg.stack(rows) * tg.tensor(X)).sum() + tg.cat(rows[::-1]).sum()

    (gx,) = _same_as_plain_rules(build, X)
    weights = np.arange(1.0, 6.0)[:, None]
    assert gx is not None
    np.testing.assert_allclose(gx, weights * X + weights)


def test_cat_with_inputs_that_need_no_gradient() -> None:
    def build(xs: list[tg.Tensor]) -> tg.Tensor:
        x, v = xs
        parts = [v[None], x, tg.tensor(X[:2]), x[1:] * 2]
        return (tg.cat(parts) ** 2).sum()

    _same_as_plain_rules(build, X, V)


def test_the_rnn_over_a_long_sequence() -> None:
    """nn.RNN unbinds its input and stacks its outputs (the case that was n² in the length)."""
    tg.manual_seed(0)
    rnn = tg.nn.RNN(3, 4)
    x = tg.tensor(RNG.standard_normal((50, 2, 3)), requires_grad=True)
    out, _ = rnn(x.float())
    out.sum().backward()
    fast = [p.grad.numpy().copy() for p in (x, *rnn.parameters())]  # type: ignore[union-attr]
    for p in (x, *rnn.parameters()):
        p.grad = None
    with tg.autograd.detect_anomaly():
        out, _ = rnn(x.float())
        out.sum().backward()
    for a, p in zip(fast, (x, *rnn.parameters())):
        np.testing.assert_allclose(a, p.grad.numpy(), rtol=1e-6)  # type: ignore[union-attr]


@pytest.mark.parametrize("n", [1, 7])
def test_no_index_add_op_runs_for_rows(n: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rows' x̄ are added into one array: the index_add op (x's size per row) never runs."""
    calls: list[tg.Tensor] = []
    x = tg.tensor(RNG.standard_normal((n, 2)), requires_grad=True)
    loss = sum(r.sum() for r in x.unbind(0))
    real = tg.Tensor._index_add

    def counting(self: tg.Tensor, *args: object, **kwargs: object) -> tg.Tensor:
        calls.append(self)
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(tg.Tensor, "_index_add", counting)
    loss.backward()  # type: ignore[union-attr]
    assert calls == []
    assert x.grad is not None
    np.testing.assert_array_equal(x.grad.numpy(), np.ones((n, 2)))
