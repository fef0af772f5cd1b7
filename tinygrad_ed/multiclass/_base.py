"""What every estimator of ``tinygrad_ed.multiclass`` shares: parameters, validation, randomness.

scikit-learn's conventions without depending on scikit-learn: constructor arguments are stored
unchanged as attributes (so ``get_params``/``set_params``/``clone`` work, and with them
``sklearn.model_selection`` by duck typing), fitted state ends in ``_``, ``fit`` returns ``self``,
and labels may be any values — they are mapped to ``0 … C−1`` through ``classes_``.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import numbers
from collections.abc import Iterator
from typing import Any, TypeAlias, TypeVar

import numpy as np
from numpy.typing import NDArray

from ..random import _numpy_generator
from ..tensor import Tensor

RandomState: TypeAlias = int | np.random.Generator | None
"""An int seed (reproducible), a numpy Generator (shared state), or None (the library generator
reseeded by ``tinygrad_ed.manual_seed``)."""

E = TypeVar("E", bound="Estimator")


class NotFittedError(ValueError, AttributeError):
    """``predict`` & co. called before ``fit`` (scikit-learn's ``NotFittedError``)."""


def check_random_state(random_state: RandomState) -> np.random.Generator:
    """A numpy Generator from a seed, a Generator, or None (the library's global generator)."""
    if random_state is None:
        return _numpy_generator()
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool):
        return np.random.default_rng(int(random_state))
    raise TypeError(
        f"random_state must be an int, a numpy Generator or None, got {type(random_state).__name__}"
    )


def is_real(value: Any) -> bool:
    """A real number, numpy scalars included (a grid search passes np.int64 and np.float64),
    bools excluded."""
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def binary_scores(scores: NDArray[np.float64]) -> NDArray[np.float64]:
    """scikit-learn's shape for ``decision_function``: (n, C), but for two classes (n,), the
    score of ``classes_[1]`` minus that of ``classes_[0]``, whose sign gives the prediction."""
    if scores.shape[1] == 2:
        return np.asarray(scores[:, 1] - scores[:, 0])
    return scores


def clone(estimator: Any) -> Any:
    """A new unfitted estimator with the same parameters (``sklearn.base.clone``).

    Parameters that are estimators themselves are cloned recursively; the others are deep-copied,
    so the clone shares nothing mutable with the original.
    """
    if not hasattr(estimator, "get_params") or isinstance(estimator, type):
        raise TypeError(f"clone(): {estimator!r} is not an estimator (it has no get_params method)")
    params = estimator.get_params(deep=False)
    return type(estimator)(
        **{
            k: clone(v)
            if hasattr(v, "get_params") and not isinstance(v, type)
            else copy.deepcopy(v)
            for k, v in params.items()
        }
    )


class Estimator:
    """Base class: get_params, set_params, score and repr, read off ``__init__``'s signature.

    scikit-learn equivalent: ``BaseEstimator`` + ``ClassifierMixin``. Subclasses must store every
    constructor argument unchanged under its own name and validate it in ``fit`` only.
    """

    _estimator_type = "classifier"

    @classmethod
    def _param_names(cls) -> list[str]:
        skip = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
        sig = inspect.signature(cls.__init__)
        return [p.name for p in sig.parameters.values() if p.name != "self" and p.kind not in skip]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor arguments; ``deep`` adds a base estimator's, as ``estimator__lr``."""
        out: dict[str, Any] = {}
        for name in self._param_names():
            value = getattr(self, name)
            out[name] = value
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update({f"{name}__{k}": v for k, v in value.get_params(deep=True).items()})
        return out

    def set_params(self: E, **params: Any) -> E:
        """Set constructor arguments (``estimator__lr=0.1`` reaches into the base estimator)."""
        valid = self._param_names()
        nested: dict[str, dict[str, Any]] = {}
        for key, value in params.items():
            name, sep, sub = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"{type(self).__name__}.set_params(): invalid parameter {name!r}; "
                    f"valid parameters are {valid}"
                )
            if sep:
                nested.setdefault(name, {})[sub] = value
            else:
                setattr(self, name, value)
        for name, sub_params in nested.items():
            inner = getattr(self, name)
            if not hasattr(inner, "set_params"):
                raise ValueError(
                    f"{type(self).__name__}.set_params(): {name} is {inner!r}, which has no "
                    f"parameters to set ({', '.join(sub_params)}); pass {name}=<an estimator> first"
                )
            inner.set_params(**sub_params)
        return self

    def score(self, X: Any, y: Any) -> float:
        """Accuracy: the fraction of rows whose predicted label equals ``y``."""
        y_arr = _as_labels(y, type(self).__name__ + ".score")
        pred = self.predict(X)  # type: ignore[attr-defined]
        known = np.asarray(self.classes_)
        if {known.dtype.kind, y_arr.dtype.kind} & set(
            "US"
        ) and known.dtype.kind != y_arr.dtype.kind:
            # strings never equal numbers: the accuracy would be a silent 0 (sklearn refuses too)
            raise ValueError(
                f"{type(self).__name__}.score(): y holds {y_arr.dtype} labels but the classes "
                f"are {known.dtype} ({known.tolist()[:5]}); use labels of the kind fitted on"
            )
        if len(pred) != len(y_arr):
            raise ValueError(
                f"{type(self).__name__}.score(): X has {len(pred)} rows but y has {len(y_arr)}"
            )
        return float(np.mean(pred == y_arr))

    def __sklearn_tags__(self) -> Any:
        """scikit-learn ≥ 1.6 asks every estimator for its tags (only scikit-learn calls this)."""
        from sklearn.utils import ClassifierTags, InputTags, Tags, TargetTags

        return Tags(
            estimator_type="classifier",
            target_tags=TargetTags(required=True),
            classifier_tags=ClassifierTags(),
            input_tags=InputTags(),
        )

    def __repr__(self) -> str:
        sig = inspect.signature(type(self).__init__)
        shown = []
        for name in self._param_names():
            value = getattr(self, name)
            default = sig.parameters[name].default
            if isinstance(value, np.ndarray) or (value is not default and value != default):
                shown.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(shown)})"

    # ------------------------------------------------------------------ validation helpers

    def _check_fitted(self, fn: str) -> None:
        if not hasattr(self, "classes_"):
            raise NotFittedError(
                f"{type(self).__name__}.{fn}(): this {type(self).__name__} is not fitted yet; "
                "call fit(X, y) first"
            )

    def _fit_data(
        self, X: Any, y: Any
    ) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[Any]]:
        """Validate ``(X, y)``: X as float64, y as indices 0 … C−1 into the sorted labels.

        Sets nothing: ``fit`` calls ``_fitted`` only once training has succeeded, so a failed
        fit never leaves an estimator that looks fitted.
        """
        fn = f"{type(self).__name__}.fit()"
        X_arr = check_X(X, fn)
        y_arr = _as_labels(y, fn)
        if X_arr.shape[0] != y_arr.shape[0]:
            raise ValueError(
                f"{fn}: X and y have different lengths: X has shape {X_arr.shape}, "
                f"y has shape {y_arr.shape}"
            )
        try:
            classes, y_idx = np.unique(y_arr, return_inverse=True)
        except TypeError:  # objects that cannot be ordered, e.g. None among the labels
            kinds = sorted({type(v).__name__ for v in y_arr.tolist()})
            raise TypeError(
                f"{fn}: y's labels cannot be sorted into classes (types {', '.join(kinds)}); "
                "use labels of one kind: numbers or strings"
            ) from None
        if len(classes) < 2:
            raise ValueError(
                f"{fn}: y has only one class ({classes[0]!r} in all {len(y_arr)} rows); "
                "a classifier needs examples of at least two classes"
            )
        return X_arr, y_idx.reshape(-1).astype(np.int64), classes

    def _fitted(self, classes: NDArray[Any], n_features: int) -> None:
        self.classes_ = classes
        self.n_features_in_ = n_features

    def _predict_data(self, X: Any, fn: str) -> NDArray[np.float64]:
        self._check_fitted(fn)
        return check_X(X, f"{type(self).__name__}.{fn}()", self.n_features_in_)


def check_X(X: Any, fn: str, n_features: int | None = None) -> NDArray[np.float64]:
    """X as a float64 array of shape (n_samples, n_features), finite, with the expected width."""
    if hasattr(X, "toarray") and not isinstance(X, np.ndarray):  # scipy.sparse
        raise TypeError(f"{fn}: X is a sparse matrix; pass a dense array (X.toarray())")
    try:
        arr = X.data if isinstance(X, Tensor) else np.asarray(X)
    except ValueError:  # ragged rows
        raise ValueError(f"{fn}: X's rows have different lengths; X must be 2-D") from None
    if arr.ndim != 2:
        raise ValueError(f"{fn}: X must be 2-D (n_samples, n_features), got shape {arr.shape}")
    if arr.shape[1] == 0:
        raise ValueError(f"{fn}: X has no features (shape {arr.shape})")
    if arr.dtype.kind == "O":  # numbers held as objects (a DataFrame's .values): as sklearn
        with contextlib.suppress(TypeError, ValueError):
            arr = arr.astype(np.float64)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{fn}: X must hold numbers, got dtype {arr.dtype} (shape {arr.shape})")
    if arr.shape[0] == 0:
        raise ValueError(f"{fn}: X has no rows (shape {arr.shape})")
    out = np.asarray(arr, dtype=np.float64)
    if not np.isfinite(out).all():
        i, j = np.argwhere(~np.isfinite(out))[0]
        raise ValueError(
            f"{fn}: X (shape {out.shape}) contains NaN or infinity, first at row {i}, "
            f"column {j}; remove or impute those values"
        )
    if n_features is not None and out.shape[1] != n_features:
        raise ValueError(
            f"{fn}: X has {out.shape[1]} features (shape {out.shape}), but the model was fitted "
            f"on {n_features}"
        )
    return out


def _as_labels(y: Any, fn: str) -> NDArray[Any]:
    arr = y.data if isinstance(y, Tensor) else np.asarray(y)
    if arr.dtype.kind == "U" and not isinstance(y, np.ndarray):
        # numpy turns [1, "a"] into the strings ["1", "a"]: predictions would no longer equal
        # the labels given. scikit-learn refuses the mix too.
        kinds = {isinstance(v, str) for v in np.ravel(np.asarray(y, dtype=object))}
        if len(kinds) > 1:
            raise TypeError(f"{fn}: y mixes strings and numbers; use labels of one kind")
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(f"{fn}: y must be 1-D (one label per row), got shape {arr.shape}")
    if arr.dtype.kind == "f" and np.isnan(arr).any():
        raise ValueError(f"{fn}: y (shape {arr.shape}) contains NaN labels")
    return arr


def batches(
    rng: np.random.Generator, n: int, batch_size: int | None, epochs: int
) -> Iterator[NDArray[np.int64] | None]:
    """Row indices of each SGD step: ``epochs`` passes of ⌈n / batch_size⌉ steps each.

    Every step draws ``batch_size`` rows uniformly at random *with replacement* — for
    ``batch_size=1`` this is the lecture's "pick i ∈ [n] uniformly at random". ``None`` means
    full-batch gradient descent (one deterministic step per epoch, yielded as ``None``).
    """
    if batch_size is None:
        for _ in range(epochs):
            yield None
        return
    steps = -(-n // batch_size)
    for _ in range(epochs):
        # One draw per epoch instead of one per step: the same stream, fewer Python calls.
        yield from rng.integers(0, n, size=(steps, batch_size))


def check_training_params(
    owner: str, lr: float, epochs: int, batch_size: int | None, l2: float, init: str
) -> None:
    """Raise naming the estimator for a learning rate, epoch count, … that cannot work."""
    if not (is_real(lr) and lr > 0 and np.isfinite(lr)):
        raise ValueError(f"{owner}: lr must be a positive number, got {lr!r}")
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 1:
        raise ValueError(f"{owner}: epochs must be a positive int, got {epochs!r}")
    if batch_size is not None and (
        isinstance(batch_size, bool)
        or not isinstance(batch_size, (int, np.integer))
        or batch_size < 1
    ):
        raise ValueError(f"{owner}: batch_size must be a positive int or None, got {batch_size!r}")
    if not (is_real(l2) and l2 >= 0):
        raise ValueError(f"{owner}: l2 must be a non-negative number, got {l2!r}")
    if init not in ("zeros", "normal"):
        raise ValueError(f"{owner}: init must be 'zeros' or 'normal', got {init!r}")
