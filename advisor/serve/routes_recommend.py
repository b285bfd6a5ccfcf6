"""POST /v1/recommend (a `Questionnaire` in, a `Recommendation` out) and POST /v1/predict
(`PredictRequest`s in, `PredictResult`s out, in order; a bad request fails alone)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from advisor.schema import PredictRequest, PredictResult, Questionnaire, Recommendation
from advisor.serve.body import StrictRoute
from advisor.serve.context import Served, served
from advisor.serve.errors import ServeError, StrictJSONResponse, documented_errors, log
from advisor.serve.models import PredictAnswers, PredictBatch

router = APIRouter(route_class=StrictRoute, responses=documented_errors())


def _recommend(db_url: str | None, q: Questionnaire, prompts: bool) -> dict[str, Any]:
    from advisor.recommend import recommend

    return recommend(q, db_url=db_url, with_prompts=prompts).model_dump(mode="json")


@router.post("/v1/recommend", response_model=Recommendation, tags=["recommend"],
             summary="Recommend a model, quantization and engine")
async def recommend_endpoint(questionnaire: Questionnaire, s: Served = Depends(served),
                             prompts: bool = Query(True, description="include the prompt set of the top candidate")) -> Any:
    """The same answer as `advisor recommend --json` for this questionnaire."""
    if questionnaire.hardware is not None and questionnaire.hardware.detect:
        raise ServeError(422, "invalid: hardware.detect: the server does not detect its own hardware; "
                              "give a catalog name or the facts", [{"field": "hardware.detect", "message": "not over HTTP"}])
    return StrictJSONResponse(await s.read(_recommend, s.gate.db_url, questionnaire, prompts))


def _predict(db_url: str | None, batch: PredictBatch) -> list[PredictResult]:
    """The batch predicted at once; should that fail, each request alone, so that one the
    predictor cannot handle gets its `error` and the others their answers."""
    from advisor.catalog import catalog_snapshot
    from advisor.predict.api import predict_many
    from advisor.predict.predictor import get_predictor

    snap = catalog_snapshot(db_url)
    pred = get_predictor(snap)
    try:
        return predict_many(snap, pred, batch.requests)
    except (ArithmeticError, ValueError) as exc:
        log.warning("predict batch failed (%s); predicting its %d requests one by one", exc, len(batch.requests))

    def alone(req: PredictRequest) -> PredictResult:
        try:
            return predict_many(snap, pred, [req])[0]
        except (ArithmeticError, ValueError) as exc:
            return PredictResult(id=req.id, error=f"cannot be predicted from these figures ({type(exc).__name__}: {exc})")

    return [alone(r) for r in batch.requests]


@router.post("/v1/predict", response_model=PredictAnswers, tags=["predict"],
             summary="Predict speed, memory and scores")
async def predict_endpoint(batch: PredictBatch, s: Served = Depends(served)) -> Any:
    """One result per request, in order, as `advisor predict` writes them."""
    if len(batch.requests) > s.settings.max_predict_batch:
        raise ServeError(422, f"invalid: requests: at most {s.settings.max_predict_batch} per call")
    results = await s.read(_predict, s.gate.db_url, batch)
    return StrictJSONResponse({"results": [r.model_dump(mode="json") for r in results]})
