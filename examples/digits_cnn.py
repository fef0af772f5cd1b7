"""A small convolutional network on the 8×8 digits: Conv2d → ReLU → MaxPool2d → Linear.

Each of 8 filters w_o (3×3) slides over the zero-padded image x (1×8×8),

    z[o, i, j] = b_o + Σ_{p,q} w_o[p, q] · x[i + p − 1, j + q − 1],     h = maxpool₂(relu(z)),

the 2×2 max pool keeps the strongest response of each 2×2 block (8×4×4 = 128 features), and a
linear layer scores the 10 classes, trained on the cross-entropy with Adam. Backprop through the
convolution is the product rule of its im2col form: w̄_o = Σ_{i,j} z̄[o, i, j] · (the 3×3 patch
under (i, j)), and the pool sends each block's adjoint to its maximum only.

With a fixed seed the full run reaches > 95% test accuracy (1,347 training and 450 test images,
the same split as ``digits_mlp.py``) and draws the learned filters.

Run: ``python examples/digits_cnn.py [--quick] [--epochs N] [--out DIR]``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import numpy as np
from _common import parse_args, pyplot, save
from digits_mlp import load_data
from numpy.typing import NDArray

import tinygrad_ed as tg
from tinygrad_ed import nn, optim
from tinygrad_ed.data import DataLoader, TensorDataset

TARGET = 0.95


def make_model(seed: int = 0) -> nn.Sequential:
    """(N, 1, 8, 8) → 8 feature maps 8×8 → pooled 4×4 → 10 scores."""
    tg.manual_seed(seed)
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(8 * 4 * 4, 10),
    )


def images(X: NDArray[np.float32]) -> NDArray[np.float32]:
    """Rows of 64 standardized pixels as (N, 1, 8, 8) images."""
    return X.reshape(-1, 1, 8, 8)


def accuracy(model: nn.Module, X: NDArray[np.float32], y: NDArray[np.int64]) -> float:
    with tg.no_grad():
        logits = model(tg.tensor(images(X)))
    return float((logits.numpy().argmax(axis=1) == y).mean())


def plot_filters(plt: Any, model: nn.Sequential, out: Path) -> Path:
    """The 8 learned 3×3 filters, one panel each."""
    w = model[0].weight.detach().numpy()[:, 0]
    fig, axes = plt.subplots(1, len(w), figsize=(1.3 * len(w), 1.6))
    for k, ax in enumerate(axes):
        ax.imshow(w[k], cmap="RdBu_r", vmin=-abs(w).max(), vmax=abs(w).max())
        ax.set_title(f"filter {k}", fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
    return save(fig, out, "digits_cnn_filters.png")


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--epochs", type=int, default=None, help="override the number of epochs")


def main() -> None:
    args = parse_args(__doc__, extra=_options)
    epochs = args.epochs or (3 if args.quick else 15)
    seed, lr, batch_size = 0, 1e-2, 32
    data = load_data(seed)
    model = make_model(seed)
    print(model)
    opt = optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    loader = DataLoader(
        TensorDataset(images(data.X_train), data.y_train),
        batch_size=batch_size,
        shuffle=True,
        seed=seed,
    )
    print(f"Adam lr {lr}, batch {batch_size}, {epochs} epochs, seed {seed}")
    start = time.perf_counter()
    test_acc = 0.0
    for epoch in range(1, epochs + 1):
        model.train()
        total, seen = 0.0, 0
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(yb)
            seen += len(yb)
        model.eval()
        test_acc = accuracy(model, data.X_test, data.y_test)
        print(f"epoch {epoch:2d}  loss {total / seen:.4f}  test accuracy {test_acc:.4f}")
    seconds = time.perf_counter() - start
    print(f"train accuracy: {accuracy(model, data.X_train, data.y_train):.4f}")
    print(f"test accuracy: {test_acc:.4f}")
    print(f"training time: {seconds:.2f} s ({seconds / epochs:.3f} s/epoch)")
    if not args.quick and args.epochs is None and test_acc < TARGET:
        raise SystemExit(f"expected more than {TARGET:.0%} test accuracy")
    plt = pyplot()
    if plt is not None:
        plot_filters(plt, model, args.out)


if __name__ == "__main__":
    main()
