"""The lecture's gradient as an op of your own: multiclass logistic loss with W̄ = (p − e_y) xᵀ.

For scores f = W x (W is C×d) the multiclass logistic (cross-entropy) loss of one example is

    ℓ(W; x, y) = log Σ_k exp(f_k) − f_y,        ∂ℓ/∂W = (softmax(f) − e_y) xᵀ,

and over a batch of n examples the mean loss has W̄ = (P − Y)ᵀ X / n, with P the rows of
softmax scores and Y the one-hot labels. Autograd finds this by chaining the rules of the
transpose, the matmul and the ``cross_entropy`` primitive (whose rule is softmax(f) − e_y); here
the derivation from the lecture is written once, by hand, as the backward of a
``tg.autograd.Function``, and then:

1. ``gradcheck`` proves it against the central difference (F(w+ε) − F(w−ε)) / 2ε;
2. it gives the same gradient as the composed ops (``F.cross_entropy(X @ W.T, y)``);
3. its backward graph is one node where the composed one has three: transpose, matmul and the
   fused cross-entropy (drawn with Graphviz when the ``dot`` program is installed).

Run: ``python examples/custom_op.py [--quick] [--out DIR]``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from _common import parse_args

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed.data import load_digits, standardize
from tinygrad_ed.viz import dot_available, draw_backward


class MulticlassLogistic(tg.autograd.Function):
    """out = mean_i [logsumexp(W xᵢ) − (W xᵢ)_yᵢ];  W̄ = g·(P − Y)ᵀX / n"""

    @staticmethod
    def forward(ctx: Any, W: tg.Tensor, X: tg.Tensor, y: np.ndarray) -> tg.Tensor:
        f = X.data @ W.data.T  # n×C scores; forward runs unrecorded, so numpy is fine here
        f = f - f.max(axis=1, keepdims=True)  # softmax is shift invariant: no overflow
        logz = np.log(np.exp(f).sum(axis=1, keepdims=True))
        n = len(y)
        ctx.P = np.exp(f - logz)  # the softmax rows, kept for backward
        ctx.y = y
        ctx.save_for_backward(X)
        return tg.Tensor(np.mean(logz[:, 0] - f[np.arange(n), y]))

    @staticmethod
    def backward(ctx: Any, g: tg.Tensor) -> tuple[Any, ...]:
        (X,) = ctx.saved_tensors
        P_minus_Y = ctx.P.copy()
        P_minus_Y[np.arange(len(ctx.y)), ctx.y] -= 1.0  # P − Y, Y one-hot
        grad_W = g * tg.Tensor(P_minus_Y.T) @ X / len(ctx.y)  # (P − Y)ᵀ X / n, times g
        return grad_W, None, None  # no gradient for the data X or the labels y


def main(argv: list[str] | None = None) -> None:
    args = parse_args(__doc__, argv)
    X, y = load_digits()
    n = 64 if args.quick else 512
    X = standardize(X[:n].astype(np.float64))[0]
    X = np.hstack([X, np.ones((n, 1))])  # a constant feature: the bias as a column of W
    y = y[:n]
    C, d = 10, X.shape[1]
    rng = np.random.default_rng(0)
    W = tg.Tensor(rng.normal(0, 0.1, (C, d)), requires_grad=True)
    tX = tg.Tensor(X)

    # 1. The hand-written backward against finite differences (all C·d weights, in float64).
    few = tg.Tensor(X[:8])
    assert tg.gradcheck(lambda w: MulticlassLogistic.apply(w, few, y[:8]), (W,))
    print(f"gradcheck: (P - Y)^T X / n matches the central difference on all {C * d} weights")

    # 2. The same gradient as autograd through the composed ops.
    ours = MulticlassLogistic.apply(W, tX, y)
    ours.backward()
    assert W.grad is not None
    mine = W.grad.numpy().copy()
    W.grad = None
    composed = F.cross_entropy(tX @ W.T, y)
    composed.backward()
    assert W.grad is not None
    print(f"loss: custom op {ours.item():.6f}, composed ops {composed.item():.6f}")
    diff = np.abs(mine - W.grad.numpy()).max()
    print(f"max |custom gradient - composed gradient| = {diff:.2e}")
    if diff > 1e-12:
        raise SystemExit("the hand-written gradient disagrees with autograd's")

    # 3. A few SGD steps with the custom op: the loss falls.
    lr, losses = 0.5, []
    for _ in range(5 if args.quick else 50):
        W.grad = None
        loss = MulticlassLogistic.apply(W, tX, y)
        loss.backward()
        with tg.no_grad():
            W -= lr * W.grad
        losses.append(loss.item())
    print(f"SGD with the custom op: loss {losses[0]:.3f} -> {losses[-1]:.3f}")

    # 4. The backward graphs: one node for the custom op, three for the composition.
    for name, out in (
        ("custom_op_graph", MulticlassLogistic.apply(W, tX, y)),
        ("composed_graph", F.cross_entropy(tX @ W.T, y)),
    ):
        graph = draw_backward(out, names={"W": W})
        nodes = graph.source.count("Backward")
        print(f"{name}: {nodes} backward node(s)")
        if dot_available():
            path = graph.render(args.out / name, format="svg", cleanup=True)
            print(f"wrote {path}")


if __name__ == "__main__":
    main()
