"""The predictor: physics features, learned corrections, intervals, evaluation.

`advisor.predict.predict(requests)` is the entry point; scikit-learn is imported only to fit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from advisor.predict.api import predict

__all__ = ["predict"]


def __getattr__(name: str) -> Any:
    if name == "predict":
        from advisor.predict.api import predict

        return predict
    raise AttributeError(name)
