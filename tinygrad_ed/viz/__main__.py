"""Command line: ``python -m tinygrad_ed.viz [graphs|explore] ...``.

* ``graphs`` (the default): draw the forward and backward graphs of the bundled example model (a
  2-layer MLP on one batch of digits, ``tinygrad_ed.viz.example``) into ``--out`` (default
  ``out/viz``) as ``forward_graph.<format>`` and ``backward_graph.<format>``, with the DOT
  sources next to them. Gradients are computed by a separate backward pass (``run_backward``), so
  every tensor shows its adjoint.
* ``explore``: the in-browser backprop explorer (``tinygrad_ed.viz.explorer``); the remaining
  arguments are passed on to it unchanged.

Exit status: 0 on success, 1 if the pictures could not be rendered (the ``.dot`` files are still
written, and the message says how to install Graphviz).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ._cli import non_negative_float, positive_int
from .graph import FORMATS, GraphvizNotFoundError, draw_backward, draw_forward, save


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tinygrad_ed.viz",
        description="Draw the forward and backward graphs of a small model, or explore backprop.",
    )
    sub = parser.add_subparsers(dest="command", metavar="{graphs,explore}")
    graphs = sub.add_parser("graphs", help="render the example model's graphs (the default)")
    graphs.add_argument("--out", type=Path, default=Path("out/viz"), help="output folder")
    graphs.add_argument("--format", choices=FORMATS, default="svg", help="image format")
    graphs.add_argument(
        "--batch", type=positive_int, default=4, help="digits in the batch (default 4)"
    )
    graphs.add_argument("--hidden", type=positive_int, default=16, help="hidden units (default 16)")
    graphs.add_argument(
        "--weight-decay",
        type=non_negative_float,
        default=1e-3,
        help="L2 penalty λ, 0 for none (default 1e-3)",
    )
    graphs.add_argument("--collapse", action="store_true", help="draw each layer as one vertex")
    sub.add_parser("explore", help="the in-browser backprop explorer (arguments passed on)")
    return parser


def graphs(
    out: Path, fmt: str, *, batch: int, hidden: int, weight_decay: float, collapse: bool
) -> list[Path]:
    """Write the example's forward and backward graphs (and their DOT sources) into ``out``."""
    from .example import example_loss

    loss, model, names = example_loss(batch=batch, hidden=hidden, weight_decay=weight_decay)
    depth = 1 if collapse else None
    drawings = {
        "forward_graph": draw_forward(
            loss, model=model, names=names, run_backward=True, collapse_depth=depth
        ),
        "backward_graph": draw_backward(
            loss, model=model, names=names, run_backward=True, collapse_depth=depth
        ),
    }
    written = []
    for stem, graph in drawings.items():
        written.append(save(graph, out / f"{stem}.dot"))
    if fmt != "dot":
        for stem, graph in drawings.items():
            written.append(save(graph, out / f"{stem}.{fmt}", fmt))
    return written


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "explore":
        # Imported only here: the explorer is optional for everything else in viz.
        from .explorer import main as explore_main  # type: ignore[import-not-found]

        return int(explore_main(args[1:]) or 0)
    if not args or args[0] not in ("graphs", "-h", "--help"):
        args.insert(0, "graphs")
    ns = _parser().parse_args(args)
    try:
        written = graphs(
            ns.out,
            ns.format,
            batch=ns.batch,
            hidden=ns.hidden,
            weight_decay=ns.weight_decay,
            collapse=ns.collapse,
        )
    except GraphvizNotFoundError as e:
        print(f"wrote the .dot sources to {ns.out}, but could not render: {e}", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
