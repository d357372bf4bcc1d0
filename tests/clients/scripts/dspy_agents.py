"""DSPy against mockazure (issue 15): its adapters parse mockazure's answers without stubs.

Runs in its own environment (tests/envs.py). DSPy reaches Azure through litellm's `azure/`
provider: `api_base` is the resource URL, the deployment is the model name.
"""

import os
from typing import Any, Literal

# Before litellm is imported: offline, so no fetch of its model cost map; no disk cache.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("DSPY_CACHEDIR", os.path.join(os.getcwd(), ".dspy_cache"))

import dspy
from _harness import KEY, URL, run
from dspy.streaming import StreamListener, StreamResponse


def lm(**extra: Any) -> dspy.LM:
    return dspy.LM(
        "azure/gpt-4o",
        api_base=URL,
        api_key=KEY,
        api_version="2024-10-21",
        cache=False,
        num_retries=0,
        **extra,
    )


# No fallback: a ChatAdapter answer mockazure got wrong fails here instead of being retried
# through the JSONAdapter (structured outputs), which would hide it.
dspy.configure(lm=lm(), adapter=dspy.ChatAdapter(use_json_adapter_fallback=False))


class Sentiment(dspy.Signature):
    """Classify the sentiment of a review."""

    review: str = dspy.InputField()
    sentiment: Literal["positive", "negative", "neutral"] = dspy.OutputField()
    confidence: float = dspy.OutputField()


def predict() -> dict[str, Any]:
    result = dspy.Predict("question -> answer")(question="What is the capital of France?")
    typed = dspy.Predict(Sentiment)(review="I loved this film, the acting was superb.")
    return {
        "answer": result.answer,
        "sentiment": typed.sentiment,
        "confidence": typed.confidence,
    }


def chain_of_thought() -> dict[str, Any]:
    result = dspy.ChainOfThought("question -> answer: int")(question="How many legs has a cat?")
    return {"reasoning": result.reasoning, "answer": result.answer}


def json_adapter() -> dict[str, Any]:
    with dspy.context(adapter=dspy.JSONAdapter()):
        result = dspy.Predict("question -> answer, keywords: list[str]")(
            question="Why is the sky blue?"
        )
    return {"answer": result.answer, "keywords": result.keywords}


CALLS: list[dict[str, Any]] = []


def get_weather(city: str) -> str:
    """Get the current weather in a city."""
    CALLS.append({"city": city})
    return f"It is sunny and 21 degrees in {city}."


def react() -> dict[str, Any]:
    CALLS.clear()
    agent = dspy.ReAct("question -> answer", tools=[get_weather], max_iters=5)
    result = agent(question="What is the weather in Lisbon?")
    return {
        "answer": result.answer,
        "calls": list(CALLS),
        "trajectory": {k: str(v) for k, v in result.trajectory.items()},
    }


def react_json() -> dict[str, Any]:
    """ReAct through the JSONAdapter: `dict[str, Any]` arguments cannot be strict structured
    output, so DSPy sends json_object mode with the fields described in the prompt."""
    with dspy.context(adapter=dspy.JSONAdapter()):
        return react()


async def streaming() -> dict[str, Any]:
    program = dspy.streamify(
        dspy.Predict("question -> answer"),
        stream_listeners=[StreamListener(signature_field_name="answer")],
    )
    chunks: list[str] = []
    final = None
    async for item in program(question="What is the capital of France?"):
        if isinstance(item, StreamResponse):
            chunks.append(item.chunk)
        elif isinstance(item, dspy.Prediction):
            final = item.answer
    return {"chunks": chunks, "final": final}


if __name__ == "__main__":
    run(
        {
            "predict": predict,
            "chain_of_thought": chain_of_thought,
            "json_adapter": json_adapter,
            "react": react,
            "react_json": react_json,
            "streaming": streaming,
        }
    )
