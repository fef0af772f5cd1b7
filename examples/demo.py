"""``make demo``: train the digits MLP in seconds, then draw it and the backward pass it ran.

1. Trains the 64-128-10 ReLU network of ``digits_mlp.py`` with minibatch SGD (η = 0.1, batch 32)
   and prints the test accuracy; writes the loss/accuracy curves and a sheet of test digits with
   their predicted labels.
2. If ``tinygrad_ed.viz`` is available, records one batch's loss
   L = (1/B) Σᵢ (ln Σₖ e^{fᵢₖ} − f_{i,yᵢ}) and draws its forward graph (the ops from the pixels to
   L) and its backward graph (the ``grad_fn`` vertices in the order the dynamic program visits
   them: every consumer before what it consumes, each adjoint computed once). Without Graphviz's
   ``dot`` program the graphs are written as ``.dot`` source instead.
3. Writes the backprop explorer, a self-contained web page that steps through that backward
   pass one vertex at a time.

Run: ``python examples/demo.py [--quick] [--out DIR]`` (everything goes to ``out/``).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from _common import parse_args, pyplot, save
from digits_mlp import Config, Digits, load_data, plot_curves, train

import tinygrad_ed as tg
from tinygrad_ed import nn
from tinygrad_ed.data import load_digits, train_test_split

SEED = 0


def prediction_sheet(plt: Any, model: nn.Module, data: Digits, out: Path) -> Path:
    """The first 40 test images (raw pixels) with the predicted digit; mistakes in red."""
    n = 40
    X, y = load_digits()
    _, raw_test, _, _ = train_test_split(X, y, seed=SEED, stratify=True)  # the same split
    with tg.no_grad():
        pred = model(tg.tensor(data.X_test[:n])).numpy().argmax(axis=1)
    fig, axes = plt.subplots(4, 10, figsize=(8, 3.6))
    for i, ax in enumerate(axes.ravel()):
        ax.imshow(raw_test[i].reshape(8, 8), cmap="gray_r", vmin=0, vmax=16)
        ok = pred[i] == data.y_test[i]
        ax.set_title(
            f"{pred[i]}" if ok else f"{pred[i]} (not {data.y_test[i]})",
            color="k" if ok else "r",
            fontsize=9,
        )
        ax.axis("off")
    return save(fig, out, "digits_predictions.png")


def graphs(model: nn.Module, data: Digits, out: Path) -> list[Path]:
    """Forward and backward graphs and the explorer page for one batch of 8 training images."""
    try:
        from tinygrad_ed import viz
    except ImportError as e:
        print(f"note: tinygrad_ed.viz is not available ({e}); skipping the graphs")
        return []
    xb, yb = tg.tensor(data.X_train[:8]), tg.tensor(data.y_train[:8])
    loss = nn.CrossEntropyLoss()(model(xb), yb)
    written: list[Path] = []
    for name, draw in (("forward", viz.draw_forward), ("backward", viz.draw_backward)):
        graph = draw(loss, model=model, run_backward=True)
        try:
            written.append(viz.save(graph, out / f"digits_{name}.svg"))
        except viz.GraphvizNotFoundError:
            print(f"note: Graphviz's dot is not installed; writing the {name} graph as .dot source")
            written.append(viz.save(graph, out / f"digits_{name}.dot"))
    written.append(viz.explore(loss, out / "backprop_explorer.html", model=model))
    return written


def main() -> None:
    args = parse_args(__doc__)
    start = time.perf_counter()
    cfg = Config(epochs=3 if args.quick else 30, seed=SEED)
    print(f"training the digits MLP 64-{cfg.hidden}-10 ({cfg.epochs} epochs of SGD, lr {cfg.lr})")
    data = load_data(cfg.seed)
    result = train(cfg, data)
    print(f"test accuracy: {result.test_acc[-1]:.4f} after {result.seconds:.1f} s of training")
    plt = pyplot()
    if plt is not None:
        plot_curves(plt, result, args.out)
        prediction_sheet(plt, result.model, data, args.out)
    for path in graphs(result.model, data, args.out):
        print(f"wrote {path}")
    print(f"demo finished in {time.perf_counter() - start:.1f} s; outputs are in {args.out}/")


if __name__ == "__main__":
    main()
