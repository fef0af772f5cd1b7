"""torch's functions removed since 1.9, which torch 2.13 still names: ``eig``, ``lstsq``,
``solve``, ``symeig`` (functions and methods) and ``Tensor.reinforce``. Each raises torch's
RuntimeError, whose text says what replaces it (``linalg.eig``, ``linalg.lstsq``,
``linalg.solve``, ``linalg.eigh``, ``torch.distributions``), so code written for old torch
fails with that advice rather than an AttributeError. (``out=``, which torch's lstsq, solve
and symeig take, is added as to every such function: see ``_out_arg``.)
"""

from __future__ import annotations

from typing import Any, NoReturn

_GONE = "This function was deprecated since version 1.9 and is now removed. "

# torch 2.13's words
MESSAGES = {
    "eig": _GONE
    + "`torch.linalg.eig` returns complex tensors of dtype `cfloat` or `cdouble` rather than "
    "real tensors mimicking complex tensors.\n\nL, _ = torch.eig(A) should be replaced with:\n"
    "L_complex = torch.linalg.eigvals(A)\n\nand\n\nL, V = torch.eig(A, eigenvectors=True) "
    "should be replaced with:\nL_complex, V_complex = torch.linalg.eig(A)",
    "lstsq": _GONE
    + "`torch.lstsq` is deprecated in favor of `torch.linalg.lstsq`.\n`torch.linalg.lstsq` has "
    "reversed arguments and does not return the QR decomposition in the returned tuple "
    "(although it returns other information about the problem).\n\nTo get the QR decomposition "
    "consider using `torch.linalg.qr`.\n\nThe returned solution in `torch.lstsq` stored the "
    "residuals of the solution in the last m - n columns of the returned value whenever m > n. "
    "In torch.linalg.lstsq, the residuals are in the field 'residuals' of the returned named "
    "tuple.\n\nThe unpacking of the solution, as in\nX, _ = torch.lstsq(B, A).solution[:A.size(1)]"
    "\nshould be replaced with:\nX = torch.linalg.lstsq(A, B).solution",
    "solve": _GONE
    + "`torch.solve` is deprecated in favor of `torch.linalg.solve`. `torch.linalg.solve` has "
    "its arguments reversed and does not return the LU factorization.\n\nTo get the LU "
    "factorization see `torch.lu`, which can be used with `torch.lu_solve` or "
    "`torch.lu_unpack`.\nX = torch.solve(B, A).solution should be replaced with:\n"
    "X = torch.linalg.solve(A, B)",
    "symeig": _GONE
    + "The default behavior has changed from using the upper triangular portion of the matrix "
    "by default to using the lower triangular portion.\n\nL, _ = torch.symeig(A, upper=upper) "
    "should be replaced with:\nL = torch.linalg.eigvalsh(A, UPLO='U' if upper else 'L')\n\nand"
    "\n\nL, V = torch.symeig(A, eigenvectors=True) should be replaced with:\n"
    "L, V = torch.linalg.eigh(A, UPLO='U' if upper else 'L')",
    "reinforce": "reinforce() was removed.\nUse torch.distributions instead.\nSee "
    "https://pytorch.org/docs/main/distributions.html\n\nInstead of:\n\n"
    "probs = policy_network(state)\naction = probs.multinomial()\n"
    "next_state, reward = env.step(action)\naction.reinforce(reward)\naction.backward()\n\n"
    "Use:\n\nprobs = policy_network(state)\n# NOTE: categorical is equivalent to what used to be "
    "called multinomial\nm = torch.distributions.Categorical(probs)\naction = m.sample()\n"
    "next_state, reward = env.step(action)\nloss = -m.log_prob(action) * reward\n"
    "loss.backward()\n",
}


def removed(name: str) -> NoReturn:
    raise RuntimeError(MESSAGES[name])


def eig(self: Any, eigenvectors: bool = False, *, e: Any = None, v: Any = None) -> NoReturn:
    """``torch.eig``, removed: use ``linalg.eig`` or ``linalg.eigvals``."""
    removed("eig")


def lstsq(input: Any, A: Any) -> NoReturn:
    """``torch.lstsq``, removed: use ``linalg.lstsq(A, B)`` (arguments reversed)."""
    removed("lstsq")


def solve(input: Any, A: Any) -> NoReturn:
    """``torch.solve``, removed: use ``linalg.solve(A, B)`` (arguments reversed)."""
    removed("solve")


def symeig(input: Any, eigenvectors: bool = False, upper: bool = True) -> NoReturn:
    """``torch.symeig``, removed: use ``linalg.eigh`` or ``linalg.eigvalsh``."""
    removed("symeig")
