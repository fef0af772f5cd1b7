"""The lecture's multiclass learning: softmax regression and the reductions to binary problems.

* :class:`SoftmaxRegression` — multinomial logistic regression, ``argmaxₖ wₖᵀx``, trained by SGD
  with the framework's autograd (``batch_size=1``: the lecture's per-example update
  ``W ← W − η (p − e_y) xᵀ``), with deterministic or sampled (randomized) prediction.
* :class:`LogisticRegression` — the binary logistic loss ``ln(1 + e^{−y wᵀx})``; the default base
  learner of the reductions.
* :class:`OneVsRest`, :class:`OneVsOne`, :class:`OutputCode`, :class:`TreeReduction` — reductions
  of C classes to binary classification, each defined by a code matrix (:mod:`.codes`). With the
  default base learner their binary problems are trained together as one batched model.

Every estimator follows scikit-learn's conventions — ``fit(X, y)`` returns self, ``predict``,
``predict_proba`` (rows sum to 1), ``decision_function``, ``score`` (accuracy), ``classes_`` (any
label values), ``get_params``/``set_params`` — so scikit-learn's model selection tools accept them
by duck typing, while scikit-learn itself stays optional. An int ``random_state`` makes an
estimator's own draws (codes, trees, random predictions) reproducible; the default base learner
is deterministic (full batch from zeros), and a base estimator you pass keeps its own
``random_state``.

scikit-learn equivalents: ``sklearn.multiclass`` and ``sklearn.linear_model.LogisticRegression``.
"""

from __future__ import annotations

from ._base import Estimator, NotFittedError, clone
from .codes import (
    check_code,
    code_distances,
    dense_code,
    exhaustive_code,
    min_hamming_distance,
    ovo_code,
    ovr_code,
    sparse_code,
)
from .linear import LogisticRegression, SoftmaxRegression, fit_logistic_problems
from .reductions import OneVsOne, OneVsRest, OutputCode, TreeReduction, pairwise_coupling

__all__ = [
    "Estimator",
    "LogisticRegression",
    "NotFittedError",
    "OneVsOne",
    "OneVsRest",
    "OutputCode",
    "SoftmaxRegression",
    "TreeReduction",
    "check_code",
    "clone",
    "code_distances",
    "dense_code",
    "exhaustive_code",
    "fit_logistic_problems",
    "min_hamming_distance",
    "ovo_code",
    "ovr_code",
    "pairwise_coupling",
    "sparse_code",
]
