"""The README's examples print what their comments say (test_readme.py only runs them)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import numpy as np
import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def block(start: str) -> str:
    """The README's code block (```python or ```py) whose code begins with ``start``."""
    blocks = re.findall(r"```py(?:thon)?\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    found = [b for b in blocks if b.startswith(start)]
    assert len(found) == 1, f"README: {len(found)} blocks begin with {start!r}"
    return found[0]


def run(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, dict[str, object]]:
    monkeypatch.chdir(tmp_path)  # blocks may write files
    namespace: dict[str, object] = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile("import tinygrad_ed as tg\n" + code, "README block", "exec"), namespace)
    return out.getvalue(), namespace


def test_fifteen_lines_prints_the_loss_and_grad_fn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = block(
        "import tinygrad_ed as tg\nimport tinygrad_ed.functional as F\n\ntg.manual_seed(0)"
    )
    assert "# 4.2834… <CrossEntropyBackward>" in code
    printed, ns = run(code, tmp_path, monkeypatch)
    first = printed.splitlines()[0].split()
    assert first[0].startswith("4.2834") and first[1] == "<CrossEntropyBackward>"
    W, p, x, y = ns["W"], ns["p"], ns["x"], ns["y"]
    expected = (p.numpy() - np.eye(3)[y])[:, None] * x.numpy()  # type: ignore[attr-defined]
    assert np.allclose(W.grad.numpy(), expected, atol=1e-6)  # type: ignore[attr-defined]


def test_scatter_reduce_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = block("x = tg.tensor([1.0, 2.0, 4.0], requires_grad=True)\nsrc")
    _, ns = run(code, tmp_path, monkeypatch)
    assert ns["out"].tolist() == [5.0, 2.0, 4.0]  # type: ignore[attr-defined]
    assert ns["x"].grad.tolist() == [0.0, 1.0, 0.5]  # type: ignore[attr-defined]
    assert ns["src"].grad.tolist() == [1.0, 0.0, 0.5]  # type: ignore[attr-defined]


def test_gammaln_example_is_digamma(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    torch = pytest.importorskip("torch")
    code = block("import tinygrad_ed as tg\n\nx = tg.tensor([0.5, 2.0, 7.5]")
    _, ns = run(code, tmp_path, monkeypatch)
    expected = torch.special.digamma(torch.tensor([0.5, 2.0, 7.5], dtype=torch.float64))
    assert np.allclose(ns["x"].grad.numpy(), expected.numpy(), rtol=1e-12)  # type: ignore[attr-defined]


def test_digits_example_reaches_the_printed_accuracy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = block(
        "import tinygrad_ed as tg\nfrom tinygrad_ed import nn, optim\nfrom tinygrad_ed.data"
    )
    said = re.search(r'print\(f"test accuracy \{accuracy:\.3f\}"\)\s+# (0\.\d{3})', code)
    assert said, "the digits block lost its printed accuracy"
    printed, _ = run(code, tmp_path, monkeypatch)
    assert f"test accuracy {said.group(1)}" in printed


def test_tanh_entry_is_the_registered_one() -> None:
    from tinygrad_ed.ops import OPS

    code = block('register(\n    OpDef(\n        "tanh"')
    op = OPS["tanh"]
    assert op.math in code and f'"{op.kind}"' in code
    assert 'reads=(("out",),)' in code and op.reads == (("out",),)
