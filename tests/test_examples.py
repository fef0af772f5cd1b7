"""Every example script runs in quick mode and prints what it promises.

Each ``examples/*.py`` (except helpers starting with ``_``) runs as
``python examples/X.py --quick --out <tmp>`` in a subprocess; it must exit with 0, print its key
lines, and (when matplotlib is installed) write its pictures.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCRIPTS = sorted(p for p in EXAMPLES.glob("*.py") if not p.name.startswith("_"))
HAS_MPL = importlib.util.find_spec("matplotlib") is not None

# What each script must print (substrings of stdout) and which pictures it writes. A script
# missing here is still run and must still exit with 0.
EXPECTED: dict[str, tuple[list[str], list[str]]] = {
    "softmax_regression": (
        ["gradient check: max", "test accuracy (deterministic", "test accuracy (randomized"],
        ["softmax_regression.png"],
    ),
    "digits_mlp": (["test accuracy:", "train accuracy:"], ["digits_mlp.png"]),
    "digits_cnn": (
        ["Conv2d(1, 8, kernel_size=(3, 3)", "test accuracy:"],
        ["digits_cnn_filters.png"],
    ),
    "playground": (
        [f"{name}:" for name in ("circles", "xor", "gaussians", "spiral", "moons")]
        + ["test accuracy"],
        ["playground.png", "playground_spiral.png"],
    ),
    "decision_regions": (["boundary 1|2", "class"], ["decision_regions.png"]),
    "universal_approximation": (["test MSE", "the error fell"], ["universal_approximation.png"]),
    "backprop_vs_numerical": (["backprop (s)", "numerical (s)"], ["backprop_vs_numerical.png"]),
    "custom_op": (
        ["gradcheck: (P - Y)^T X / n matches", "max |custom gradient - composed", "SGD with"],
        [],
    ),
    "demo": (["test accuracy:", "demo finished"], ["digits_mlp.png", "digits_predictions.png"]),
    "rnn_sequence": (["test MSE", "the loss fell"], ["rnn_sequence.png"]),
    "multiclass_reductions": (
        ["one-vs-rest", "one-vs-one", "output code (dense)", "tree (balanced)"],
        ["multiclass_regions.png"],
    ),
}


def test_expected_examples_exist() -> None:
    """Every example has its expectations listed, and every listed script exists."""
    assert set(EXPECTED) == {p.stem for p in SCRIPTS}


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_example_runs_quick(script: Path, tmp_path: Path) -> None:
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0"}
    proc = subprocess.run(
        [sys.executable, str(script), "--quick", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env=env,
    )
    assert proc.returncode == 0, f"{script.name} failed:\n{proc.stdout}\n{proc.stderr}"
    lines, pictures = EXPECTED.get(script.stem, ([], []))
    for line in lines:
        assert line in proc.stdout, f"{script.name} did not print {line!r}:\n{proc.stdout}"
    if HAS_MPL:
        for name in pictures:
            assert (tmp_path / name).is_file(), f"{script.name} did not write {name}"


def test_docstrings_state_the_idea() -> None:
    """Each example opens with a docstring (the lecture idea and its math) and has a quick mode."""
    for script in SCRIPTS:
        text = script.read_text(encoding="utf-8")
        assert text.startswith('"""'), f"{script.name} has no module docstring"
        assert "--quick" in text, f"{script.name} does not mention --quick"
