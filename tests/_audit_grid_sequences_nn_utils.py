# ruff: noqa: E501
"""Bad-input and edge-case audit of grid_sample/affine_grid, the fractional max pools,
interpolate(antialias=True), packed sequences and the recurrent layers on them, ctc_loss,
embedding_bag, AdaptiveLogSoftmaxWithLoss, the Lazy modules, nn.Buffer/UninitializedParameter
and nn.utils (flat vectors, total norms, fusion, skip_init, functional_call, weight/spectral
norm and parametrize), against torch 2.13.

Run by hand (not collected by pytest; needs torch):

    python tests/_audit_grid_sequences_nn_utils.py [-v] [--only SUBSTRING] [--json PATH]

Same machinery as ``tests/_audit_methods_layers.py`` (its ``Lib``, ``run``, ``classify`` and
``calls``, through its ``audit_main``). Extra template names: ``u(*shape)`` a seeded tensor uniform
in [0, 1) without grad (the fractional pools' ``_random_samples``, so both libraries draw the same
windows), ``rnn`` is ``nn.utils.rnn``, ``SHAPE(x)`` an output's shape only (for the Lazy modules,
skip_init and anything else whose values come from each library's own random init), ``STEP`` runs a
module with parameters seeded by ``M`` through forward, backward and returns its parameters'
gradients.

On 2026-11-27 (main at 5e106ea): 2252 calls. Before the fixes: both-raise 1064, equal 693,
both-raise (kind) 332, torch-raises 86, differ 43, ours-raises 30, leak 4 (5 of the differ and
a few both-raise (kind) were the template's own, since mended: a module or a torch dtype object
among the outputs). After: both-raise 1084, equal 704, both-raise (kind) 314, torch-raises 84,
differ 36, ours-raises 30, leak 0, odd 0; after the int32-lengths fix, equal 706, differ
35, ours-raises 29. Fixed (tests/test_bad_input_grid_sequences_nn_utils.py): a
PackedSequence built with sorted_indices but no unsorted_indices (torch infers the inverse;
ours returned the sorted order, a silent wrong value); batch_sizes that grow or hold a 0 or a
negative (numpy's IndexError; torch crashes on the latter) or are not a Tensor
(AttributeError), in pad_packed_sequence and the recurrent layers; parametrize's
is_parametrized/type_before_parametrizations of a non-Module (AttributeError; torch answers
False / its type); clip_grads_with_norm_ with a float32 total_norm (torch computes the factor
in float32); grid_sample's mixed dtypes a RuntimeError as torch's (was TypeError);
pack_padded_sequence's lengths of any integer dtype (int32 was refused). Valid
mixes (values and float64 gradients to 1e-9) are equal for grid_sample/affine_grid in all
modes, the fractional pools given _random_samples, antialias, packed RNN/LSTM/GRU (incl.
proj_size, bidirectional, 2 layers), embedding_bag, AdaptiveLogSoftmaxWithLoss, fusion,
functional_call, weight_norm and spectral_norm (60 power iterations), but for the
deliberate divergences below. What remains:

* differ (35): the fractional pools without _random_samples (5 or 6: each library draws its
  own windows) and with kernel_size 0 or -1 (5: refused here in the forward, by torch in
  backward); pack_padded_sequence of lengths that do not fit the input (3: same, forward
  here); interpolate(antialias=True) to an output width of 1 (3: torch's kernel repeats its
  first row, documented in interpolate's docstring); ctc_loss's gradient (12): raw scores
  (not log-probabilities, torch's kernel assumes them; documented), infinite losses (0 here,
  nan in torch; documented), -inf log-probabilities (the limit here, nan in torch) and
  targets holding the blank (torch's gradient is not the derivative of its loss: 0.086 off
  finite differences); LazyConv2d/3d of an input with 0 channels (2: torch gives 0 output
  channels, ours out_channels); vector_to_parameters keeps each parameter's dtype (5: torch's
  param.data assignment takes vec's dtype; documented).
* ours-raises (29): bools and floats refused as lengths,
  max_norm, norm_type and padding_value (9; torch truncates float lengths); lengths shorter
  than the batch in pack_padded_sequence and the recurrent layers (6: torch's index_select
  silently drops the rest); ctc_loss's negative or float targets (torch reads them);
  embedding_bag's decreasing offsets and bool indices; vector_to_parameters with extra
  elements (torch ignores them, documented) or no parameters, and a bare Tensor for
  parameters (torch iterates its rows; also parameters_to_vector); FractionalMaxPool2d(0)
  refused at construction; skip_init with device='meta'; LazyInstanceNorm with a float64
  input and float32 running stats (instance_norm's mixed dtype rule, outside this audit's
  API); reading an uninitialized parameter's .data.
* torch-raises (84): torch's LazyLinear/AdaptiveLogSoftmax templates given float64 input to
  float32 parameters; torch's own failures (fractional pools' output_ratio as one float,
  a 1-tuple kernel_size; LazyInstanceNorm of unbatched input; spectral_norm(dim=-1); the
  int/None for bools its C++ signatures refuse; get_total_norm('fro'); Buffer of a list or a
  float, taken here; the embedding_bag with empty offsets that crashes torch's process).
* both-raise (kind) (314): the order of checks when several arguments are bad, and torch's
  AttributeError/AssertionError from Python internals where ours is a TypeError or
  ValueError naming the op.
"""

from __future__ import annotations

import os
import pickle
import sys
from typing import Any

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))

from _audit_methods_layers import Lib, Result, audit_main, case, run, tensors_like

_env = Lib.env


def env(self: Lib) -> dict[str, Any]:
    e = _env(self)

    def u(*shape: int, dtype: str = "f64") -> Any:
        a = self.rng.random(shape)
        if dtype == "f32":
            a = a.astype(np.float32)
        return self.tensor(a, False)

    def SHAPE(x: Any) -> Any:
        return tuple(x.shape)

    def GRADS(m: Any, *args: Any) -> Any:
        out = m(*args)
        out = out[0] if isinstance(out, tuple) else out
        (out * out).sum().backward()
        return [p.grad for _, p in m.named_parameters()]

    e["u"] = u
    e["SHAPE"] = SHAPE
    e["GRADS"] = GRADS
    e["rnn"] = self.T.nn.utils.rnn
    e["I32"] = torch.int32 if self.is_torch else np.dtype(np.int32)
    return e


Lib.env = env  # type: ignore[method-assign]


def run_isolated(lib: Lib, expr: str, seed: int) -> Result:
    """``run`` in a forked child: some bad inputs crash torch's process (a segfault for
    embedding_bag with empty offsets, malloc errors for batch_sizes holding a 0), which is
    recorded as torch raising a ``RuntimeError('crashed: ...')``."""
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(rfd)
        r = run(lib, expr, seed, backward=True)
        if r.error is not None:
            try:
                pickle.dumps(r.error)
            except Exception:
                r.error = RuntimeError(f"{type(r.error).__name__}: {r.error}")
        try:
            data = pickle.dumps(r)
        except Exception as e:
            bad = Result()
            bad.error, bad.stage = RuntimeError(f"unpicklable result: {e}"), "forward"
            data = pickle.dumps(bad)
        with os.fdopen(wfd, "wb") as f:
            f.write(data)
        os._exit(0)
    os.close(wfd)
    with os.fdopen(rfd, "rb") as f:
        data = f.read()
    _, status = os.waitpid(pid, 0)
    if not data:
        r = Result()
        r.error, r.stage = RuntimeError(f"crashed: wait status {status}"), "forward"
        return r
    out: Result = pickle.loads(data)
    return out


BOOLS = ["False", "True", "None", "1", "'a'"]


def grid_cases() -> list[tuple[str, dict[str, list[str]]]]:
    C: list[tuple[str, dict[str, list[str]]]] = []
    modes = ["'bilinear'", "'nearest'", "'bicubic'", "'a'", "None", "'linear'", "1"]
    pads = ["'zeros'", "'border'", "'reflection'", "'a'", "None", "'ZEROS'"]
    C.append(
        case(
            "F.grid_sample({x}, {g}, mode={m}, padding_mode={p}, align_corners={ac})",
            x=tensors_like(
                "t(1, 2, 4, 5)",
                "t(2, 4, 5)",
                "t(1, 0, 4, 5)",
                "t(0, 2, 4, 5)",
                "t(1, 2, 0, 5)",
                "t(2, 2, 4, 5)",
                "t(1, 2, 1, 1)",
                "t(1, 2, 3, 4, 5)",
            ),
            g=tensors_like(
                "t(1, 3, 3, 2)",
                "t(1, 3, 3, 3)",
                "t(1, 3, 2)",
                "t(2, 3, 3, 2)",
                "t(1, 0, 3, 2)",
                "3 * t(1, 3, 3, 2)",
                "v([[[[nan, 0.5], [inf, -inf]]]], grad=True)",
                "v([[[[1e30, -1e30], [0.5, 1e10]]]], grad=True)",
                "t(1, 2, 3, 4, 3)",
                "v([[[[1.0, -1.0], [-1.0, 1.0], [0.0, 0.0]]]], grad=True)",
            ),
            m=modes,
            p=pads,
            ac=["None", "True", "False", "1", "'a'"],
        )
    )
    C.append(
        case(
            "F.grid_sample({x}, {g}, mode={m}, padding_mode={p}, align_corners={ac})",
            x=[
                "t(1, 2, 3, 4, 5)",
                "t(1, 2, 3, 4, 5, dtype='f32')",
                "t(2, 1, 2, 2, 2)",
                "t(1, 2, 4, 5)",
            ],
            g=[
                "t(1, 2, 3, 2, 3)",
                "3 * t(1, 2, 3, 2, 3)",
                "t(1, 2, 3, 2, 2)",
                "t(2, 2, 3, 2, 3)",
                "t(1, 2, 3, 2, 3, dtype='f32')",
            ],
            m=["'bilinear'", "'nearest'", "'bicubic'"],
            p=["'zeros'", "'border'", "'reflection'"],
            ac=["None", "True", "False"],
        )
    )
    C.append(
        case(
            "F.grid_sample({x}, {g}, mode={m}, padding_mode={p}, align_corners={ac})",
            x=[
                "t(1, 2, 4, 5, dtype='f32')",
                "t(1, 1, 2, 2)",
                "v(np.round(arr(1, 2, 4, 5)), grad=True)",
            ],
            g=[
                "t(1, 3, 3, 2, dtype='f32')",
                "2 * t(1, 4, 2, 2)",
                "v(np.round(arr(1, 3, 3, 2) * 2) / 2, grad=True)",
                "t(1, 3, 3, 2).transpose(1, 2)",
            ],
            m=["'bilinear'", "'nearest'", "'bicubic'"],
            p=["'zeros'", "'border'", "'reflection'"],
            ac=["None", "True", "False"],
        )
    )
    C.append(
        case(
            "F.affine_grid({th}, {size}, align_corners={ac})",
            th=tensors_like(
                "t(1, 2, 3)", "t(2, 2, 3)", "t(1, 3, 4)", "t(1, 3, 3)", "t(2, 3)", "t(0, 2, 3)"
            ),
            size=[
                "(1, 2, 4, 5)",
                "[1, 2, 4, 5]",
                "(2, 2, 4, 5)",
                "(1, 2, 4)",
                "(1, 2, 3, 4, 5)",
                "(1, 2, 1, 1)",
                "(1, 2, 0, 5)",
                "(1, 2, -1, 5)",
                "(1, 2, 4.0, 5)",
                "'a'",
                "None",
                "(1, 0, 4, 5)",
                "(1, 2, 4, 5, 6, 7)",
            ],
            ac=["None", "True", "False", "1", "'a'"],
        )
    )
    C.append(
        case(
            "F.affine_grid({th}, {size}, align_corners={ac})",
            th=["t(1, 3, 4)", "t(2, 3, 4, dtype='f32')", "t(1, 2, 3)"],
            size=["(1, 2, 3, 4, 5)", "(2, 1, 2, 2, 2)", "(1, 1, 1, 1, 1)", "(1, 2, 4, 5)"],
            ac=["None", "True", "False"],
        )
    )
    C.append(
        case(
            "F.grid_sample({x}, F.affine_grid({th}, {size}, align_corners={ac}), align_corners={ac})",
            x=["t(1, 2, 4, 5)", "t(2, 1, 3, 3)"],
            th=["t(1, 2, 3)", "t(2, 2, 3)"],
            size=["(1, 2, 4, 5)", "(2, 1, 3, 3)", "(1, 2, 6, 2)"],
            ac=["False", "True"],
        )
    )
    return C


def fractional_cases() -> list[tuple[str, dict[str, list[str]]]]:
    C: list[tuple[str, dict[str, list[str]]]] = []
    for dim, x, smp in [(2, "t(1, 2, 7, 8)", "u(1, 2, 2)"), (3, "t(1, 2, 5, 6, 7)", "u(1, 2, 3)")]:
        n_c = x.count(",")
        xs = tensors_like(
            x,
            x.replace("t(1, ", "t("),
            x.replace("t(1, 2", "t(1, 0"),
            x.replace("t(1, ", "t(0, "),
            x.replace("t(1, 2, ", "t(1, 2, 0, "),
            "v(np.round(arr(1, 2, 7, 8)), grad=True)"
            if dim == 2
            else "v(np.round(arr(1, 2, 5, 6, 7)), grad=True)",
            "t(1, 2, 3, 4, 5, 6)",
        )
        del n_c
        tup2 = "(2, 3)" if dim == 2 else "(2, 3, 2)"
        C.append(
            case(
                f"F.fractional_max_pool{dim}d({{x}}, {{k}}, output_size={{os}}, output_ratio={{r}}, return_indices={{ri}}, _random_samples={{smp}})",
                x=xs,
                k=[
                    "2",
                    "3",
                    tup2,
                    "0",
                    "-1",
                    "1",
                    "10",
                    "2.5",
                    "'a'",
                    "None",
                    "True",
                    "(2,)",
                    "[2, 2]" if dim == 2 else "[2, 2, 2]",
                ],
                os=["3", "None", tup2, "0", "-1", "7", "8", "20", "2.5", "'a'", "True", "(3,)"],
                r=[
                    "None",
                    "0.5",
                    "(0.5, 0.6)" if dim == 2 else "(0.5, 0.6, 0.7)",
                    "0",
                    "1",
                    "1.5",
                    "-0.5",
                    "nan",
                    "'a'",
                    "True",
                ],
                ri=["False", "True", "1", "None"],
                smp=[
                    smp,
                    smp.replace("u(1", "u(2"),
                    smp.replace("u(1, 2", "u(1, 3"),
                    "u(1, 2)" if dim == 2 else "u(1, 2, 2)",
                    f"{smp[:-1]}, dtype='f32')",
                    "None",
                    "t(1, 2, 2, grad=False)" if dim == 2 else "t(1, 2, 3, grad=False)",
                    "u(1, 2, 2) * 0 + 1" if dim == 2 else "u(1, 2, 3) * 0 + 1",
                    "idx(1, 2, 2, high=1)" if dim == 2 else "idx(1, 2, 3, high=1)",
                    "[[[0.5, 0.5], [0.5, 0.5]]]",
                    "v([[[nan, 0.5], [0.5, 0.5]]])"
                    if dim == 2
                    else "v([[[nan, 0.5, 0.5], [0.5, 0.5, 0.5]]])",
                ],
            )
        )
        C.append(
            case(
                f"F.fractional_max_pool{dim}d_with_indices({{x}}, {{k}}, output_ratio={{r}}, _random_samples={{smp}})",
                x=[x, f"{x[:-1]}, dtype='f32')", x.replace("t(1, ", "t(")],
                k=["2", "1", "3"],
                r=["0.5", "0.7", "0.9"],
                smp=[smp, smp.replace("u(1, 2", "u(1, 2").replace(")", ", dtype='f32')")],
            )
        )
        C.append(
            case(
                f"nn.FractionalMaxPool{dim}d({{k}}, output_size={{os}}, output_ratio={{r}}, return_indices={{ri}}, _random_samples={{smp}})({{x}})",
                x=[x, x.replace("t(1, ", "t("), f"{x[:-1]}, dtype='i64')"],
                k=["2", "3", "0"],
                os=["3", "None", "0"],
                r=["None", "0.5", "2.0"],
                ri=["False", "True"],
                smp=[smp, "None"],
            )
        )
        C.append(
            case(
                f"SHAPE(F.fractional_max_pool{dim}d({x}, 2, output_ratio={{r}}))",
                r=["0.5", "0.99", "0.01"],
            )
        )
    return C


def antialias_cases() -> list[tuple[str, dict[str, list[str]]]]:
    C: list[tuple[str, dict[str, list[str]]]] = []
    C.append(
        case(
            "F.interpolate({x}, size={size}, scale_factor={sf}, mode={m}, align_corners={ac}, antialias=True)",
            x=tensors_like(
                "t(1, 2, 6, 8)",
                "t(2, 6, 8)",
                "t(1, 2, 0, 8)",
                "t(0, 2, 6, 8)",
                "t(1, 2, 3, 4, 5)",
                "t(1, 1, 1, 1)",
                "t(2, 2, 5)",
            ),
            size=[
                "(3, 4)",
                "None",
                "(7, 9)",
                "(1, 1)",
                "5",
                "(6, 8)",
                "(2, 11)",
                "(12, 3)",
                "0",
                "(0, 4)",
            ],
            sf=["None", "0.5", "(0.3, 1.7)", "2", "0.1"],
            m=["'bilinear'", "'bicubic'", "'nearest'", "'area'", "'linear'", "'trilinear'"],
            ac=["None", "False", "True"],
        )
    )
    C.append(
        case(
            "F.interpolate({x}, scale_factor={sf}, mode={m}, align_corners={ac}, recompute_scale_factor={rc}, antialias=True)",
            x=[
                "t(1, 2, 6, 8)",
                "v(np.where(arr(1, 2, 6, 8) > 1, nan, arr(1, 2, 6, 8)), grad=True)",
                "t(1, 2, 6, 8, dtype='f32')",
                "v(np.round(arr(1, 1, 9, 4) * 3), grad=True)",
            ],
            sf=["0.5", "0.3", "(0.25, 0.75)", "1.5", "0.7"],
            m=["'bilinear'", "'bicubic'"],
            ac=["None", "True", "False"],
            rc=["None", "True", "False"],
        )
    )
    return C


def packed_cases() -> list[tuple[str, dict[str, list[str]]]]:
    C: list[tuple[str, dict[str, list[str]]]] = []
    C.append(
        case(
            "rnn.pack_padded_sequence({x}, {ln}, batch_first={bf}, enforce_sorted={es})",
            x=tensors_like(
                "t(5, 3, 2)", "t(5, 3)", "t(3, 5, 2)", "t(0, 3, 2)", "t(5, 0, 2)", "t(5, 3, 2, 4)"
            ),
            ln=[
                "[5, 3, 2]",
                "[3, 5, 2]",
                "v([5, 3, 2], 'i64')",
                "v([5, 3, 2])",
                "[6, 3, 2]",
                "[5, 3, 0]",
                "[5, 3, -1]",
                "[5, 3]",
                "[5, 3, 2, 1]",
                "[5.0, 3, 2]",
                "[5, 3.5, 2]",
                "'a'",
                "None",
                "[[5, 3, 2]]",
                "v([5, 3, 2], 'i64').to(I32)",
                "(5, 3, 2)",
                "[True, 1, 1]",
                "v([5, 3, 2], 'i64', grad=False)[None]",
                "[5, 5, 5]",
                "[1, 1, 1]",
            ],
            bf=BOOLS,
            es=BOOLS,
        )
    )
    C.append(
        case(
            "rnn.pad_packed_sequence(rnn.pack_padded_sequence({x}, {ln}, enforce_sorted={es}), batch_first={bf}, padding_value={pv}, total_length={tl})",
            x=["t(5, 3, 2)", "t(5, 3)", "t(5, 3, 2, dtype='f32')", "t(5, 3, 2, dtype='i64')"],
            ln=["[5, 3, 2]", "[3, 5, 2]", "[2, 2, 2]", "[1, 4, 1]"],
            es=["False", "True"],
            bf=["False", "True", "1"],
            pv=["0.0", "-1", "nan", "inf", "'a'", "None", "True", "2"],
            tl=["None", "5", "7", "4", "0", "-1", "5.0", "'a'", "True"],
        )
    )
    C.append(
        case(
            "rnn.pad_packed_sequence({p})",
            p=[
                "rnn.PackedSequence(t(6, 2), v([3, 2, 1], 'i64'))",
                "rnn.PackedSequence(t(6, 2), v([3, 2, 2], 'i64'))",
                "rnn.PackedSequence(t(6, 2), v([2, 3, 1], 'i64'))",
                "rnn.PackedSequence(t(6, 2), v([3, 2, 1], 'i64'), v([2, 0, 1], 'i64'), v([1, 2, 0], 'i64'))",
                "rnn.PackedSequence(t(6, 2), v([3, 2, 1], 'i64'), v([2, 0, 1], 'i64'), None)",
                "rnn.PackedSequence(t(6, 2), v([3, 2, 1]))",
                "rnn.PackedSequence(t(6, 2), [3, 2, 1])",
                "rnn.PackedSequence(t(6, 2), None)",
                "rnn.PackedSequence(t(6, 2))",
                "(t(6, 2), v([3, 2, 1], 'i64'))",
                "t(6, 2)",
                "rnn.PackedSequence(t(6), v([3, 2, 1], 'i64'))",
                "rnn.PackedSequence(t(0, 2), v([], 'i64'))",
                # left out, as they crash torch's process (malloc/free errors): batch_sizes
                # holding a 0 or a negative, sorted_indices out of range
                "rnn.PackedSequence(t(6, 2), v([3, 2, 1], 'i64'), v([0, 0, 1], 'i64'), v([1, 2, 0], 'i64'))",
            ],
        )
    )
    C.append(
        case(
            "rnn.pack_sequence({seqs}, enforce_sorted={es})",
            seqs=[
                "[t(3, 2), t(2, 2), t(1, 2)]",
                "[t(1, 2), t(3, 2)]",
                "[t(3), t(2)]",
                "[t(3, 2), t(2, 3)]",
                "[t(3, 2), t(0, 2)]",
                "[]",
                "[t(3, 2)]",
                "t(3, 2)",
                "[t(3, 2), t(2, 2, dtype='f32')]",
                "[t(3, 2), t(2, 2, dtype='i64')]",
                "[t(3, 2), [1.0, 2.0]]",
                "None",
                "[t(), t()]",
                "(t(3, 2), t(2, 2))",
                "[t(3, 2, 4), t(2, 2, 4)]",
            ],
            es=["True", "False", "1", "None"],
        )
    )
    C.append(
        case(
            "rnn.unpack_sequence({p})",
            p=[
                "rnn.pack_sequence([t(3, 2), t(2, 2), t(1, 2)])",
                "rnn.pack_sequence([t(1, 2), t(3, 2), t(2, 2)], enforce_sorted=False)",
                "rnn.pack_sequence([t(2), t(3)], enforce_sorted=False)",
                "t(3, 2)",
                "None",
                "[t(3, 2)]",
                "rnn.PackedSequence(t(6, 2), v([3, 2, 1], 'i64'), v([2, 0, 1], 'i64'), None)",
            ],
        )
    )
    for mod in ["RNN", "LSTM", "GRU"]:
        C.append(
            case(
                f"M(nn.{mod}(2, 3, num_layers={{nl}}, bidirectional={{bi}}, batch_first={{bf}}))(rnn.pack_padded_sequence({{x}}, {{ln}}, batch_first={{bf}}, enforce_sorted=False){{h}})",
                nl=["1", "2"],
                bi=["False", "True"],
                bf=["False", "True"],
                x=[
                    "t(4, 3, 2)",
                    "t(4, 3, 2, dtype='f32')",
                    "t(4, 1, 2)",
                    "t(4, 3, 5)",
                    "t(4, 3, 2, dtype='i64')",
                ],
                ln=["[4, 2, 3]", "[4, 4, 4]", "[1, 1, 1]", "[4, 2]"],
                h=[
                    "",
                    ", t(1, 3, 3)" if mod != "LSTM" else ", (t(1, 3, 3), t(1, 3, 3))",
                    ", t(2, 3, 3)" if mod != "LSTM" else ", (t(2, 3, 3), t(2, 3, 3))",
                    ", t(1, 2, 3)" if mod != "LSTM" else ", (t(1, 2, 3), t(1, 2, 3))",
                    ", None",
                    ", t(1, 3, 3)",
                ],
            )
        )
    C.append(
        case(
            "M(nn.LSTM(2, 3, proj_size={ps}, num_layers={nl}, bidirectional={bi}))(rnn.pack_sequence([t(4, 2), t(2, 2), t(3, 2)], enforce_sorted=False))",
            ps=["2", "1", "0"],
            nl=["1", "2"],
            bi=["False", "True"],
        )
    )
    C.append(
        case(
            "(lambda m, o: rnn.pad_packed_sequence(m(o)[0], batch_first=True))(M(nn.GRU(2, 3, batch_first=True)), rnn.pack_padded_sequence({x}, {ln}, batch_first=True, enforce_sorted=False))",
            x=["t(3, 4, 2)", "t(1, 4, 2)", "t(3, 4, 2, dtype='f32')"],
            ln=["[4, 2, 3]", "[1, 4, 2]", "[4, 4, 4]"],
        )
    )
    return C


def ctc_cases() -> list[tuple[str, dict[str, list[str]]]]:
    C: list[tuple[str, dict[str, list[str]]]] = []
    C.append(
        case(
            "F.ctc_loss({lp}, {tg}, {il}, {tl}, blank={b}, reduction={r}, zero_infinity={z})",
            lp=tensors_like(
                "t(6, 2, 5).log_softmax(2)",
                "t(6, 5).log_softmax(1)",
                "t(6, 2, 5)",
                "t(6, 3, 5).log_softmax(2)",
                "t(0, 2, 5)",
                "t(6, 2, 0)",
                "t(6, 0, 5)",
                "t(6, 2, 5, 1)",
                "t(2, 5).log_softmax(1)",
            ),
            tg=[
                "idx(2, 3, low=1, high=5)",
                "idx(5, low=1, high=5)",
                "idx(2, 3, low=1, high=5).to(I32)",
                "idx(2, 3, low=0, high=5)",
                "idx(2, 3, low=1, high=7)",
                "idx(2, 3, low=-2, high=1)",
                "t(2, 3)",
                "idx(2, 0)",
                "idx(2, 3, 1, low=1, high=5)",
                "idx(3, 3, low=1, high=5)",
                "[[1, 2, 3], [1, 2, 3]]",
                "None",
                "idx(2, 9, low=1, high=5)",
                "v([[1, 1, 1], [2, 2, 2]], 'i64')",
            ],
            il=[
                "[6, 5]",
                "v([6, 5], 'i64')",
                "(6, 5)",
                "[7, 5]",
                "[0, 5]",
                "[-1, 5]",
                "[6]",
                "[6, 5, 4]",
                "[6.0, 5]",
                "v([6.0, 5.0])",
                "6",
                "None",
                "'a'",
                "[2, 5]",
                "v([6, 5], 'i64').to(I32)",
            ],
            tl=[
                "[3, 2]",
                "v([3, 2], 'i64')",
                "[4, 2]",
                "[0, 2]",
                "[-1, 2]",
                "[3]",
                "[3, 2, 1]",
                "[3.0, 2]",
                "[3, 0]",
                "None",
                "[6, 2]",
                "[9, 2]",
                "[5, 1]",
            ],
            b=["0", "4", "5", "-1", "1", "2.0", "'a'", "None", "True"],
            r=["'mean'", "'sum'", "'none'", "'a'", "None", "'MEAN'"],
            z=["False", "True", "1", "None"],
        )
    )
    C.append(
        case(
            "F.ctc_loss({lp}, {tg}, {il}, {tl}, blank={b}, reduction={r}, zero_infinity={z})",
            lp=[
                "t(8, 3, 4).log_softmax(2)",
                "t(8, 3, 4, dtype='f32').log_softmax(2)",
                "t(8, 3, 4)",
                "v(np.where(arr(8, 3, 4) > 1.5, -inf, arr(8, 3, 4)), grad=True).log_softmax(2)",
            ],
            tg=[
                "idx(3, 4, low=1, high=4)",
                "v([[1, 1, 2, 2], [3, 3, 3, 3], [1, 2, 1, 2]], 'i64')",
                "idx(9, low=1, high=4)",
            ],
            il=["[8, 8, 8]", "[8, 5, 3]", "[2, 8, 4]"],
            tl=["[4, 4, 1]", "[2, 3, 4]", "[0, 4, 3]", "[4, 4, 4]"],
            b=["0"],
            r=["'mean'", "'sum'", "'none'"],
            z=["False", "True"],
        )
    )
    C.append(
        case(
            "nn.CTCLoss(blank={b}, reduction={r}, zero_infinity={z})(t(6, 2, 5).log_softmax(2), idx(2, 3, low=1, high=4), [6, 5], [3, 2])",
            b=["0", "4", "-1", "5", "'a'"],
            r=["'mean'", "'sum'", "'none'", "'a'"],
            z=["False", "True"],
        )
    )
    return C


def bag_cases() -> list[tuple[str, dict[str, list[str]]]]:
    C: list[tuple[str, dict[str, list[str]]]] = []
    C.append(
        case(
            "F.embedding_bag({i}, {w}, {o}, mode={m}, per_sample_weights={psw}, include_last_offset={ilo}, padding_idx={pi}, max_norm={mn}, norm_type={nt})",
            i=[
                "idx(6, high=5)",
                "idx(2, 3, high=5)",
                "idx(6, high=5).to(I32)",
                "idx(6, high=7)",
                "idx(6, low=-2, high=5)",
                "t(6)",
                "idx(0)",
                "idx(2, 0)",
                "idx(2, 3, 1, high=5)",
                "idx((), high=5)",
                "[0, 1, 2, 3, 4, 0]",
                "None",
                "v([0, 1, 2, 3, 4, 0], 'bool')",
            ],
            w=tensors_like("t(5, 3)", "t(5)", "t(5, 3, 2)", "t(0, 3)", "t(5, 0)"),
            o=[
                "v([0, 2, 4], 'i64')",
                "None",
                "v([0, 2, 4], 'i64').to(I32)",
                "v([1, 2, 4], 'i64')",
                "v([0, 4, 2], 'i64')",
                "v([0, 2, 7], 'i64')",
                "v([0, 2, -1], 'i64')",
                "v([0, 2, 6], 'i64')",
                "v([], 'i64')",
                "v([0], 'i64')",
                "v([[0, 2, 4]], 'i64')",
                "v([0.0, 2.0, 4.0])",
                "[0, 2, 4]",
                "v([0, 6, 6], 'i64')",
            ],
            m=["'mean'", "'sum'", "'max'", "'a'", "None", "'SUM'"],
            psw=[
                "None",
                "t(6)",
                "t(6, dtype='f32')",
                "t(5)",
                "t(2, 3)",
                "t(6, grad=False)",
                "[1.0] * 6",
                "t(6, dtype='i64')",
            ],
            ilo=["False", "True", "1", "None"],
            pi=["None", "0", "4", "5", "-1", "-5", "-6", "2.0", "'a'", "True"],
            mn=["None", "1.0", "0.0", "-1.0", "nan", "'a'", "True"],
            nt=["2", "1", "inf", "0.5", "-1", "'a'", "None"],
        )
    )
    C.append(
        case(
            "F.embedding_bag({i}, {w}, {o}, mode={m}, per_sample_weights={psw}, include_last_offset={ilo}, padding_idx={pi})",
            i=["idx(7, high=5)", "v([1, 1, 1, 2, 0, 0, 4], 'i64')"],
            w=[
                "t(5, 3)",
                "t(5, 3, dtype='f32')",
                "v(np.round(arr(5, 3)), grad=True)",
                "v(np.where(arr(5, 3) > 1, nan, arr(5, 3)), grad=True)",
            ],
            o=[
                "v([0, 3, 3, 5], 'i64')",
                "v([0, 0, 7, 7], 'i64')",
                "v([0, 1, 2, 3, 4, 5, 6], 'i64')",
                "v([0, 2, 5, 7], 'i64')",
            ],
            m=["'mean'", "'sum'", "'max'"],
            psw=["None", "t(7)"],
            ilo=["False", "True"],
            pi=["None", "1", "0"],
        )
    )
    C.append(
        case(
            "M(nn.EmbeddingBag({n}, {d}, mode={m}, padding_idx={pi}, max_norm={mn}, include_last_offset={ilo}))({i}, {o})",
            n=["5", "0", "-1", "5.0", "'a'", "True"],
            d=["3", "0", "-2", "3.0", "None"],
            m=["'mean'", "'sum'", "'max'", "'a'"],
            pi=["None", "0", "-1", "5", "-6", "'a'"],
            mn=["None", "1.0", "0.5"],
            ilo=["False", "True"],
            i=["idx(6, high=5)", "idx(2, 3, high=5)", "idx(6, high=6)"],
            o=["v([0, 2, 4], 'i64')", "None"],
        )
    )
    C.append(
        case(
            "nn.EmbeddingBag.from_pretrained({w}, freeze={fr}, mode={m}, padding_idx={pi})(idx(6, high=5), v([0, 2, 4], 'i64'))",
            w=["t(5, 3)", "t(5)", "t(5, 3, dtype='f32')", "[[1.0, 2.0]]", "t(5, 3, 2)"],
            fr=["True", "False", "None"],
            m=["'mean'", "'sum'", "'max'"],
            pi=["None", "0", "-1", "9"],
        )
    )
    return C


def adaptive_cases() -> list[tuple[str, dict[str, list[str]]]]:
    C: list[tuple[str, dict[str, list[str]]]] = []
    C.append(
        case(
            "M(nn.AdaptiveLogSoftmaxWithLoss({f}, {n}, {c}, div_value={dv}, head_bias={hb}))({x}, {y})",
            f=["4", "0", "-1", "4.0", "'a'", "True"],
            n=["10", "3", "0", "6", "10.0", "'a'"],
            c=[
                "[3, 6]",
                "[6]",
                "(3, 6)",
                "[6, 3]",
                "[3, 3]",
                "[0, 6]",
                "[3, 10]",
                "[3, 12]",
                "[]",
                "3",
                "[3.0, 6]",
                "'a'",
                "None",
                "[-1, 6]",
                "[True, 6]",
                "[1, 2, 3, 4, 5, 6, 7, 8, 9]",
            ],
            dv=["4.0", "2", "1.0", "0.5", "0", "-1.0", "nan", "'a'", "None", "True", "100.0"],
            hb=["False", "True", "1", "None"],
            x=tensors_like("t(5, 4)", "t(4)", "t(5, 3)", "t(0, 4)", "t(5, 4, 1)", "t(2, 5, 4)"),
            y=[
                "idx(5, high=10)",
                "idx(5, high=10).to(I32)",
                "idx(5, high=11)",
                "idx(5, low=-1, high=10)",
                "idx(4, high=10)",
                "idx((), high=10)",
                "idx(5, 1, high=10)",
                "t(5)",
                "v([0, 1, 2, 3, 9], 'i64')",
                "[0, 1, 2, 3, 4]",
                "None",
                "idx(0)",
                "v([9, 9, 9, 9, 9], 'i64')",
                "v([0, 0, 0, 0, 0], 'i64')",
            ],
        )
    )
    C.append(
        case(
            "M(nn.AdaptiveLogSoftmaxWithLoss(4, 10, [3, 6], div_value={dv}, head_bias={hb})).{meth}({x})",
            dv=["4.0", "2.0", "1.0"],
            hb=["False", "True"],
            meth=["log_prob", "predict"],
            x=tensors_like(
                "t(5, 4)", "t(4)", "t(5, 3)", "t(0, 4)", "t(5, 4, 1)", "t(5, 4, dtype='f32')"
            ),
        )
    )
    C.append(
        case(
            "M(nn.AdaptiveLogSoftmaxWithLoss(4, 10, [3, 6], div_value=2.0)).to({d})({x}, idx(5, high=10))",
            d=["T.float32", "T.float64"],
            x=[
                "t(5, 4)",
                "t(5, 4, dtype='f32')",
                "v(np.where(arr(5, 4) > 1, nan, arr(5, 4)), grad=True)",
                "100 * t(5, 4)",
            ],
        )
    )
    return C


def lazy_cases() -> list[tuple[str, dict[str, list[str]]]]:
    C: list[tuple[str, dict[str, list[str]]]] = []
    C.append(
        case(
            "SHAPE(nn.LazyLinear({n}, bias={b})({x}))",
            n=["4", "0", "-1", "4.0", "'a'", "None", "True"],
            b=["True", "False", "None", "1"],
            x=tensors_like(
                "t(2, 3, dtype='f32')",
                "t(3, dtype='f32')",
                "t(2, 5, 3, dtype='f32')",
                "t(2, 0, dtype='f32')",
                "t(2, 3)",
            ),
        )
    )
    for d, x in [(1, "t(2, 3, 6)"), (2, "t(1, 2, 5, 5)"), (3, "t(1, 2, 4, 4, 4)")]:
        for kind in ["Conv", "ConvTranspose"]:
            C.append(
                case(
                    f"SHAPE(nn.Lazy{kind}{d}d({{oc}}, {{k}}, stride={{s}}, padding={{p}}, groups={{g}})({{x}}))",
                    oc=["4", "0", "-1", "3", "'a'", "None"],
                    k=["3", "0", "(3,) * " + str(d), "2.5", "'a'"],
                    s=["1", "2", "0"],
                    p=["0", "1", "'same'", "'valid'", "-1"],
                    g=["1", "2", "3"],
                    x=[
                        f"{x[:-1]}, dtype='f32')",
                        x,
                        f"{x[:-1]}, dtype='i64')",
                        x.replace("t(1, ", "t(").replace("t(2, 3, ", "t(3, ")[:-1]
                        + ", dtype='f32')",
                        x.replace(", 2, ", ", 0, ", 1)[:-1] + ", dtype='f32')",
                        "t(dtype='f32')",
                        "None",
                    ],
                )
            )
        for kind in ["BatchNorm", "InstanceNorm"]:
            C.append(
                case(
                    f"nn.Lazy{kind}{d}d(eps={{eps}}, momentum={{mo}}, affine={{af}}, track_running_stats={{tr}})({{x}})",
                    eps=["1e-5", "0", "-1.0", "'a'"],
                    mo=["0.1", "None", "2.0", "'a'"],
                    af=["True", "False"],
                    tr=["True", "False"],
                    x=[
                        f"{x[:-1]}, dtype='f32')",
                        x,
                        f"{x[:-1]}, dtype='i64')",
                        x.replace("t(1, ", "t(").replace("t(2, 3, ", "t(3, ")[:-1]
                        + ", dtype='f32')",
                        x.replace(", 2, ", ", 0, ", 1)[:-1] + ", dtype='f32')",
                        "t(dtype='f32')",
                        "None",
                    ],
                )
            )
    C.append(
        case(
            "(lambda m: (SHAPE(m({x})), SHAPE(m.weight), m.weight.dtype == {x}.dtype, type(m).__name__))(nn.LazyLinear(4))",
            x=["t(2, 3)", "t(2, 3, dtype='f32')", "t(2, 3, dtype='i64')"],
        )
    )
    C.append(
        case(
            "(lambda m: (SHAPE(m(t(2, 3, dtype='f32'))), SHAPE(m({x}))))(nn.LazyLinear(4))",
            x=[
                "t(2, 3, dtype='f32')",
                "t(2, 5, dtype='f32')",
                "t(3, dtype='f32')",
                "t(5, 3, dtype='f32')",
            ],
        )
    )
    C.append(
        case(
            "(lambda m: (m.load_state_dict({sd}), SHAPE(m(t(2, 3, dtype='f32'))))[1])(nn.LazyLinear(4))",
            sd=[
                "{'weight': t(4, 3, dtype='f32'), 'bias': t(4, dtype='f32')}",
                "{'weight': t(4, 3, dtype='f32')}",
                "{'weight': t(4, 5, dtype='f32'), 'bias': t(4, dtype='f32')}",
                "{'weight': t(3, 3, dtype='f32'), 'bias': t(4, dtype='f32')}",
                "{}",
            ],
        )
    )
    XS = ["t(3)", "None", "[1.0, 2.0]", "2.0", "t(3, dtype='i64')", "t(0)"]
    SH = ["(2, 3)", "()", "(0, 3)", "(-1, 3)", "'a'", "[2, 3]", "(2.0, 3)", "2"]
    for op in [
        "nn.Buffer({x})",
        "nn.Buffer({x}, persistent=False)",
        "(lambda m: (m.register_buffer('b', nn.Buffer({x})), m.b, list(m.state_dict())))(nn.Module())",
        "(lambda m: (setattr(m, 'b', nn.Buffer({x}, persistent=False)), m.b, list(m.state_dict())))(nn.Module())",
        "(lambda m: (setattr(m, 'b', nn.Buffer({x})), m.b, list(m.state_dict()), [n for n, _ in m.named_buffers()]))(nn.Module())",
    ]:
        C.append(case(op, x=XS))
    for op in [
        "SHAPE(nn.parameter.UninitializedParameter().materialize({sh}))",
        "(lambda p: (p.materialize({sh}), SHAPE(p), type(p).__name__))(nn.parameter.UninitializedParameter())",
        "(lambda p: (p.materialize({sh}), SHAPE(p), type(p).__name__))(nn.parameter.UninitializedBuffer())",
    ]:
        C.append(case(op, sh=SH))
    C.append(
        case(
            "(lambda p: {op})(nn.parameter.UninitializedParameter())",
            op=[
                "p.shape",
                "p + 1",
                "p.numel()",
                "p.sum()",
                "p.requires_grad",
                "p.data",
                "p.detach()",
                "str(p.dtype).replace('torch.', '')",
            ],
        )
    )
    return C


def utils_cases() -> list[tuple[str, dict[str, list[str]]]]:
    C: list[tuple[str, dict[str, list[str]]]] = []
    PS = [
        "[t(2, 3), t(3)]",
        "[]",
        "t(2, 3)",
        "[t(2, 3), t(3, dtype='f32')]",
        "[t(2, 3), 1.0]",
        "None",
        "[t(), t(0)]",
        "[t(2, 3), t(3, dtype='i64')]",
        "iter([t(2, 3), t(3)])",
        "(t(2, 3), t(3))",
        "[t(2, 3).transpose(0, 1)]",
    ]
    C.append(case("nn.utils.parameters_to_vector({ps})", ps=PS))
    C.append(
        case(
            "(lambda ps: (nn.utils.vector_to_parameters({vec}, ps), ps))({ps})",
            vec=[
                "t(9, grad=False)",
                "t(9)",
                "t(8, grad=False)",
                "t(10, grad=False)",
                "t(3, 3, grad=False)",
                "[1.0] * 9",
                "t(9, dtype='f32', grad=False)",
                "t(9, dtype='i64')",
                "None",
                "t((), grad=False)",
            ],
            ps=[
                "[t(2, 3, grad=False), t(3, grad=False)]",
                "[]",
                "t(9, grad=False)",
                "[t(2, 3, grad=False), t(3, dtype='f32', grad=False)]",
                "[t(2, 3, grad=False), 1.0]",
                "None",
                "[t(2, 3, grad=False), t(3, dtype='i64')]",
            ],
        )
    )
    C.append(
        case(
            "nn.utils.get_total_norm({ts}, norm_type={nt}, error_if_nonfinite={e})",
            ts=[
                "[t(2, 3), t(3)]",
                "[]",
                "t(2, 3)",
                "[t(2, 3), t(3, dtype='f32')]",
                "[t(2, 3), None]",
                "None",
                "[t(2, 3, dtype='i64')]",
                "[v([1.0, nan])]",
                "[v([1.0, inf])]",
                "[t(0)]",
                "[t(), 2.0]",
                "[t(2, 3, dtype='f32'), t(3, dtype='f32')]",
                "[v([1e200, 1e200])]",
            ],
            nt=[
                "2",
                "1",
                "inf",
                "-inf",
                "0",
                "0.5",
                "-1",
                "nan",
                "'inf'",
                "'fro'",
                "'a'",
                "None",
                "True",
                "3.0",
            ],
            e=["False", "True", "1", "None"],
        )
    )
    C.append(
        case(
            "(lambda ps: (nn.utils.clip_grads_with_norm_(ps, {mx}, {tn}), [p.grad for p in ps]))((lambda ps: ((ps[0] ** 2).sum() + ps[1].sum() * 3).backward() or ps)([t(2, 3, grad=False).requires_grad_(), t(3, grad=False).requires_grad_()]))",
            mx=[
                "1.0",
                "0.0",
                "-1.0",
                "nan",
                "inf",
                "t((), grad=False)",
                "'a'",
                "None",
                "True",
                "100.0",
            ],
            tn=[
                "v(2.0)",
                "v(0.0)",
                "v(nan)",
                "v(inf)",
                "2.0",
                "v([2.0, 3.0])",
                "'a'",
                "None",
                "v(2.0, 'f32')",
                "v(-1.0)",
            ],
        )
    )
    C.append(
        case(
            "(lambda ps: (nn.utils.clip_grad_norm_(ps, {mx}, norm_type={nt}, error_if_nonfinite={e}), [p.grad for p in ps]))((lambda ps: ((ps[0] ** 2).sum() + ps[1].sum() * {k}).backward() or ps)([t(2, 3, grad=False).requires_grad_(), t(3, grad=False).requires_grad_()]))",
            mx=["1.0", "0.0", "-1.0", "nan", "inf", "'a'", "None", "100.0"],
            nt=["2", "1", "inf", "0", "0.5", "'a'", "None"],
            e=["False", "True"],
            k=["3", "nan", "inf"],
        )
    )
    C.append(
        case(
            "nn.utils.{f}(M(nn.{c}(2, 3, 3)).eval(), M(nn.BatchNorm2d({nf})).eval(){tr})(t(1, 2, 5, 5))",
            f=["fuse_conv_bn_eval"],
            c=["Conv2d", "ConvTranspose2d"],
            nf=["3", "2", "4"],
            tr=["", ", transpose=True", ", transpose=False"],
        )
    )
    C.append(
        case(
            "nn.utils.fuse_conv_bn_eval({conv}, {bn})({x})",
            conv=[
                "M(nn.Conv2d(2, 3, 3)).eval()",
                "M(nn.Conv2d(2, 3, 3))",
                "M(nn.Conv2d(2, 3, 3, bias=False)).eval()",
                "M(nn.Conv1d(2, 3, 3)).eval()",
                "M(nn.Linear(2, 3)).eval()",
                "None",
            ],
            bn=[
                "M(nn.BatchNorm2d(3)).eval()",
                "M(nn.BatchNorm2d(3))",
                "M(nn.BatchNorm2d(3, affine=False)).eval()",
                "M(nn.BatchNorm2d(3, track_running_stats=False)).eval()",
                "M(nn.BatchNorm1d(3)).eval()",
                "None",
            ],
            x=["t(1, 2, 5, 5)", "t(1, 2, 5)"],
        )
    )
    C.append(
        case(
            "nn.utils.fuse_linear_bn_eval({lin}, {bn})({x})",
            lin=[
                "M(nn.Linear(2, 3)).eval()",
                "M(nn.Linear(2, 3))",
                "M(nn.Linear(2, 3, bias=False)).eval()",
                "M(nn.Linear(2, 4)).eval()",
                "None",
            ],
            bn=[
                "M(nn.BatchNorm1d(3)).eval()",
                "M(nn.BatchNorm1d(3))",
                "M(nn.BatchNorm1d(3, affine=False)).eval()",
                "M(nn.BatchNorm1d(3, track_running_stats=False)).eval()",
                "M(nn.BatchNorm1d(1)).eval()",
                "None",
            ],
            x=["t(4, 2)", "t(2)"],
        )
    )
    C.append(
        case(
            "nn.utils.fuse_conv_bn_weights({cw}, {cb}, {rm}, {rv}, {eps}, {bw}, {bb})",
            cw=["t(3, 2, 3, 3)", "t(3, 2)", "t(3)", "None"],
            cb=["t(3)", "None", "t(2)"],
            rm=["t(3, grad=False)", "t(2, grad=False)", "None"],
            rv=["t(3, pos=True, grad=False)", "t(3, grad=False)", "None"],
            eps=["1e-5", "0", "-1.0", "'a'"],
            bw=["t(3)", "None", "t(2)"],
            bb=["t(3)", "None"],
        )
    )
    C.append(
        case(
            "nn.utils.fuse_linear_bn_weights({lw}, {lb}, {rm}, {rv}, {eps}, {bw}, {bb})",
            lw=["t(3, 2)", "t(3)", "t(2, 3)", "None"],
            lb=["t(3)", "None", "t(2)"],
            rm=["t(3, grad=False)", "t(2, grad=False)", "None"],
            rv=["t(3, pos=True, grad=False)", "t(3, grad=False)", "None"],
            eps=["1e-5", "0", "-1.0", "'a'"],
            bw=["t(3)", "None", "t(2)"],
            bb=["t(3)", "None"],
        )
    )
    C.append(
        case(
            "(lambda m: (SHAPE(m.weight), m.weight.requires_grad, type(m).__name__))(nn.utils.skip_init({cls}, {args}))",
            cls=["nn.Linear", "nn.Conv2d", "nn.ReLU", "'a'", "None", "nn.Module"],
            args=["3, 4", "3, 4, 3", "3", "3, 4, bias=False", "'a'", "3, 4, device='meta'"],
        )
    )
    C.append(
        case(
            "nn.utils.stateless.functional_call(M(nn.Linear(3, 2)), {pd}, {args}, {kw}strict={st}, tie_weights={tw})",
            pd=[
                "{'weight': t(2, 3)}",
                "{}",
                "{'weight': t(2, 3), 'bias': t(2)}",
                "{'weight': t(3, 3)}",
                "{'wieght': t(2, 3)}",
                "{'weight': [1.0]}",
                "None",
                "{'weight': t(2, 3, dtype='f32')}",
                "({'weight': t(2, 3)}, {'bias': t(2)})",
                "({'weight': t(2, 3)}, {'weight': t(2, 3)})",
                "[{'weight': t(2, 3)}]",
                "{'weight': t(2, 3), 'bias': None}",
                "{'weight': 2.0}",
            ],
            args=[
                "(t(4, 3),)",
                "t(4, 3)",
                "[t(4, 3)]",
                "()",
                "(t(4, 3), t(4, 3))",
                "(t(4, 2),)",
                "None",
            ],
            kw=["", "None, "],
            st=["False", "True"],
            tw=["True", "False"],
        )
    )
    C.append(
        case(
            "T.func.functional_call(M(nn.{mod}), {pd}, {args}, strict={st})",
            mod=[
                "Linear(3, 2)",
                "Sequential(nn.Linear(3, 3), nn.ReLU(), nn.Linear(3, 2))",
                "BatchNorm1d(3)",
            ],
            pd=[
                "{}",
                "{'weight': t(2, 3)}",
                "{'0.weight': t(3, 3), '2.bias': t(2)}",
                "{'running_mean': t(3, grad=False)}",
                "({'weight': t(2, 3)}, {'bias': t(2)})",
                "{'x': t(2)}",
                "{'weight': t(2, 3), 'bias': t(2)}",
            ],
            args=["(t(4, 3),)", "t(4, 3)"],
            st=["False", "True"],
        )
    )
    C.append(
        case(
            "(lambda m: (m({x}), [n for n, _ in m.named_parameters()]))(nn.utils.weight_norm(M(nn.{mod}), name={nm}, dim={d}))",
            mod=["Linear(3, 4)", "Conv2d(2, 3, 3)", "Conv1d(2, 3, 2)", "Linear(3, 1)"],
            x=["t(2, 3)", "t(1, 2, 4, 4)", "t(1, 2, 5)"],
            nm=["'weight'", "'bias'", "'wieght'", "None", "1"],
            d=["0", "1", "-1", "None", "2", "-3", "5", "'a'", "1.0", "True"],
        )
    )
    C.append(
        case(
            "(lambda m: (m({x}), sorted(n for n, _ in m.named_parameters())))(nn.utils.parametrizations.weight_norm(M(nn.{mod}), name={nm}, dim={d}))",
            mod=["Linear(3, 4)", "Conv2d(2, 3, 3)", "Conv1d(2, 3, 2)", "Linear(3, 1)"],
            x=["t(2, 3)", "t(1, 2, 4, 4)", "t(1, 2, 5)"],
            nm=["'weight'", "'bias'", "'wieght'", "None", "1"],
            d=["0", "1", "-1", "None", "2", "-3", "5", "'a'", "1.0", "True"],
        )
    )
    C.append(
        case(
            "(lambda m: (m.weight, sorted(n for n, _ in m.named_parameters())))(nn.utils.remove_weight_norm(nn.utils.weight_norm(M(nn.Linear(3, 4)), dim={d}){nm}))",
            d=["0", "1", "None"],
            nm=["", ", 'weight'", ", 'bias'", ", 'a'"],
        )
    )
    C.append(
        case(
            "(lambda m: m({x}))(nn.utils.{sn}(M(nn.{mod}), n_power_iterations={npi}, eps={eps}{dim}))",
            sn=["spectral_norm", "parametrizations.spectral_norm"],
            mod=["Linear(3, 4)", "Conv2d(2, 3, 2)", "Linear(3, 1)", "Linear(1, 3)"],
            x=["t(2, 3)", "t(1, 2, 3, 3)", "t(2, 1)"],
            npi=["60", "0", "-1", "1.5", "'a'", "None"],
            eps=["1e-12", "0", "-1.0", "'a'"],
            dim=["", ", dim=None", ", dim=0", ", dim=1", ", dim=-1", ", dim=5", ", dim='a'"],
        )
    )
    C.append(
        case(
            "(lambda m: (m.weight, m.weight_orig if hasattr(m, 'weight_orig') else None))(nn.utils.spectral_norm(M(nn.Linear(3, 4)), name={nm}, n_power_iterations=60).eval())",
            nm=["'weight'", "'bias'", "'a'", "None"],
        )
    )
    PARAMS = [
        "nn.{cls}()",
        "(lambda x: x * 2)",
        "None",
        "nn.Linear(3, 3)",
        "nn.Identity()",
    ]
    del PARAMS
    C.append(
        case(
            "(lambda m: (type(P.register_parametrization(m, {nm}, {par}, unsafe={us})).__name__, m({x}), m.weight, P.is_parametrized(m), P.is_parametrized(m, {nm}), sorted(n for n, _ in m.named_parameters())))(M(nn.Linear(3, 3)))".replace(
                "P.", "nn.utils.parametrize."
            ),
            nm=["'weight'", "'bias'", "'a'", "None", "1"],
            par=[
                "nn.ReLU()",
                "nn.Identity()",
                "nn.Tanh()",
                "(lambda x: x * 2)",
                "None",
                "nn.Linear(3, 3)",
                "M(nn.Linear(3, 3))",
                "nn.Flatten()",
                "nn.Softmax(0)",
            ],
            us=["False", "True"],
            x=["t(2, 3)", "t(3)"],
        )
    )
    C.append(
        case(
            "(lambda m: (P.register_parametrization(m, 'weight', nn.Tanh()), P.register_parametrization(m, 'weight', nn.ReLU()), type(P.remove_parametrizations(m, {nm}, leave_parametrized={lp})).__name__, m({x}), m.weight, sorted(n for n, _ in m.named_parameters()), P.is_parametrized(m))[2:])(M(nn.Linear(3, 3)))".replace(
                "P.", "nn.utils.parametrize."
            ),
            nm=["'weight'", "'bias'", "'a'", "None"],
            lp=["True", "False", "1", "None"],
            x=["t(2, 3)"],
        )
    )
    C.append(
        case(
            "(lambda m: (P.register_parametrization(m, 'weight', nn.Tanh()), P.type_before_parametrizations(m).__name__, P.type_before_parametrizations({o}).__name__)[1:])(M(nn.Linear(3, 3)))".replace(
                "P.", "nn.utils.parametrize."
            ),
            o=["m", "nn.Linear(2, 2)", "None", "1"],
        )
    )
    return C


def build_cases() -> list[tuple[str, dict[str, list[str]]]]:
    return (
        grid_cases()
        + fractional_cases()
        + antialias_cases()
        + packed_cases()
        + ctc_cases()
        + bag_cases()
        + adaptive_cases()
        + lazy_cases()
        + utils_cases()
    )


if __name__ == "__main__":
    audit_main(build_cases, extra=15, run_torch=run_isolated)
