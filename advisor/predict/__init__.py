"""The predictor: physics features, learned corrections, intervals, evaluation.

`advisor.predict.predict(requests)` is the entry point; scikit-learn is imported only to fit.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from advisor.predict.api import predict

__all__ = ["predict"]


def __getattr__(name: str) -> Any:
    if name == "predict":
        from advisor.predict.api import predict

        return predict
    raise AttributeError(name)



class _CallableModule(types.ModuleType):
    """`advisor.predict(...)` stays a function call even once this package has been imported
    and bound as the attribute `advisor.predict`."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from advisor.predict.api import predict

        return predict(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
