# ruff: noqa: E501
"""Differential bad-input and edge-case audit of ``tinygrad_ed.multiclass`` against
scikit-learn's ``sklearn.multiclass`` and of ``tinygrad_ed.data`` against ``torch.utils.data``
(torch 2.13, scikit-learn 1.9).

Run by hand (not collected by pytest; needs torch and scikit-learn):

    python tests/_audit_multiclass_data.py [-v] [--only SUBSTRING] [--json PATH]

Same machinery as ``tests/_audit_methods_layers.py`` (its ``Lib``, ``run``, ``classify``, ``case``
and ``calls`` through its ``audit_main``; ``flat`` is widened to read dicts as their keys and
values). The reference side ("torch" in the outcome names) is torch for the data cases and
scikit-learn for the multiclass ones. Extra template names:

* data: ``D`` is ``torch.utils.data`` or ``tinygrad_ed.data``; ``COLLATE``/``CONVERT`` their
  default collate and convert; ``G(s)`` a generator seeded with ``s`` (torch's or numpy's);
  ``TDS(n, d)`` a TensorDataset of the same seeded float64 rows and int64 labels; ``DS(n)`` a
  plain map-style dataset of ``(float, int)`` pairs; ``DRAW(sampler, n, exact)`` what a random
  sampler's epoch must satisfy whatever the random order: ``len``, the number and type of the
  indices, whether they lie in ``[0, n)`` and, for ``exact``, the sorted multiplicities (a
  sampler without replacement visits each index ⌊k/n⌋ or ⌈k/n⌉ times); ``SPLIT(parts)`` the
  lengths of ``random_split``'s parts and the sorted union of their indices; ``EPOCH(loader)``
  ``len(loader)`` and the list of batches; ``SORTED(loader)`` the shapes of the batches and the
  sorted rows (for shuffled loaders).
* multiclass: a deterministic duck-typed binary base learner shared by both libraries, so only
  the reduction logic (label mapping, votes, code decoding, probability normalisation) is
  compared: ``Base()`` is a nearest-centroid linear classifier (w = μ₊ − μ₋, threshold halfway;
  ``decision_function`` and ``predict_proba`` = σ(w·x + b)); ``PredOnly()`` the same with only
  ``predict``. ``OVR``, ``OVO``, ``OC`` build ``OneVsRestClassifier``, ``OneVsOneClassifier``,
  ``OutputCodeClassifier`` or ours around ``Base()`` (``OC`` only compares shapes: the two
  draw their own random codes); ``OCX(code_size, seed)`` is scikit-learn's output code around
  ``PredOnly()`` and, on our side, ``OutputCode(PredOnly(), code=<the code scikit-learn drew>)``,
  so decoding is compared on the same code (with 0/1 predictions, scikit-learn's Euclidean
  decoding is Hamming decoding). ``x(n, d)`` seeded features with class structure, ``lab(n,
  C)`` labels with every class present; ``OUT(est, X, y, Xp)`` fits and returns ``classes_``,
  ``predict`` (values and dtype) and the shapes of ``decision_function``/``predict_proba``;
  ``VAL(est, X, y, Xp, method)`` one method's values; ``NOFIT(est, method)`` a method before
  fit.

On 2026-11-27 (main at 531b714): 1018 calls. Before the fixes: equal 451, both-raise 223,
both-raise (kind) 147, leak 63, torch-raises 50, ours-raises 44, differ 38, odd 2 (62 of the
leaks: SubsetRandomSampler and WeightedRandomSampler did not exist). After: equal 478,
both-raise 263, both-raise (kind) 148, torch-raises 49, ours-raises 45, differ 34, odd 1, leak 0.
Fixed (tests/test_bad_input_multiclass_data.py): output codes decoded ties between equally near code
words by rounding noise instead of by the lowest class index (the tie-break loss summed its terms in
per-class order, and the logit of a 0/1 probability clipped to 1e-12 was ±27.631 asymmetric to
1e-4), so 6–11% of predictions differed from scikit-learn's on its own codes (5 differ);
TensorDataset[bad index] with numpy's words (leak); ConcatDataset[1.5] with Python's words and
ConcatDataset[True] read example 1; samplers given something without a length raised
"object of type 'NoneType' has no len()"; OutputCode(code_size=inf) an OverflowError from int()
(odd); score() with labels of another kind (strings against numbers) a silent 0.0 (scikit-learn
raises); X of numbers held as objects refused (scikit-learn converts it). Added
SubsetRandomSampler and WeightedRandomSampler (torch's validation texts; bad weights refused at
construction, where torch's multinomial refuses them at iteration). What remains:

* differ (34): decision_function of one-vs-one (18; votes − ½·L/(1+L) here, votes +
  Σconf/(3(|Σconf|+1)) in scikit-learn: the documented tie-break) and of two-class one-vs-rest
  (3; two classifiers here, m₁ − m₀, one in scikit-learn: ``len(estimators_)`` 2 / 1 is one
  more); one-vs-one predictions among tied votes (4: the documented loss tie-break; on 4000
  random score rows, 3–11% of the rows with tied votes get another class, none without a tie)
  and where a pairwise score is exactly 0 (half a vote each here, documented; the whole vote
  to the lower class in scikit-learn); data: torch's TensorDataset/collate keep a tensor's
  requires_grad (4; ours hold plain data), collate([1, 2.5]) is float32 in torch (its first
  element decides; float64 here), SubsetRandomSampler/BatchSampler/Subset over numpy or torch
  integer arrays yield ints here (torch passes the array's scalars on).
* ours-raises (45): nan/inf and empty X, one class, and object arrays of strings refused (the
  duck-typed base learner of this audit does not check; scikit-learn's own learners refuse them
  too); code_size=True and codes that do not separate every two classes (documented); bools,
  floats and lists as indices or lengths, negative lengths in random_split, a negative sampler
  index, num_workers=1.5/True, sampler=BatchSampler(…) with a batch_size (all documented).
* torch-raises (49): torch's TensorDataset of numpy arrays and lists, SequentialSampler(10),
  numpy ints for batch_size/num_samples, an int generator; scikit-learn has no predict_proba
  for one-vs-one and output codes and needs scores from the base learner; it refuses
  non-integral float labels ("continuous", taken here as class labels: documented, any label
  values) and code_size=None (this package's default).
* both-raise (kind) (148): torch's ValueError for a batch_size/drop_last of the wrong type
  (TypeError here, documented), its AssertionError/AttributeError/IndexError from internals
  where ours names the op; scikit-learn's IndexError for X and y of different lengths with this
  audit's base learner.
* odd (1): collate of a Python int beyond int64 raises OverflowError (the package's convention,
  as tensor(); torch a ValueError).
"""

from __future__ import annotations

import collections
import itertools
import os
import sys
from collections.abc import Mapping
from typing import Any

import numpy as np
import torch
import torch.utils.data as TD
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.multiclass import OneVsOneClassifier, OneVsRestClassifier, OutputCodeClassifier

sys.path.insert(0, os.path.dirname(__file__))

import _audit_methods_layers
from _audit_methods_layers import Lib, audit_main, case

import tinygrad_ed as tg
import tinygrad_ed.data as GD
import tinygrad_ed.multiclass as MC

_flat = _audit_methods_layers.flat


def flat(out: Any) -> list[Any]:
    """``_audit_methods_layers.flat``, reading a dict as its keys and values in order."""
    if isinstance(out, Mapping):
        return [y for k, v in out.items() for y in [repr(k), *flat(v)]]
    if isinstance(out, (tuple, list)):
        return [y for o in out for y in flat(o)]
    return _flat(out)


_audit_methods_layers.flat = flat  # run() looks it up at call time


# ----------------------------------------------------------------------------- the base learner


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


class Base(ClassifierMixin, BaseEstimator):
    """Nearest centroid between two classes: w = μ(classes_[1]) − μ(classes_[0]), b halfway."""

    def fit(self, X: Any, y: Any) -> Base:
        X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) != 2:
            raise ValueError(f"Base: needs two classes, got {self.classes_}")
        pos, neg = X[y == self.classes_[1]].mean(0), X[y == self.classes_[0]].mean(0)
        self.w_ = pos - neg
        self.b_ = -self.w_ @ (pos + neg) / 2
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        return np.asarray(X, dtype=np.float64) @ self.w_ + self.b_

    def predict_proba(self, X: Any) -> np.ndarray:
        p = _sigmoid(self.decision_function(X))
        return np.stack([1 - p, p], axis=1)

    def predict(self, X: Any) -> np.ndarray:
        return self.classes_[(self.decision_function(X) > 0).astype(int)]


class PredOnly(ClassifierMixin, BaseEstimator):
    """``Base`` that answers only with labels (no scores)."""

    def fit(self, X: Any, y: Any) -> PredOnly:
        self.base_ = Base().fit(X, y)
        self.classes_ = self.base_.classes_
        return self

    def predict(self, X: Any) -> np.ndarray:
        return self.base_.predict(X)


class Scripted(ClassifierMixin, BaseEstimator):
    """A binary learner whose answers are injected through X, to compare the reductions on the
    same per-problem scores. Column 0 of a training row is its class index (0 … C−1); fit reads
    which classes are its positive and negative ones. A test row holds the one-vs-rest score of
    class k in column 1 + k and the one-vs-one score of the pair i < j (positive: j; pairs in
    ``itertools.combinations`` order) in column 1 + C + p; the learner returns its column, signed
    so that positive means its own ``classes_[1]``."""

    def __init__(self, C: int = 3) -> None:
        self.C = C

    def fit(self, X: Any, y: Any) -> Scripted:
        X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
        self.classes_ = np.unique(y)
        ids = np.round(X[:, 0]).astype(int)
        pos, neg = np.unique(ids[y == self.classes_[1]]), np.unique(ids[y == self.classes_[0]])
        if len(pos) == 1 and len(neg) == 1:
            i, j = sorted([int(pos[0]), int(neg[0])])
            pairs = list(itertools.combinations(range(self.C), 2))
            self.col_, self.sign_ = 1 + self.C + pairs.index((i, j)), 1 if pos[0] == j else -1
        elif len(pos) == 1:
            self.col_, self.sign_ = 1 + int(pos[0]), 1
        elif len(neg) == 1:
            self.col_, self.sign_ = 1 + int(neg[0]), -1
        else:
            raise ValueError("Scripted: a problem of neither one-vs-rest nor one-vs-one form")
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        return self.sign_ * np.asarray(X, dtype=np.float64)[:, self.col_]

    def predict_proba(self, X: Any) -> np.ndarray:
        p = _sigmoid(self.decision_function(X))
        return np.stack([1 - p, p], axis=1)

    def predict(self, X: Any) -> np.ndarray:
        return self.classes_[(self.decision_function(X) > 0).astype(int)]


class Hard(ClassifierMixin, BaseEstimator):
    """``Base`` answering hard 0/1 probabilities (what scikit-learn's output codes need to
    decode as Hamming: its Euclidean distance between 0/1 answers and 0/1 code words)."""

    def fit(self, X: Any, y: Any) -> Hard:
        self.base_ = Base().fit(X, y)
        self.classes_ = self.base_.classes_
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        hard = (self.base_.decision_function(X) > 0).astype(np.float64)
        return np.stack([1 - hard, hard], axis=1)

    def predict(self, X: Any) -> np.ndarray:
        return self.base_.predict(X)


def sk_code(X: Any, y: Any, code_size: float, seed: int) -> np.ndarray:
    """The code scikit-learn's OutputCodeClassifier(Hard()) draws, as ±1."""
    oc = OutputCodeClassifier(Hard(), code_size=code_size, random_state=seed).fit(X, y)
    code = 2 * np.asarray(oc.code_book_, dtype=np.int64) - 1
    # a column with one class only is a constant classifier, at the same distance from every
    # code word; ours refuses such a code (documented), so it is left out
    return code[:, (code > 0).any(axis=0) & (code < 0).any(axis=0)]


# ----------------------------------------------------------------------------- the two sides


class Side(Lib):
    """One library's names: torch + scikit-learn ("torch"), or tinygrad_ed."""

    def env(self) -> dict[str, Any]:
        e = Lib.env(self)
        ref = self.is_torch
        rng = self.rng

        def x(n: int, d: int = 3, C: int = 3) -> np.ndarray:
            centers = np.arange(C * d, dtype=np.float64).reshape(C, d) % 5 * 2.0
            return centers[np.arange(n) % C] + rng.standard_normal((n, d))

        def lab(n: int, C: int = 3) -> np.ndarray:
            return (np.arange(n) % C).astype(np.int64)

        def G(s: int) -> Any:
            return torch.Generator().manual_seed(s) if ref else np.random.default_rng(s)

        def TDS(n: int, d: int = 2) -> Any:
            a = rng.standard_normal((n, d))
            b = np.arange(n, dtype=np.int64) % 3
            if ref:
                return TD.TensorDataset(torch.tensor(a), torch.tensor(b))
            return GD.TensorDataset(tg.tensor(a), tg.tensor(b))

        class DS:  # plain map-style dataset, no base class
            def __init__(self, n: int) -> None:
                self.n = n

            def __len__(self) -> int:
                return self.n

            def __getitem__(self, i: int) -> Any:
                if not -self.n <= i < self.n:
                    raise IndexError(i)
                return (float(i) / 2, i % 3)

        def DRAW(s: Any, n: int) -> list[Any]:
            lst = list(s)
            exact = not getattr(s, "replacement", True)
            counts = sorted(collections.Counter(lst).values()) if exact else None
            return [
                len(s),
                len(lst),
                all(type(i) is int for i in lst),
                all(0 <= i < n for i in lst),
                counts,
            ]

        def SPLIT(parts: Any) -> list[Any]:
            return [[len(p) for p in parts], sorted(i for p in parts for i in p.indices)]

        def EPOCH(loader: Any) -> list[Any]:
            return [len(loader), list(loader)]

        def SORTED(loader: Any) -> list[Any]:
            batches = list(loader)
            shapes = [[tuple(t.shape) for t in flat(b)] for b in batches]
            if loader.drop_last:  # which examples are left out is random
                return [len(loader), shapes]
            first = np.concatenate([np.asarray(flat(b)[0].numpy()) for b in batches])
            return [len(loader), shapes, np.sort(first, axis=0)]

        def MODES(loader: Any) -> list[Any]:
            shapes = [[tuple(t.shape) for t in flat(b)] for b in loader]
            return [len(loader), loader.batch_size, loader.drop_last, shapes]

        def wrap(kind: str, est: Any, **kw: Any) -> Any:
            est = Base() if est is None else est
            if ref:
                cls = {"ovr": OneVsRestClassifier, "ovo": OneVsOneClassifier}.get(kind)
                if cls is not None:
                    return cls(est)
                return OutputCodeClassifier(est, **kw)
            if kind == "ovr":
                return MC.OneVsRest(est)
            if kind == "ovo":
                return MC.OneVsOne(est)
            return MC.OutputCode(est, **kw)

        def OVR(est: Any = None) -> Any:
            return wrap("ovr", est)

        def OVO(est: Any = None) -> Any:
            return wrap("ovo", est)

        def TREE() -> Any:
            if not ref:
                return MC.TreeReduction(Base())
            est = OneVsRestClassifier(Base())  # the validation to compare with; no tree here
            est._tree = True
            return est

        def SOFTMAX() -> Any:
            if ref:
                from sklearn.linear_model import LogisticRegression

                return LogisticRegression(max_iter=50)
            return MC.SoftmaxRegression(epochs=3)

        def OC(est: Any = None, code_size: Any = 1.5, random_state: Any = 0) -> Any:
            return wrap("oc", est, code_size=code_size, random_state=random_state)

        def OCX(X: Any, y: Any, code_size: float = 1.5, seed: int = 0) -> Any:
            if ref:
                return OutputCodeClassifier(Hard(), code_size=code_size, random_state=seed)
            return MC.OutputCode(Hard(), code=sk_code(X, y, code_size, seed), decoding="hamming")

        def SX(n: int, C: int) -> np.ndarray:
            out = rng.standard_normal((n, 1 + C + C * (C - 1) // 2))
            out[:, 0] = np.arange(n) % C
            return out

        def SP(m: int, C: int, ints: bool) -> np.ndarray:
            width = 1 + C + C * (C - 1) // 2
            if ints:
                return rng.integers(-2, 3, (m, width)).astype(np.float64)
            return rng.standard_normal((m, width))

        def OUT(est: Any, X: Any, y: Any, Xp: Any) -> list[Any]:
            est.fit(X, y)
            pred = est.predict(Xp)
            random_code = isinstance(est, (OutputCodeClassifier, MC.OutputCode)) or (
                type(est).__name__ in ("LogisticRegression", "SoftmaxRegression", "TreeReduction")
                or (ref and isinstance(est, OneVsRestClassifier) and getattr(est, "_tree", False))
            )
            shown = np.shape(pred) if random_code else np.asarray(pred).tolist()
            out = [np.asarray(est.classes_).tolist(), shown, np.asarray(pred).dtype.kind]
            if not random_code:
                out.append(np.shape(est.decision_function(Xp)))
            if hasattr(est, "predict_proba") and not isinstance(
                est, (OneVsOneClassifier, OutputCodeClassifier, MC.OneVsOne, MC.OutputCode)
            ):
                out.append(np.shape(est.predict_proba(Xp)))
            return out

        def VAL(est: Any, X: Any, y: Any, Xp: Any, method: str = "predict") -> Any:
            return getattr(est.fit(X, y), method)(Xp)

        def NOFIT(est: Any, method: str, Xp: Any) -> Any:
            return getattr(est, method)(Xp)

        e.update(
            D=TD if ref else GD,
            COLLATE=TD.default_collate if ref else GD.collate,
            CONVERT=TD.default_convert if ref else GD.default_convert,
            G=G,
            TDS=TDS,
            DS=DS,
            DRAW=DRAW,
            SPLIT=SPLIT,
            EPOCH=EPOCH,
            SORTED=SORTED,
            MODES=MODES,
            x=x,
            lab=lab,
            Base=Base,
            PredOnly=PredOnly,
            Hard=Hard,
            Scripted=Scripted,
            SX=SX,
            SP=SP,
            OVR=OVR,
            OVO=OVO,
            OC=OC,
            OCX=OCX,
            TREE=TREE,
            SOFTMAX=SOFTMAX,
            OUT=OUT,
            VAL=VAL,
            NOFIT=NOFIT,
            f32=np.float32,
        )
        return e


# ----------------------------------------------------------------------------- the cases

BOOLS = ["False", "True", "None", "0", "1", "'a'"]
SIZES = ["3", "1", "10", "11", "0", "-1", "2.5", "True", "None", "'a'", "np.int64(2)"]
SOURCES = [
    "range(10)",
    "D.SequentialSampler(range(10))",
    "[3, 1, 2]",
    "np.arange(5)",
    "10",
    "None",
    "'abc'",
    "[1.5, 2.0]",
    "[True, False]",
    "[[0, 1], [2]]",
    "range(0)",
    "T.tensor([2, 0])",
]


def data_cases() -> list[tuple[str, dict[str, list[str]]]]:
    C: list[tuple[str, dict[str, list[str]]]] = []
    ds_src = ["range(10)", "TDS(7)", "range(0)", "10", "0", "-1", "None", "True", "'a'", "[1, 2]"]
    C.append(case("list(D.SequentialSampler({src}))", src=ds_src))
    C.append(case("len(D.SequentialSampler({src}))", src=ds_src))
    C.append(
        case(
            "DRAW(D.RandomSampler({src}, replacement={r}, num_samples={k}, generator={g}), {n})",
            src=["range(10)", "TDS(10)", "range(0)", "10", "None", "'a'"],
            r=["False", "True", "None", "0", "1", "'a'", "np.bool_(True)"],
            k=["None", "10", "4", "25", "1", "0", "-1", "2.5", "True", "'a'", "np.int64(3)"],
            g=["None", "G(0)", "0", "'a'"],
            n=["10"],
        )
    )
    C.append(
        case(
            "DRAW(D.RandomSampler(range({n}), replacement=True, num_samples={k}, generator=G(1)), {n})",
            n=["5", "1", "100"],
            k=["None", "3", "50", "1000"],
        )
    )
    C.append(
        case(
            "DRAW(D.SubsetRandomSampler({idx}, generator={g}), 10)",
            idx=[
                "[3, 1, 2]",
                "range(10)",
                "[]",
                "[4, 4, 4]",
                "np.arange(3)",
                "[1.5, 2]",
                "5",
                "'ab'",
                "None",
                "[True]",
            ],
            g=["G(0)", "None"],
        )
    )
    C.append(
        case(
            "DRAW(D.WeightedRandomSampler({w}, {k}, replacement={r}, generator={g}), 10)",
            w=[
                "[1, 2, 3]",
                "[0.1] * 10",
                "np.array([0.0, 1.0, 0.0, 3.0])",
                "T.tensor([1.0, 2.0])",
                "[]",
                "[0, 0]",
                "[1, -1]",
                "[1, nan]",
                "[1, inf]",
                "[[1, 2]]",
                "5",
                "'ab'",
                "[True, False]",
                "[1e308, 1e308]",
            ],
            k=["3", "1", "10", "0", "-1", "2.0", "True", "None", "np.int64(2)"],
            r=["True", "False", "1", "None"],
            g=["G(0)", "None"],
        )
    )
    C.append(
        case(
            "list(D.BatchSampler({src}, batch_size={b}, drop_last={d}))",
            src=SOURCES,
            b=SIZES,
            d=[*BOOLS, "np.bool_(True)"],
        )
    )
    C.append(
        case(
            "len(D.BatchSampler({src}, batch_size={b}, drop_last={d}))",
            src=SOURCES,
            b=SIZES,
            d=BOOLS,
        )
    )
    C.append(
        case(
            "D.TensorDataset({a}, {b})[{i}]",
            a=[
                "t(5, 2, grad=False)",
                "t(5)",
                "t(4, 2)",
                "t()",
                "t(0, 2)",
                "t(5, 2, dtype='i64')",
                "t(5, 2, dtype='bool')",
                "arr(5, 2)",
                "'a'",
                "None",
                "[1, 2, 3, 4, 5]",
            ],
            b=["t(5, dtype='i64')", "t(5, 3, grad=False)", "t(6)", "t()"],
            i=[
                "0",
                "-1",
                "4",
                "5",
                "-6",
                "slice(1, 3)",
                "[0, 2]",
                "1.5",
                "True",
                "T.tensor(1)",
                "T.tensor([0, 1])",
                "np.int64(2)",
                "None",
                "'a'",
            ],
        )
    )
    C.append(
        case("len(D.TensorDataset({a}))", a=["t(5, 2)", "t(0, 3)", "t(3)", "t()", "arr(4, 2)"])
    )
    C.append(
        case(
            "D.Subset({ds}, {idx})[{i}]",
            ds=["TDS(5)", "DS(5)", "range(5)", "TDS(0)"],
            idx=[
                "[4, 0, 2]",
                "range(3)",
                "np.array([1, 3])",
                "[]",
                "[5]",
                "[-1]",
                "[-6]",
                "[1.5]",
                "[True]",
                "None",
                "3",
                "T.tensor([1, 2])",
                "[[0, 1]]",
            ],
            i=["0", "-1", "2", "3", "-4", "1.5", "True", "slice(0, 2)", "[0, 1]"],
        )
    )
    C.append(
        case(
            "len(D.Subset({ds}, {idx}))",
            ds=["TDS(5)", "DS(5)"],
            idx=["[4, 0, 2]", "[]", "range(5)", "[1, 1, 1]"],
        )
    )
    C.append(
        case(
            "D.ConcatDataset({dss})[{i}]",
            dss=[
                "[TDS(3), TDS(4)]",
                "[DS(2), DS(3)]",
                "[TDS(3), DS(2)]",
                "[TDS(0), TDS(2)]",
                "[]",
                "[TDS(0)]",
                "(TDS(2), TDS(2))",
                "TDS(3)",
                "[range(3), range(2)]",
                "None",
                "[3]",
                "[TDS(2), None]",
            ],
            i=["0", "3", "6", "7", "-1", "-7", "-8", "1.5", "True", "np.int64(4)", "slice(0, 2)"],
        )
    )
    C.append(
        case(
            "[len(D.ConcatDataset({dss})), D.ConcatDataset({dss}).cumulative_sizes]",
            dss=["[TDS(3), TDS(4)]", "[TDS(0), TDS(2)]", "[range(3), range(2)]", "[TDS(2)] * 3"],
        )
    )
    C.append(case("len(TDS(3) + TDS(4))", **{}))
    C.append(case("(TDS(3) + DS(2))[{i}]", i=["0", "3", "4", "5", "-1"]))
    C.append(
        case(
            "SPLIT(D.random_split({ds}, {lengths}, generator={g}))",
            ds=["TDS(10)", "DS(10)", "range(10)", "TDS(0)", "TDS(1)", "TDS(7)"],
            lengths=[
                "[3, 7]",
                "[0.3, 0.7]",
                "[0.5, 0.5, 0.0]",
                "[0.33, 0.33, 0.34]",
                "[0.1] * 10",
                "[1.0]",
                "[10]",
                "[11]",
                "[-1, 11]",
                "[3.0, 7.0]",
                "[0.3, 0.3]",
                "[]",
                "[True, 9]",
                "['a']",
                "[0.5, 0.6]",
                "[1.5, -0.5]",
                "[2, 8.0]",
                "(5, 5)",
                "np.array([5, 5])",
                "[np.int64(4), np.int64(6)]",
                "[0.25, 0.25, 0.25, 0.25]",
                "[1/3, 1/3, 1/3]",
                "[nan, 1]",
                "None",
                "5",
            ],
            g=["G(0)", "None", "0", "'a'"],
        )
    )
    # DataLoader: batching modes and their exclusivity
    C.append(
        case(
            "EPOCH(D.DataLoader({ds}, batch_size={b}, drop_last={d}))",
            ds=["TDS(7)", "DS(7)", "TDS(0)", "range(7)", "D.Subset(TDS(9), [8, 1, 3, 5, 0])"],
            b=["3", "1", "7", "8", "None", "0", "-1", "2.5", "True", "'a'", "np.int64(2)"],
            d=BOOLS,
        )
    )
    C.append(
        case(
            "SORTED(D.DataLoader({ds}, batch_size={b}, shuffle={s}, drop_last={d}, generator={g}))",
            ds=["TDS(7)", "TDS(1)"],
            b=["3", "1", "7", "8"],
            s=["True", "False", "1", "None", "'a'"],
            d=["False", "True"],
            g=["G(0)", "None"],
        )
    )
    C.append(
        case(
            "MODES(D.DataLoader(TDS(10), batch_size={b}, shuffle={s}, sampler={smp}, batch_sampler={bs}, drop_last={d}))",
            b=["1", "3", "None", "2"],
            s=["False", "True", "None"],
            smp=[
                "None",
                "[9, 0, 4]",
                "D.SequentialSampler(range(10))",
                "range(3)",
                "D.BatchSampler(range(10), 3, False)",
                "5",
                "[[0, 1], [2]]",
                "[10]",
                "[-1]",
            ],
            bs=[
                "None",
                "[[0, 1], [2, 3, 4]]",
                "D.BatchSampler(range(10), 4, True)",
                "[[0], []]",
                "[0, 1]",
                "[[10]]",
                "5",
                "[[1.5]]",
            ],
            d=["False", "True"],
        )
    )
    C.append(
        case(
            "EPOCH(D.DataLoader({ds}, batch_size=None, sampler={smp}))",
            ds=["TDS(4)", "DS(4)"],
            smp=["None", "[3, 1]", "[[0, 1], [2]]", "range(0)", "[4]", "[1.5]"],
        )
    )
    C.append(
        case(
            "len(D.DataLoader({ds}, batch_size={b}, drop_last={d}))",
            ds=["TDS(10)", "TDS(0)", "DS(3)"],
            b=["3", "4", "10", "20", "None"],
            d=["False", "True"],
        )
    )
    C.append(
        case(
            "len(D.DataLoader(TDS(4), num_workers={w}))",
            w=["0", "-1", "1.5", "True", "None", "'a'"],
        )
    )
    C.append(
        case(
            "list(D.DataLoader(TDS(4), batch_size=2, collate_fn={c}))",
            c=["None", "len", "5", "'a'"],
        )
    )
    # collate and convert
    C.append(
        case(
            "COLLATE({batch})",
            batch=[
                "[(arr(2), 1), (arr(2), 2)]",
                "[(1.5, 2), (2.5, 3)]",
                "[{'x': arr(2), 'y': 0}, {'x': arr(2), 'y': 1}]",
                "[{'x': 1.0}, {'y': 2.0}]",
                "[arr(3), arr(3)]",
                "[arr(3), arr(4)]",
                "[np.float32(1.5), np.float32(2.5)]",
                "[np.arange(3, dtype=np.int32), np.arange(3, dtype=np.int32)]",
                "[True, False]",
                "[1, 2.5]",
                "[('a', 1), ('b', 2)]",
                "[[1, 2], [3, 4]]",
                "[[1, 2], [3]]",
                "[((arr(2), arr(1)), 0), ((arr(2), arr(1)), 1)]",
                "[]",
                "[None, None]",
                "[t(2, grad=False), t(2, grad=False)]",
                "[t(2, dtype='f32'), t(2, dtype='f32')]",
                "[t(2, dtype='i64'), t(2, dtype='i64')]",
                "[np.arange(2, dtype=np.float32), np.arange(2)]",
                "[2**70, 1]",
                "[np.array(['a']), np.array(['b'])]",
                "[{'x': (1, 2)}, {'x': (3, 4)}]",
                "[1, 'a']",
                "[arr(2), 1.0]",
                "[b'a', b'b']",
                "[np.array(1.5), np.array(2.5)]",
                "[arr(0), arr(0)]",
            ],
        )
    )
    C.append(
        case(
            "CONVERT({ex})",
            ex=[
                "arr(2)",
                "(arr(2), 1)",
                "[arr(2), 1.5]",
                "{'x': arr(2), 'y': 'a'}",
                "np.float32(1.5)",
                "np.int64(3)",
                "1",
                "2.5",
                "'a'",
                "np.array(['a', 'b'])",
                "t(2, grad=False)",
                "None",
                "np.array(2.5)",
                "np.arange(3, dtype=np.uint8)",
                "np.array([1+2j])",
            ],
        )
    )
    return C


XS = [
    "x(30, 3)",
    "x(30)",
    "x(30, 3)[:, :, None]",
    "x(0, 3)",
    "x(30, 0)",
    "np.where(np.arange(90).reshape(30, 3) == 4, nan, x(30, 3))",
    "np.where(np.arange(90).reshape(30, 3) == 4, inf, x(30, 3))",
    "x(30, 3).tolist()",
    "x(30, 3).astype(np.float32)",
    "x(30, 3) > 1",
    "x(30, 3).astype(object)",
    "np.round(x(30, 3)).astype(np.int64)",
    "'a'",
    "None",
    "x(29, 3)",
    "x(3, 3)",
]
YS = [
    "lab(30)",
    "lab(30).astype(str)",
    "np.array(['b', 'a', 'c'] * 10)",
    "lab(30) + 0.5",
    "lab(30).astype(np.float64)",
    "lab(30) - 5",
    "lab(30) * 3 + 1",
    "np.zeros(30)",
    "lab(29)",
    "lab(30)[:, None]",
    "lab(30).reshape(15, 2)",
    "np.r_[lab(29), nan]",
    "lab(30, 2)",
    "lab(30, 2).astype(bool)",
    "lab(30).tolist()",
    "lab(30, 5)",
    "np.array([0, 1, 'a'] * 10, dtype=object)",
    "[None] * 30",
    "lab(30, 30)",
    "np.r_[np.zeros(29), 1]",
]
XP = [
    "x(5, 3)",
    "x(5, 4)",
    "x(0, 3)",
    "x(5)",
    "np.full((5, 3), nan)",
    "x(5, 3).tolist()",
    "x(1, 3)",
]


def multiclass_cases() -> list[tuple[str, dict[str, list[str]]]]:
    C: list[tuple[str, dict[str, list[str]]]] = []
    ests = ["OVR()", "OVO()", "OVR(PredOnly())"]
    C.append(case("OUT({e}, {X}, {y}, {Xp})", e=ests, X=XS, y=YS, Xp=XP))
    C.append(case("OUT(OC(), {X}, {y}, {Xp})", X=XS, y=YS, Xp=XP))
    for method in ["predict", "decision_function", "predict_proba"]:
        C.append(
            case(
                f"VAL({{e}}, x({{n}}, {{d}}, {{k}}), lab({{n}}, {{k}}), x(9, {{d}}, {{k}}), '{method}')",
                e=["OVR()", "OVO()"],
                n=["30", "60", "7"],
                d=["3", "1", "5"],
                k=["3", "2", "4", "5", "7"],
            )
        )
    for method in ["predict", "decision_function", "predict_proba"]:
        C.append(
            case(
                f"VAL({{e}}(Scripted({{k}})), SX(3 * {{k}}, {{k}}), lab(3 * {{k}}, {{k}}), SP(40, {{k}}, {{ints}}), '{method}')",
                e=["OVR", "OVO"],
                k=["3", "2", "4", "5"],
                ints=["False", "True"],
            )
        )
    C.append(
        case(
            "VAL({e}, x(40, 3, 4), {y}, x(6, 3, 4))",
            e=["OVR()", "OVO()", "OVR(PredOnly())", "OVO(Hard())", "OVR(Hard())"],
            y=[
                "lab(40, 4) * 3 + 1",
                "np.array(['d', 'c', 'b', 'a'] * 10)",
                "lab(40, 4).astype(np.float64) / 2",
                "lab(40, 4) - 2",
                "np.array([10, -1, 3, 7] * 10, dtype=np.int32)",
            ],
        )
    )
    C.append(
        case(
            "VAL(OCX(x({n}, 2, {k}), lab({n}, {k}), {cs}, {s}), x({n}, 2, {k}), lab({n}, {k}), x(12, 2, {k}))",
            n=["40", "24"],
            k=["3", "4", "5", "6"],
            cs=["1.5", "2", "3", "4"],
            s=["0", "1", "2", "3", "4", "5"],
        )
    )
    C.append(
        case(
            "OUT(OC(code_size={cs}), x(30, 3), lab(30), x(5, 3))",
            cs=[
                "1.5",
                "0",
                "-1",
                "0.1",
                "0.4",
                "1",
                "100",
                "'a'",
                "None",
                "True",
                "nan",
                "inf",
                "np.float64(2)",
            ],
        )
    )
    C.append(case("OUT({e}, {X}, {y}, {Xp})", e=["TREE()", "SOFTMAX()"], X=XS, y=YS, Xp=XP))
    C.append(
        case(
            "NOFIT({e}, {m}, x(5, 3))",
            e=["OVR()", "OVO()", "OC()", "TREE()", "SOFTMAX()"],
            m=["'predict'", "'decision_function'", "'predict_proba'"],
        )
    )
    C.append(
        case(
            "{e}.fit(x(30, 3), lab(30)).score(x(30, 3), {y})",
            e=["OVR()", "OVO()"],
            y=["lab(30)", "lab(29)", "lab(30).astype(str)", "lab(30)[:, None]"],
        )
    )
    C.append(
        case(
            "len({e}.fit(x(30, 3), lab(30, {k})).estimators_)",
            e=["OVR()", "OVO()"],
            k=["3", "2", "4"],
        )
    )
    return C


def build_cases() -> list[tuple[str, dict[str, list[str]]]]:
    return data_cases() + multiclass_cases()


if __name__ == "__main__":
    torch.set_num_threads(1)
    audit_main(build_cases, extra=20, make_lib=Side, backward=False)
