# ruff: noqa: E501
"""Bad-input and edge-case audit of convolution, RNN and attention/transformer APIs against torch 2.13.

Run by hand (not collected by pytest; needs torch):

    python tests/_audit_conv_rnn_attention.py [-v] [--only SUBSTRING] [--json PATH]

Same machinery as ``tests/_audit_methods_layers.py`` (its ``Lib``, ``run``, ``classify`` and
``calls``, through its ``audit_main``): each case is one call template evaluated on both libraries,
its slots filled one at a time from their variant lists plus seeded random mixes; ``M(module)``
gives a module's parameters the same seeded float64 values in both (the parameter names and order
match torch's), so values and float64 gradients are compared exactly (1e-9 relative).

API covered: F.conv3d, F.conv_transpose1d/2d/3d, F.unfold, F.fold, nn.Conv3d,
nn.ConvTranspose1d/2d/3d (with forward's output_size), nn.Unfold, nn.Fold, the T.conv* aliases;
nn.RNN/LSTM/GRU and their cells (constructor arguments, inputs, states),
nn.utils.rnn.pad_sequence/unpad_sequence; F.scaled_dot_product_attention,
F.multi_head_attention_forward, nn.MultiheadAttention, nn.TransformerEncoderLayer/DecoderLayer/
Encoder/Decoder/Transformer (masks of every kind and dtype, shapes, batch_first, need_weights).
``valid_cases`` holds only valid slot values, so that its random mixes compare values and
float64 gradients (eval-mode fast paths and fully masked rows included).

On 2026-11-27: 3057 calls. Before the fixes (47eabd9): equal 1041, both-raise 1713, both-raise
(kind) 250, torch-raises 24, ours-raises 22, leak 6, differ 1. After: equal 1049, both-raise
1730, both-raise (kind) 247, torch-raises 16, ours-raises 14, differ 1, leak 0. (both-raise
(kind) is mostly the order of checks when several arguments are bad, torch's AttributeError on
None where ours is a TypeError, and bools refused as ints.) What remains is deliberate:

* differ: scaled_dot_product_attention(scale=nan) is nan, as torch's math backend; torch's
  fused CPU kernel gives 0.
* ours-raises: an int weight beside an empty float batch (torch skips its dtype check when the
  batch is empty); unfold/fold of bool (torch's im2col copies bools; ours was floating point
  only until session 19, which takes bool as torch); unpad_sequence lengths outside [0, padded length] (torch slices silently: a length too
  long is truncated, -1 drops the last step); scaled_dot_product_attention with value's S unlike
  key's or key heads not dividing query heads (torch's fused kernel returns a value, its math
  backend raises), dropout_p out of [0, 1] with an empty query (torch checks only when there is
  work); bools refused as numbers (dropout_p=True, num_heads=True); MultiheadAttention(dropout
  < 0) refused in the constructor.
* torch-raises: torch's own failures: a float32 mask beside a float64 query (ours casts the
  additive mask to the query's dtype), a float32 input through a float64 transformer (ours
  promotes), unpad_sequence of a tensor requiring grad (torch's in-place transpose_ of a leaf).
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from _audit_methods_layers import Cases, Result, audit_main, case
from _audit_methods_layers import classify as classify_base


def classify(a: Result, b: Result) -> tuple[str, str]:
    """_audit_methods_layers's, counting our AttentionShapeError (a ValueError and an
    AssertionError) as the same kind as torch's AssertionError."""
    both = isinstance(a.error, AssertionError) and isinstance(b.error, AssertionError)
    if both and a.stage == b.stage:
        return "both-raise", ""
    return classify_base(a, b)


BADINT = ["0", "-1", "2.0", "True", "None", "'a'"]


def conv_cases() -> Cases:
    C: Cases = []
    C.append(
        case(
            "F.conv3d({x}, {w}, {b}, stride={s}, padding={p}, dilation={d}, groups={g})",
            x=[
                "t(2, 4, 4, 4, 4)",
                "t(4, 4, 4, 4)",
                "t(2, 4, 4, 4)",
                "t(0, 4, 4, 4, 4)",
                "t(2, 4, 0, 4, 4)",
                "t(2, 4, 1, 1, 1)",
                "t(2, 4, 4, 4, 4, dtype='f32')",
                "t(2, 4, 4, 4, 4, dtype='i64')",
                "t(2, 3, 4, 4, 4)",
                "t(2, 4, 4, 4, 4).transpose(2, 4)",
                "arr(2, 4, 4, 4, 4)",
            ],
            w=[
                "t(6, 4, 2, 2, 2)",
                "t(6, 2, 2, 2, 2)",
                "t(6, 4, 2, 2)",
                "t(6, 4, 5, 5, 5)",
                "t(0, 4, 2, 2, 2)",
                "t(6, 4, 2, 2, 2, dtype='f32')",
                "t(6, 4, 2, 0, 2)",
                "None",
            ],
            b=["None", "t(6)", "t(5)", "t(6, dtype='f32')", "t()"],
            s=["1", "2", "(1, 2, 1)", "0", "-1", "(1, 2)", "1.5", "True"],
            p=["0", "1", "(1, 0, 1)", "-1", "'same'", "'valid'", "'full'", "(1, 1)", "2.0"],
            d=["1", "2", "0", "(1, 2, 1)", "-1"],
            g=["1", "2", "0", "3", "-1", "2.0"],
        )
    )
    for nd, x, w, bad_x in [
        ("1d", "t(2, 4, 5)", "t(4, 3, 3)", ["t(4, 5)", "t(5)", "t(2, 4, 5, 5)", "t(2, 4, 0)"]),
        (
            "2d",
            "t(2, 4, 4, 5)",
            "t(4, 3, 3, 2)",
            ["t(4, 4, 5)", "t(2, 4, 5)", "t(2, 4, 4, 5, 5)", "t(0, 4, 4, 5)"],
        ),
        (
            "3d",
            "t(2, 4, 3, 3, 3)",
            "t(4, 2, 2, 2, 2)",
            ["t(4, 3, 3, 3)", "t(2, 4, 3, 3)", "t(2, 4, 0, 3, 3)"],
        ),
    ]:
        n = int(nd[0])

        def tup(v: int, n: int = n) -> str:
            return "(" + ", ".join([str(v)] * n) + ("," if n == 1 else "") + ")"

        C.append(
            case(
                f"F.conv_transpose{nd}({{x}}, {{w}}, {{b}}, stride={{s}}, padding={{p}}, output_padding={{op}}, groups={{g}}, dilation={{d}})",
                x=[
                    x,
                    *bad_x,
                    x.replace(")", ", dtype='f32')"),
                    x.replace(")", ", dtype='i64')"),
                    x.replace("t(2, 4", "t(2, 3"),
                    "None",
                ],
                w=[
                    w,
                    w.replace("t(4, 3", "t(4, 0")
                    if "t(4, 3" in w
                    else w.replace("t(4, 2", "t(4, 0"),
                    w.replace("t(4", "t(3"),
                    w.replace("t(4", "t(2"),
                    w.replace(")", ", dtype='f32')"),
                    "t(4, 3)",
                ],
                b=["None", "t(3)" if n < 3 else "t(2)", "t(5)", "t()"],
                s=["1", "2", tup(2), "0", "-1", "1.5", "(1, 1, 1, 1)"],
                p=["0", "1", tup(1), "-1", "'same'", "5"],
                op=["0", "1", tup(1), "-1", "2", "1.0"],
                g=["1", "2", "0", "-1", "3", "4"],
                d=["1", "2", "0", "-1", tup(2)],
            )
        )
        mod = f"nn.ConvTranspose{nd}"
        C.append(
            case(
                f"M({mod}({{ci}}, {{co}}, {{k}}, stride={{s}}, padding={{p}}, output_padding={{op}}, groups={{g}}, bias={{b}}, dilation={{d}}, padding_mode={{pm}}))({{x}}, {{os}})",
                ci=["4", "0", "-4", "3", "4.0"],
                co=["3", "0", "-3", "2", "3.0"] if n < 3 else ["2", "0", "3", "2.0"],
                k=["3" if n < 3 else "2", "0", "-1", tup(2), "(2,) * 4", "None", "2.0"],
                s=["1", "2", "0", tup(2)],
                p=["0", "1", "-1", "'same'"],
                op=["0", "1", "-1"],
                g=["1", "2", "0", "3"],
                b=["True", "False"],
                d=["1", "2", "0"],
                pm=["'zeros'", "'reflect'", "'x'"],
                x=[x, *bad_x, x.replace("t(2, 4", "t(2, 3"), x.replace(")", ", dtype='f32')")],
                os=[
                    "None",
                    "[" + ", ".join(["6"] * n) + "]",
                    "[" + ", ".join(["7"] * n) + "]",
                    "[" + ", ".join(["100"] * n) + "]",
                    "[2, 4] + [6] * " + str(n),
                    "[6]",
                    "[6] * " + str(n + 3),
                    "[-1] * " + str(n),
                    "6",
                    "'a'",
                    "[6.0] * " + str(n),
                ],
            )
        )
    C.append(
        case(
            "M(nn.Conv3d({ci}, {co}, {k}, stride={s}, padding={p}, dilation={d}, groups={g}, bias={b}, padding_mode={pm}))({x})",
            ci=["4", "0", "-4", "3", "4.0"],
            co=["6", "0", "5", "6.0"],
            k=["2", "(2, 1, 2)", "0", "-1", "(2,)", "5", "2.0", "None"],
            s=["1", "2", "0", "(1, 2, 1)"],
            p=["0", "1", "'same'", "'valid'", "-1", "'full'", "(1, 0, 1)"],
            d=["1", "2", "0"],
            g=["1", "2", "0", "3"],
            b=["True", "False"],
            pm=["'zeros'", "'reflect'", "'replicate'", "'circular'", "'x'"],
            x=[
                "t(2, 4, 4, 4, 4)",
                "t(4, 4, 4, 4)",
                "t(2, 3, 4, 4, 4)",
                "t(2, 4, 1, 1, 1)",
                "t(0, 4, 4, 4, 4)",
                "t(2, 4, 4, 4, 4, dtype='f32')",
                "t(2, 4, 4, 4)",
            ],
        )
    )
    for alias, x, w in [
        ("conv1d", "t(2, 4, 5)", "t(3, 4, 2)"),
        ("conv2d", "t(2, 4, 5, 5)", "t(3, 4, 2, 2)"),
        ("conv3d", "t(1, 4, 3, 3, 3)", "t(3, 4, 2, 2, 2)"),
        ("conv_transpose1d", "t(2, 4, 5)", "t(4, 3, 2)"),
        ("conv_transpose2d", "t(2, 4, 5, 5)", "t(4, 3, 2, 2)"),
        ("conv_transpose3d", "t(1, 4, 3, 3, 3)", "t(4, 3, 2, 2, 2)"),
    ]:
        C.append(
            case(
                f"T.{alias}({{x}}, {{w}}, {{b}}, {{s}})",
                x=[x, x.replace(")", ", dtype='f32')"), "t(3)", "None", "t(0" + x[3:]],
                w=[w, w.replace(")", ", dtype='i64')"), "t(3)", "None"],
                b=["None", "t(3)", "t(2)"],
                s=["1", "2", "0", "-1"],
            )
        )
    C.append(
        case(
            "F.unfold({x}, {k}, dilation={d}, padding={p}, stride={s})",
            x=[
                "t(2, 3, 5, 6)",
                "t(3, 5, 6)",
                "t(2, 3, 5)",
                "t(5, 6)",
                "t(2, 3, 5, 6, 2)",
                "t(0, 3, 5, 6)",
                "t(2, 0, 5, 6)",
                "t(2, 3, 0, 6)",
                "t(2, 3, 5, 6, dtype='f32')",
                "t(2, 3, 5, 6, dtype='i64')",
                "t(2, 3, 5, 6, dtype='bool')",
                "t(2, 3, 6, 5).transpose(2, 3)",
                "v([[[[nan, 1.0], [inf, 2.0]]]], grad=True)",
                "None",
                "arr(2, 3, 5, 6)",
            ],
            k=[
                "2",
                "(2, 3)",
                "1",
                "0",
                "-1",
                "7",
                "(2,)",
                "(2, 2, 2)",
                "2.0",
                "None",
                "[2, 3]",
                "True",
            ],
            d=["1", "2", "(1, 2)", "0", "-1", "1.0"],
            p=["0", "1", "(1, 0)", "-1", "(1, 1, 1)", "'same'", "1.0"],
            s=["1", "2", "(2, 1)", "0", "-1", "9", "2.0"],
        )
    )
    C.append(
        case(
            "F.fold({x}, {o}, {k}, dilation={d}, padding={p}, stride={s})",
            x=[
                "t(2, 12, 12)",
                "t(12, 12)",
                "t(2, 12, 11)",
                "t(2, 11, 12)",
                "t(2, 12)",
                "t(2, 12, 12, 1)",
                "t(0, 12, 12)",
                "t(2, 0, 12)",
                "t(2, 12, 0)",
                "t(2, 12, 12, dtype='f32')",
                "t(2, 12, 12, dtype='i64')",
                "t(2, 12, 12, dtype='bool')",
                "t(2, 12, 12).transpose(1, 2)",
                "None",
            ],
            o=[
                "(4, 5)",
                "(5, 4)",
                "4",
                "(4,)",
                "(0, 5)",
                "(-1, 5)",
                "(4, 5, 1)",
                "(4.0, 5)",
                "None",
                "[4, 5]",
                "(3, 3)",
            ],
            k=["2", "(2, 3)", "0", "-1", "(2,)", "2.0", "5"],
            d=["1", "2", "0", "-1"],
            p=["0", "1", "-1", "(1, 0)"],
            s=["1", "2", "0", "-1"],
        )
    )
    C.append(
        case(
            "nn.Unfold({k}, dilation={d}, padding={p}, stride={s})({x})",
            k=["2", "(2, 3)", "0", "-1", "None", "'a'"],
            d=["1", "2", "0"],
            p=["0", "1", "-1"],
            s=["1", "2", "0"],
            x=["t(2, 3, 5, 6)", "t(3, 5, 6)", "t(5, 6)", "t(0, 3, 5, 6)"],
        )
    )
    C.append(
        case(
            "nn.Fold({o}, {k}, dilation={d}, padding={p}, stride={s})({x})",
            o=["(4, 5)", "4", "(4,)", "0", "-1", "None"],
            k=["2", "(2, 3)", "0", "-1", "None"],
            d=["1", "2", "0"],
            p=["0", "1", "-1"],
            s=["1", "2", "0"],
            x=["t(2, 12, 12)", "t(12, 12)", "t(2, 12, 11)", "t(0, 12, 12)", "t(12)"],
        )
    )
    # round trip: fold(unfold(x)) with the same arguments
    C.append(
        case(
            "F.fold(F.unfold({x}, {k}, padding={p}, stride={s}), (5, 6), {k}, padding={p}, stride={s})",
            x=["t(2, 3, 5, 6)", "t(3, 5, 6)"],
            k=["2", "(2, 3)", "3", "1"],
            p=["0", "1", "(1, 2)"],
            s=["1", "2", "(2, 1)", "3"],
        )
    )
    return C


def rnn_cases() -> Cases:
    C: Cases = []
    for cls in ["RNN", "LSTM", "GRU"]:
        nonlin = ", nonlinearity={nl}" if cls == "RNN" else ""
        proj = ", proj_size={ps}" if cls == "LSTM" else ""
        slots: dict[str, list[str]] = dict(
            i=["3", "0", "-3", "3.0", "True", "None"],
            h=["4", "0", "-4", "4.0", "None"],
            nl_=["1", "2", "0", "-1", "2.0", "True"],
            b=["True", "False"],
            bf=["False", "True"],
            dr=["0.0", "-0.1", "1.5", "'a'", "True"],
            bi=["False", "True"],
            x=[
                "t(5, 2, 3)",
                "t(5, 3)",
                "t(5, 2, 4)",
                "t(0, 2, 3)",
                "t(5, 0, 3)",
                "t(5, 2, 3, dtype='f32')",
                "t(5, 2, 3, dtype='i64')",
                "t(2, 5, 3).transpose(0, 1)",
                "t(5, 2, 3, 1)",
                "t(3)",
                "None",
                "v([[[nan, 1.0, inf]]], grad=True)",
            ],
            hx=[
                "None",
                "t(1, 2, 4)",
                "t(2, 4)",
                "t(2, 2, 4)",
                "t(1, 3, 4)",
                "t(1, 2, 5)",
                "t(1, 2, 4, dtype='f32')",
                "t(1, 2, 4, dtype='i64')",
                "t(1, 4)",
                "'a'",
            ],
        )
        if cls == "RNN":
            slots["nl"] = ["'tanh'", "'relu'", "'gelu'", "None"]
        if cls == "LSTM":
            slots["ps"] = ["0", "2", "-1", "4", "5", "2.0"]
            slots["hx"] = [
                "None",
                "(t(1, 2, 4), t(1, 2, 4))",
                "(t(2, 4), t(2, 4))",
                "(t(1, 2, 4), t(1, 2, 5))",
                "(t(1, 2, 5), t(1, 2, 4))",
                "t(1, 2, 4)",
                "(t(1, 2, 4),)",
                "(t(1, 2, 4), t(1, 2, 4), t(1, 2, 4))",
                "(t(1, 2, 4, dtype='f32'), t(1, 2, 4))",
                "(t(1, 3, 4), t(1, 3, 4))",
                "[t(1, 2, 4), t(1, 2, 4)]",
                "(t(1, 2, 4), None)",
            ]
        C.append(
            case(
                f"M(nn.{cls}({{i}}, {{h}}, num_layers={{nl_}}, bias={{b}}, batch_first={{bf}}, dropout={{dr}}, bidirectional={{bi}}{nonlin}{proj}))({{x}}, {{hx}})",
                **slots,
            )
        )
        # states matching multi-layer, bidirectional, projected and batch_first layouts
        hx = "(t({L}, 2, {P}), t({L}, 2, 4))" if cls == "LSTM" else "t({L}, 2, 4)"
        extra = ", proj_size={ps}" if cls == "LSTM" else ""
        C.append(
            case(
                f"M(nn.{cls}(3, 4, num_layers={{nl_}}, bidirectional={{bi}}, batch_first={{bf}}{extra}))({{x}}, {hx})",
                nl_=["2", "1", "3"],
                bi=["True", "False"],
                bf=["True", "False"],
                x=["t(2, 5, 3)", "t(5, 3)", "t(2, 1, 3)"],
                L=["4", "2", "3", "6", "1"],
                P=["2", "4", "3"] if cls == "LSTM" else ["4"],
                ps=["2", "0", "3"] if cls == "LSTM" else ["0"],
            )
        )
        cell = f"{cls}Cell"
        cnl = ", nonlinearity={nl}" if cls == "RNN" else ""
        cslots: dict[str, list[str]] = dict(
            i=["3", "0", "-3", "3.0", "True", "None"],
            h=["4", "0", "-4", "4.0", "None"],
            b=["True", "False", "1"],
            x=[
                "t(2, 3)",
                "t(3)",
                "t(2, 4)",
                "t(0, 3)",
                "t(2, 3, 1)",
                "t()",
                "t(2, 3, dtype='f32')",
                "t(2, 3, dtype='i64')",
                "t(3, 2).T",
                "None",
                "v([[nan, inf, 1.0]], grad=True)",
            ],
            hx=[
                "None",
                "t(2, 4)",
                "t(4)",
                "t(3, 4)",
                "t(2, 5)",
                "t(1, 2, 4)",
                "t(2, 4, dtype='f32')",
                "'a'",
            ],
        )
        if cls == "RNN":
            cslots["nl"] = ["'tanh'", "'relu'", "'x'"]
        if cls == "LSTM":
            cslots["hx"] = [
                "None",
                "(t(2, 4), t(2, 4))",
                "(t(4), t(4))",
                "(t(2, 4), t(2, 5))",
                "t(2, 4)",
                "(t(2, 4),)",
                "(t(3, 4), t(3, 4))",
                "(t(2, 4), t(4))",
                "(t(2, 4, dtype='f32'), t(2, 4))",
            ]
        C.append(case(f"M(nn.{cell}({{i}}, {{h}}, bias={{b}}{cnl}))({{x}}, {{hx}})", **cslots))
    C.append(
        case(
            "nn.utils.rnn.pad_sequence({s}, batch_first={bf}, padding_value={pv}, padding_side={ps})",
            s=[
                "[t(3, 2), t(1, 2), t(2, 2)]",
                "[t(3), t(1)]",
                "[t(3, 2), t(1, 3)]",
                "[t(3, 2)]",
                "[]",
                "[t(0, 2), t(1, 2)]",
                "[t(), t()]",
                "[t(3, 2), t(2, 2, dtype='f32')]",
                "[t(3, 2, dtype='i64'), t(2, 2, dtype='i64')]",
                "[t(3, 2, dtype='bool'), t(2, 2, dtype='bool')]",
                "(t(3, 2), t(1, 2))",
                "t(3, 2)",
                "t(3, 2, 2)",
                "[t(3, 2), [1.0, 2.0]]",
                "[t(3, 2), None]",
                "None",
                "[t(2, 3).T, t(1, 2)]",
            ],
            bf=["False", "True", "1"],
            pv=["0.0", "-1.5", "nan", "2", "True", "'a'", "None"],
            ps=["'right'", "'left'", "'middle'", "None"],
        )
    )
    C.append(
        case(
            "nn.utils.rnn.unpad_sequence({p}, {lens}, batch_first={bf})",
            p=["t(3, 2, 4)", "t(3, 2)", "t(3)", "t(0, 2, 4)", "t(3, 2, 4, dtype='i64')", "None"],
            lens=[
                "v([3, 1])",
                "v([3, 1], dtype='i64')",
                "[3, 1]",
                "v([4, 1])",
                "v([0, 2])",
                "v([-1, 2])",
                "v([3, 1, 2])",
                "v([3.0, 1.0])",
                "v([[3, 1]])",
                "None",
            ],
            bf=["False", "True"],
        )
    )
    return C


MASKS_LS = [
    "None",
    "v([[True, False, True], [False, True, True], [True, True, True], [False, False, False]])",
    "t(4, 3)",
    "t(4, 3, dtype='f32')",
    "t(4, 3, dtype='i64')",
    "t(2, 2, 4, 3)",
    "t(1, 1, 4, 3)",
    "t(2, 1, 4, 3)",
    "t(4, 1)",
    "t(3, 4)",
    "t(3)",
    "v([[-inf, -inf, -inf], [0.0, 0.0, 0.0], [0.0, -inf, 0.0], [nan, 0.0, 0.0]])",
    "v([[False, False, False], [True, True, True], [True, False, True], [True, True, True]])",
    "[[0.0, 0.0, 0.0]] * 4",
]


def attention_cases() -> Cases:
    C: Cases = []
    C.append(
        case(
            "F.scaled_dot_product_attention({q}, {k}, {v}, attn_mask={m}, dropout_p={p}, is_causal={c}, scale={s}, enable_gqa={g})",
            q=[
                "t(2, 2, 4, 5)",
                "t(4, 5)",
                "t(2, 4, 5)",
                "t(2, 2, 4, 6)",
                "t(2, 4, 4, 5)",
                "t(2, 2, 0, 5)",
                "t(0, 2, 4, 5)",
                "t(2, 2, 4, 5, dtype='f32')",
                "t(2, 2, 4, 5, dtype='i64')",
                "t(2, 2, 5, 4).transpose(-1, -2)",
                "t(1, 2, 4, 5)",
                "t(2, 3, 4, 5)",
                "None",
                "arr(2, 2, 4, 5)",
            ],
            k=[
                "t(2, 2, 3, 5)",
                "t(2, 2, 3, 6)",
                "t(2, 1, 3, 5)",
                "t(2, 2, 0, 5)",
                "t(2, 2, 3, 5, dtype='f32')",
                "t(3, 5)",
                "t(2, 3, 3, 5)",
            ],
            v=[
                "t(2, 2, 3, 5)",
                "t(2, 2, 3, 7)",
                "t(2, 2, 2, 5)",
                "t(2, 1, 3, 5)",
                "t(2, 2, 0, 5)",
                "t(2, 2, 3, 5, dtype='f32')",
            ],
            m=MASKS_LS,
            p=["0.0", "-0.5", "1.5", "'a'", "True", "None"],
            c=["False", "True", "1", "None"],
            s=["None", "0.5", "0.0", "-1.0", "2", "'a'", "True", "nan"],
            g=["False", "True"],
        )
    )
    # (L, N, E) embeddings; E = 4, 2 heads
    mha_args = (
        "4, 2, t(12, 4), t(12), None, None, False, 0.0, t(4, 4), t(4), training=True, "
        "key_padding_mask={kpm}, need_weights={nw}, attn_mask={am}, average_attn_weights={aw}, is_causal={c}"
    )
    C.append(
        case(
            f"F.multi_head_attention_forward({{q}}, {{k}}, {{v}}, {mha_args})",
            q=[
                "t(4, 2, 4)",
                "t(4, 4)",
                "t(4, 2, 5)",
                "t(0, 2, 4)",
                "t(4, 2, 4, dtype='f32')",
                "t(4, 2, 4, dtype='i64')",
                "None",
                "t(2, 4, 4).transpose(0, 1)",
            ],
            k=["t(3, 2, 4)", "t(3, 4)", "t(3, 3, 4)", "t(3, 2, 5)", "t(0, 2, 4)"],
            v=["t(3, 2, 4)", "t(2, 2, 4)", "t(3, 2, 5)", "t(3, 4)"],
            kpm=[
                "None",
                "v([[False, False, True], [True, False, False]])",
                "t(2, 3)",
                "t(2, 3, dtype='i64')",
                "t(2, 3, dtype='f32')",
                "v([[True, True, True], [False, False, False]])",
                "t(3, 2)",
                "t(2, 4)",
                "t(3)",
            ],
            nw=["True", "False"],
            am=[*MASKS_LS, "t(4, 4, 3)", "t(3, 4, 3)", "t(2, 4, 3)", "t(4, 3, 3)"],
            aw=["True", "False"],
            c=["False", "True"],
        )
    )
    C.append(
        case(
            "M(nn.MultiheadAttention({e}, {h}, dropout={dr}, bias={b}, add_bias_kv={abk}, add_zero_attn={azn}, kdim={kd}, vdim={vd}, batch_first={bf}))({q}, {k}, {v}, key_padding_mask={kpm}, need_weights={nw}, attn_mask={am}, average_attn_weights={aw}, is_causal={c})",
            e=["4", "0", "-4", "5", "4.0", "None"],
            h=["2", "0", "-2", "3", "1", "4", "2.0", "True"],
            dr=["0.0", "-0.1", "1.5", "'a'"],
            b=["True", "False"],
            abk=["False", "True"],
            azn=["False", "True"],
            kd=["None", "4", "3", "0", "-1"],
            vd=["None", "4", "5"],
            bf=["False", "True"],
            q=[
                "t(4, 2, 4)",
                "t(4, 4)",
                "t(2, 4, 4)",
                "t(0, 2, 4)",
                "t(4, 2, 4, dtype='f32')",
                "t(4, 2, 5)",
            ],
            k=["t(3, 2, 4)", "t(3, 4)", "t(3, 2, 3)", "t(3, 2, 5)"],
            v=["t(3, 2, 4)", "t(3, 2, 5)", "t(2, 2, 4)"],
            kpm=[
                "None",
                "v([[False, False, True], [True, False, False]])",
                "t(2, 3)",
                "t(2, 3, dtype='i64')",
                "v([[True, True, True], [False, False, False]])",
                "t(3, 2)",
            ],
            nw=["True", "False"],
            am=[*MASKS_LS, "t(4, 4, 3)", "t(3, 4, 3)"],
            aw=["True", "False"],
            c=["False", "True"],
        )
    )
    # self-attention under the is_causal flag with a causal mask given
    C.append(
        case(
            "M(nn.MultiheadAttention(4, 2, batch_first={bf}))(*[{x}] * 3, attn_mask={am}, is_causal={c}, need_weights={nw})",
            bf=["False", "True"],
            x=["t(3, 2, 4)", "t(3, 4)"],
            am=[
                "nn.Transformer.generate_square_subsequent_mask(3)",
                "None",
                "v([[False, True, True], [False, False, True], [False, False, False]])",
            ],
            c=["True", "False"],
            nw=["False", "True"],
        )
    )
    layer = (
        "M(nn.TransformerEncoderLayer({d}, {h}, dim_feedforward={ff}, dropout=0.0, activation={act}, "
        "layer_norm_eps={eps}, batch_first={bf}, norm_first={nf}, bias={b}))"
    )
    C.append(
        case(
            layer + "({x}, src_mask={m}, src_key_padding_mask={kpm}, is_causal={c})",
            d=["4", "0", "-4", "5", "4.0", "None"],
            h=["2", "0", "3", "-1", "2.0"],
            ff=["8", "0", "-8", "8.0"],
            act=["'relu'", "'gelu'", "F.silu", "'tanh'", "None", "nn.GELU()"],
            eps=["1e-5", "0.0", "-1.0"],
            bf=["False", "True"],
            nf=["False", "True"],
            b=["True", "False"],
            x=[
                "t(3, 2, 4)",
                "t(3, 4)",
                "t(3, 2, 5)",
                "t(0, 2, 4)",
                "t(3, 2, 4, dtype='f32')",
                "t(3, 2, 4, dtype='i64')",
                "None",
            ],
            m=[
                "None",
                "t(3, 3)",
                "v([[False, True, True], [False, False, True], [False, False, False]])",
                "nn.Transformer.generate_square_subsequent_mask(3)",
                "t(3, 3, dtype='i64')",
                "t(4, 3, 3)",
                "t(3, 4)",
                "t(2, 3)",
            ],
            kpm=[
                "None",
                "v([[False, False, True], [True, False, False], [False, False, False]])",
                "v([[False, False, True], [True, False, False]])",
                "t(2, 3)",
                "t(3, 2)",
                "t(2, 3, dtype='i64')",
            ],
            c=["False", "True"],
        )
    )
    dlayer = (
        "M(nn.TransformerDecoderLayer({d}, {h}, dim_feedforward={ff}, dropout=0.0, activation={act}, "
        "batch_first={bf}, norm_first={nf}, bias={b}))"
    )
    C.append(
        case(
            dlayer
            + "({x}, {mem}, tgt_mask={tm}, memory_mask={mm}, tgt_key_padding_mask={tk}, memory_key_padding_mask={mk}, tgt_is_causal={tc}, memory_is_causal={mc})",
            d=["4", "0", "5"],
            h=["2", "0", "3"],
            ff=["8", "0"],
            act=["'relu'", "'gelu'", "'x'"],
            bf=["False", "True"],
            nf=["False", "True"],
            b=["True", "False"],
            x=["t(3, 2, 4)", "t(3, 4)", "t(3, 2, 5)", "t(3, 2, 4, dtype='f32')"],
            mem=["t(5, 2, 4)", "t(5, 4)", "t(5, 3, 4)", "t(5, 2, 5)", "t(0, 2, 4)", "None"],
            tm=[
                "None",
                "nn.Transformer.generate_square_subsequent_mask(3)",
                "t(3, 3)",
                "t(3, 5)",
                "v([[False, True, True], [False, False, True], [False, False, False]])",
            ],
            mm=["None", "t(3, 5)", "t(5, 3)", "t(3, 5) > 0", "t(3, 5, dtype='i64')"],
            tk=["None", "v([[False, False, True], [True, False, False]])", "t(2, 3)", "t(2, 5)"],
            mk=[
                "None",
                "v([[False, False, True, True, False], [True, False, False, False, False]])",
                "t(2, 5)",
                "t(2, 3)",
            ],
            tc=["False", "True"],
            mc=["False", "True"],
        )
    )
    C.append(
        case(
            "M(nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8, 0.0, batch_first={bf}, norm_first={nf}), {n}, norm={norm}, enable_nested_tensor={ent}))({x}, mask={m}, src_key_padding_mask={kpm}, is_causal={c})",
            bf=["False", "True"],
            nf=["False", "True"],
            n=["2", "1", "0", "-1", "2.0", "None"],
            norm=["None", "nn.LayerNorm(4)", "nn.LayerNorm(5)"],
            ent=["False", "True"],
            x=["t(3, 2, 4)", "t(3, 4)", "t(3, 2, 5)", "t(0, 2, 4)"],
            m=[
                "None",
                "nn.Transformer.generate_square_subsequent_mask(3)",
                "t(3, 3)",
                "t(3, 3) > 0",
                "t(2, 3)",
            ],
            kpm=[
                "None",
                "v([[False, False, True], [True, False, False]])",
                "t(2, 3)",
                "v([[True, True, True], [False, False, False]])",
                "t(3, 3) > 0",
            ],
            c=["False", "True", "None"],
        )
    )
    C.append(
        case(
            "M(nn.TransformerDecoder(nn.TransformerDecoderLayer(4, 2, 8, 0.0, batch_first={bf}, norm_first={nf}), {n}, norm={norm}))({x}, {mem}, tgt_mask={tm}, memory_mask={mm}, tgt_key_padding_mask={tk}, memory_key_padding_mask={mk}, tgt_is_causal={tc}, memory_is_causal={mc})",
            bf=["False", "True"],
            nf=["False", "True"],
            n=["2", "1", "0", "-1"],
            norm=["None", "nn.LayerNorm(4)"],
            x=["t(3, 2, 4)", "t(3, 4)", "t(3, 2, 5)"],
            mem=["t(5, 2, 4)", "t(5, 4)", "t(5, 3, 4)"],
            tm=["None", "nn.Transformer.generate_square_subsequent_mask(3)", "t(3, 3)", "t(3, 5)"],
            mm=["None", "t(3, 5)", "t(3, 5) > 0"],
            tk=["None", "v([[False, False, True], [True, False, False]])", "t(2, 3)"],
            mk=[
                "None",
                "v([[False, False, True, True, False], [True, False, False, False, False]])",
            ],
            tc=["False", "True", "None"],
            mc=["False", "True"],
        )
    )
    C.append(
        case(
            "M(nn.Transformer({d}, {h}, {ne}, {nd}, {ff}, 0.0, batch_first={bf}, norm_first={nf}))({src}, {tgt}, src_mask={sm}, tgt_mask={tm}, memory_mask={mm}, src_key_padding_mask={sk}, tgt_key_padding_mask={tk}, memory_key_padding_mask={mk}, src_is_causal={sc}, tgt_is_causal={tc})",
            d=["4", "0", "5", "4.0"],
            h=["2", "0", "3"],
            ne=["1", "0", "2", "-1"],
            nd=["1", "0", "2", "-1"],
            ff=["8", "0"],
            bf=["False", "True"],
            nf=["False", "True"],
            src=["t(5, 2, 4)", "t(5, 4)", "t(5, 3, 4)", "t(5, 2, 5)", "t(0, 2, 4)"],
            tgt=["t(3, 2, 4)", "t(3, 4)", "t(3, 3, 4)", "t(3, 2, 5)", "t(3, 2, 4, dtype='f32')"],
            sm=["None", "t(5, 5)", "nn.Transformer.generate_square_subsequent_mask(5)", "t(3, 3)"],
            tm=[
                "None",
                "nn.Transformer.generate_square_subsequent_mask(3)",
                "t(3, 3) > 0",
                "t(5, 5)",
            ],
            mm=["None", "t(3, 5)", "t(5, 3)"],
            sk=[
                "None",
                "v([[False, False, True, True, False], [True, False, False, False, False]])",
                "t(2, 5)",
            ],
            tk=["None", "v([[False, False, True], [True, False, False]])"],
            mk=[
                "None",
                "v([[False, False, True, True, False], [True, False, False, False, False]])",
                "t(2, 3)",
            ],
            sc=["False", "True"],
            tc=["False", "True"],
        )
    )
    C.append(
        case(
            "nn.Transformer.generate_square_subsequent_mask({n}, dtype={dt})",
            n=["3", "0", "1", "-1", "2.0", "True", "'a'"],
            dt=["None", "f32", "f64", "i64"],
        )
    )
    return C


def valid_cases() -> Cases:
    """Only valid slot values, so the random mixes compare values and gradients."""
    C: Cases = []
    for nd, x, k in [
        ("1d", "t(2, 4, 6)", 3),
        ("2d", "t(2, 4, 5, 6)", 3),
        ("3d", "t(1, 4, 4, 3, 5)", 2),
    ]:
        C.append(
            case(
                f"F.conv_transpose{nd}({x}, t(4, {{co}}, *[{k}] * {nd[0]}), t({{co}} * {{g}}) if {{b}} else None, stride={{s}}, padding={{p}}, output_padding={{op}}, groups={{g}}, dilation={{d}})",
                co=["3", "1", "2"],
                b=["False", "True"],
                s=["2", "1", "3"],
                p=["0", "1", "2"],
                op=["0", "1"],
                g=["1", "2", "4"],
                d=["1", "2", "3"],
            )
        )
        C.append(
            case(
                f"F.conv{nd}({x}, t(6, 4 // {{g}}, *[{k}] * {nd[0]}), {{b}}, stride={{s}}, padding={{p}}, dilation={{d}}, groups={{g}})",
                b=["None", "t(6)"],
                s=["1", "2"],
                p=["0", "1", "'same'", "'valid'"],
                d=["1", "2"],
                g=["1", "2", "4"],
            )
        )
        C.append(
            case(
                f"M(nn.ConvTranspose{nd}(4, {{co}}, {k}, stride={{s}}, padding={{p}}, groups={{g}}, dilation={{d}}, bias={{b}}))({x}, output_size=[(n - 1) * {{s}} - 2 * {{p}} + {{d}} * ({k} - 1) + 1 + (max({{s}}, {{d}}) > 1) for n in {x[1:]}[2:]] if {{os}} else None)",
                co=["2", "4"],
                s=["2", "3", "1"],
                p=["0", "1"],
                g=["1", "2"],
                d=["1", "2"],
                b=["True", "False"],
                os=["False", "True"],
            )
        )
    C.append(
        case(
            "F.unfold({x}, {k}, dilation={d}, padding={p}, stride={s})",
            x=["t(2, 3, 5, 6)", "t(3, 5, 6)", "t(0, 3, 5, 6)", "t(2, 3, 6, 5).transpose(2, 3)"],
            k=["2", "(2, 3)", "1", "(3, 1)"],
            d=["1", "2", "(2, 1)"],
            p=["0", "1", "(0, 2)"],
            s=["1", "2", "(3, 1)"],
        )
    )
    for cls in ["RNN", "LSTM", "GRU"]:
        hx = {
            "RNN": "t({L} * (2 if {bi} else 1), 2, 4)",
            "GRU": "t({L} * (2 if {bi} else 1), 2, 4)",
            "LSTM": "(t({L} * (2 if {bi} else 1), 2, {ps} or 4), t({L} * (2 if {bi} else 1), 2, 4))",
        }[cls]
        extra = (
            ", proj_size={ps}" if cls == "LSTM" else (", nonlinearity={nl}" if cls == "RNN" else "")
        )
        slots = dict(
            L=["2", "1", "3"],
            bi=["True", "False"],
            b=["True", "False"],
            bf=["False", "True"],
            x=["t(2, 5, 3)", "t(2, 1, 3)", "t(2, 0, 3)"],
            h=["True", "False"],
        )
        if cls == "LSTM":
            slots["ps"] = ["0", "2", "3"]
        if cls == "RNN":
            slots["nl"] = ["'tanh'", "'relu'"]
        C.append(
            case(
                f"M(nn.{cls}(3, 4, {{L}}, bias={{b}}, batch_first=True, bidirectional={{bi}}{extra}))({{x}}, {hx} if {{h}} else None)",
                **slots,
            )
        )
    C.append(
        case(
            "M(nn.MultiheadAttention(4, {h}, bias={b}, add_bias_kv={abk}, add_zero_attn={azn}, kdim={kd}, vdim={vd}, batch_first=True))(t(2, 4, 4), t(2, 3, {kd} or 4), t(2, 3, {vd} or 4), key_padding_mask={kpm}, need_weights={nw}, attn_mask={am}, average_attn_weights={aw})",
            h=["2", "1", "4"],
            b=["True", "False"],
            abk=["False", "True"],
            azn=["False", "True"],
            kd=["None", "3"],
            vd=["None", "5"],
            kpm=[
                "None",
                "v([[False, False, True], [True, False, False]])",
                "t(2, 3)",
                "v([[False, False, False], [False, True, True]])",
            ],
            nw=["True", "False"],
            am=[
                "None",
                "v([[True, False, False], [False, True, False], [False, False, False], [False, True, True]])",
                "t(4, 3)",
                "v([[-inf, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, -inf, 0.0], [0.0, 0.0, 0.0]])",
            ],
            aw=["True", "False"],
        )
    )
    C.append(
        case(
            "F.scaled_dot_product_attention(t(2, {hq}, 4, 5), t(2, {hk}, 3, 5), t(2, {hk}, 3, {ev}), attn_mask={m}, is_causal={c}, scale={s}, enable_gqa={g})",
            hq=["2", "4"],
            hk=["2", "1"],
            ev=["5", "2"],
            m=[
                "None",
                "t(4, 3)",
                "t(2, 1, 4, 3)",
                "v([[True, False, True], [False, False, False], [True, True, True], [False, True, False]])",
            ],
            c=["False"],
            s=["None", "0.5", "-2.0"],
            g=["True"],
        )
    )
    C.append(
        case(
            "F.scaled_dot_product_attention(t(2, 2, {L}, 5), t(2, 2, {S}, 5), t(2, 2, {S}, 3), is_causal=True)",
            L=["4", "1", "3", "0"],
            S=["3", "4", "1", "0"],
        )
    )
    C.append(
        case(
            "M(nn.Transformer(4, 2, {ne}, {nd}, 8, 0.0, activation={act}, batch_first={bf}, norm_first={nf}, bias={b}))({src}, {tgt}, src_mask={sm}, tgt_mask={tm}, memory_mask={mm}, src_key_padding_mask={sk}, tgt_key_padding_mask={tk}, memory_key_padding_mask={mk}, tgt_is_causal={tc})",
            ne=["1", "2"],
            nd=["1", "2"],
            act=["'relu'", "'gelu'", "F.tanh"],
            bf=["True"],
            nf=["False", "True"],
            b=["True", "False"],
            src=["t(2, 5, 4)"],
            tgt=["t(2, 3, 4)"],
            sm=[
                "None",
                "t(5, 5)",
                "nn.Transformer.generate_square_subsequent_mask(5)",
                "t(5, 5) > 1",
            ],
            tm=[
                "None",
                "nn.Transformer.generate_square_subsequent_mask(3)",
                "t(3, 3) > 1",
                "t(4, 3, 3)",
            ],
            mm=["None", "t(3, 5)", "t(3, 5) > 1"],
            sk=[
                "None",
                "v([[False, False, True, True, False], [True, False, False, False, False]])",
                "t(2, 5)",
            ],
            tk=["None", "v([[False, False, True], [True, False, False]])"],
            mk=[
                "None",
                "v([[False, False, True, True, False], [True, False, False, False, False]])",
            ],
            tc=["False", "True"],
        )
    )
    # eval mode (torch's fast paths), fully masked rows and keys
    full_kpm = "v([[True, True, True], [False, True, False]])"
    C.append(
        case(
            "M(nn.MultiheadAttention(4, 2, batch_first=True)){ev}(t(2, 4, 4), t(2, 3, 4), t(2, 3, 4), key_padding_mask={kpm}, need_weights={nw}, attn_mask={am})",
            ev=["", ".eval()"],
            kpm=["None", full_kpm, "v([[0.0, -inf, -inf], [-inf, -inf, -inf]])"],
            nw=["True", "False"],
            am=[
                "None",
                "v([[True, True, True], [False, False, False], [True, False, True], [False, True, True]])",
                "t(4, 3)",
            ],
        )
    )
    C.append(
        case(
            "M(nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8, 0.0, batch_first=True, norm_first={nf}), 2, enable_nested_tensor={ent})){ev}(t(2, 3, 4), mask={m}, src_key_padding_mask={kpm})",
            ev=["", ".eval()"],
            nf=["False", "True"],
            ent=["True", "False"],
            m=["None", "nn.Transformer.generate_square_subsequent_mask(3)", "t(3, 3) > 0"],
            kpm=["None", full_kpm, "v([[False, False, True], [False, True, False]])"],
        )
    )
    C.append(
        case(
            "M(nn.Conv{nd}(2, 2, 3, padding={p}, padding_mode={pm}))(t(1, 2, *[{n}] * {nd0}))",
            nd=["1d", "2d", "3d"],
            p=["1", "2", "3", "'same'"],
            pm=["'circular'", "'reflect'", "'replicate'", "'zeros'"],
            n=["3", "2", "1"],
            nd0=["1"],
        )
    )
    C.append(
        case(
            "M(nn.ConvTranspose2d(4, 2, 3, stride={s}, padding={p}))(t(4, 5, 6), output_size={os})",
            s=["2", "3"],
            p=["0", "1"],
            os=[
                "None",
                "(11, 13)",
                "[4, 11, 13]",
                "(1, 2, 11, 13)",
                "(12, 14)",
                "(10, 12)",
                "t(11, 13).shape",
            ],
        )
    )
    return C


def build_cases() -> Cases:
    return conv_cases() + rnn_cases() + attention_cases() + valid_cases()


if __name__ == "__main__":
    audit_main(build_cases, extra=30, classify=classify)
