"""The predictor: physics features, learned corrections, intervals, evaluation.

`advisor.predict.predict(requests)` is the entry point; scikit-learn is imported only to fit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from advisor.callable_module import make_callable

if TYPE_CHECKING:  # pragma: no cover
    from advisor.predict.api import predict

__all__ = ["predict"]


def _api_predict() -> Any:
    from advisor.predict.api import predict

    return predict


def __getattr__(name: str) -> Any:
    if name == "predict":
        return _api_predict()
    raise AttributeError(name)


make_callable(__name__, _api_predict)
