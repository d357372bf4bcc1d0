"""Render a completions plan as a `Completion` or as Azure's stream (azure-surface.md §5.3,
§9f): the prompt-filter event first, then per choice one `text_completion` event per token
with `content_filter_results`, the finish event, the usage event when asked, `[DONE]`."""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from mockazure.config import DeploymentSpec
from mockazure.determinism import IdFactory
from mockazure.generators.chat_render import response_model_name
from mockazure.generators.completions import (
    PromptInput,
    TextChoice,
    check_context,
    plan_prompt_choices,
    read_prompts,
)
from mockazure.generators.content_filter import (
    ANNOTATION_EVERY_PIECES,
    ContentFilter,
    annotation_offsets,
    safe_choice_results,
)
from mockazure.generators.logprobs import TextLogprobs
from mockazure.protocol.common import PromptFilterResult, Usage
from mockazure.protocol.completions import (
    Completion,
    CompletionChoice,
    CompletionLogprobs,
    CompletionRequest,
)
from mockazure.tokens.tokenizers import get_tokenizer
from mockazure.versions import ResponseFeatures


@dataclass
class CompletionPlan:
    id: str
    created: int
    model: str
    fingerprint: str
    features: ResponseFeatures
    prompt_tokens: int
    completion_tokens: int
    prompt_results: list[dict[str, Any]]
    choices: list[TextChoice]
    include_usage: bool = False
    async_filter: bool = False

    def usage(self) -> Usage:
        total = self.prompt_tokens + self.completion_tokens
        return Usage(
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            total_tokens=total,
        )

    def header(self) -> dict[str, Any]:
        head: dict[str, Any] = {"id": self.id, "created": self.created, "model": self.model}
        if self.features.system_fingerprint:
            head["system_fingerprint"] = self.fingerprint
        return head

    def prompt_filter(self) -> dict[str, Any]:
        key = self.features.prompt_filter_key
        if key is None:
            return {}
        return {
            key: [
                PromptFilterResult(prompt_index=i, content_filter_results=results)
                for i, results in enumerate(self.prompt_results)
            ]
        }

    def choice_filter(self, choice: TextChoice | None) -> dict[str, Any]:
        if self.features.prompt_filter_key is None:
            return {}
        results = choice.filter_results if choice is not None else None
        return {"content_filter_results": results or safe_choice_results(self.features)}


def completion_prompts(body: CompletionRequest, deployment: DeploymentSpec) -> list[PromptInput]:
    """The prompts, tokenized and checked against the context window (with the suffix)."""
    tokenizer = get_tokenizer(deployment.tokenizer)
    prompts = read_prompts(body, tokenizer)
    suffix_tokens = tokenizer.count(body.suffix) if body.suffix else 0
    check_context(prompts, suffix_tokens, body.output_limit, deployment)
    return prompts


def prompt_tokens_of(
    prompts: list[PromptInput], body: CompletionRequest, deployment: DeploymentSpec
) -> int:
    suffix = get_tokenizer(deployment.tokenizer).count(body.suffix) if body.suffix else 0
    return sum(p.tokens + suffix for p in prompts)


def plan_completions(
    body: CompletionRequest,
    deployment: DeploymentSpec,
    features: ResponseFeatures,
    seed: int,
    ids: IdFactory,
    created: int,
    include_usage: bool,
    prompts: list[PromptInput] | None = None,
) -> CompletionPlan:
    """The whole answer; `prompts` as `completion_prompts` read them, if it did."""
    tokenizer = get_tokenizer(deployment.tokenizer)
    if prompts is None:
        prompts = completion_prompts(body, deployment)
    suffix_tokens = tokenizer.count(body.suffix) if body.suffix else 0
    screen = ContentFilter(deployment, features)
    prompt_results = screen.screen_prompts([p.text for p in prompts])  # raises when blocked
    choices: list[TextChoice] = []
    billed = 0
    for index, prompt in enumerate(prompts):
        chosen, tokens = plan_prompt_choices(body, index, prompt, seed, tokenizer, screen)
        choices += chosen
        billed += tokens
    digest = hashlib.sha256(f"{deployment.model}:{deployment.version}".encode()).hexdigest()
    return CompletionPlan(
        id=ids.token("cmpl-", request_seed=seed),
        created=created,
        model=response_model_name(deployment),
        fingerprint=f"fp_{digest[:10]}",
        features=features,
        prompt_tokens=sum(p.tokens + suffix_tokens for p in prompts),
        completion_tokens=billed,
        prompt_results=prompt_results,
        choices=choices,
        include_usage=include_usage,
        async_filter=screen.asynchronous and screen.annotates,
    )


def _logprobs(found: TextLogprobs | None, start: int = 0, end: int | None = None) -> Any:
    if found is None:
        return None
    window = slice(start, end)
    return CompletionLogprobs(
        tokens=found.tokens[window],
        token_logprobs=found.token_logprobs[window],
        top_logprobs=found.top_logprobs[window],
        text_offset=found.text_offset[window],
    )


def complete_text(plan: CompletionPlan) -> Completion:
    choices = [
        CompletionChoice(
            text=choice.text,
            index=index,
            finish_reason=choice.finish_reason,
            logprobs=_logprobs(choice.logprobs),
            **plan.choice_filter(choice),
        )
        for index, choice in enumerate(plan.choices)
    ]
    return Completion(
        object="text_completion",
        **plan.header(),
        **plan.prompt_filter(),
        choices=choices,
        usage=plan.usage(),
    )


def _event(plan: CompletionPlan, choice: CompletionChoice) -> Completion:
    event = Completion(object="text_completion", **plan.header(), choices=[choice])
    if plan.include_usage:
        event.usage = None
    return event


def _annotation(
    plan: CompletionPlan, index: int, choice: TextChoice | None, start: int, end: int
) -> Completion:
    """Asynchronous-filter annotation (§9f); `text: ""` kept so clients that index `text` on
    every event (LangChain's legacy `AzureOpenAI`) do not fail."""
    offsets = {"check_offset": start, "start_offset": start, "end_offset": end}
    body = CompletionChoice(
        text="",
        index=index,
        finish_reason=None,
        **plan.choice_filter(choice),
        content_filter_offsets=offsets,
    )
    return Completion(id="", object="", created=0, model="", choices=[body], usage=None)


def _choice_events(plan: CompletionPlan, index: int, choice: TextChoice) -> Iterator[Completion]:
    blocked = choice.finish_reason == "content_filter"
    inline = {} if plan.async_filter else plan.choice_filter(None if blocked else choice)
    pending: list[Completion] = []
    for start, end, first, last in annotation_offsets(choice.pieces, ANNOTATION_EVERY_PIECES):
        for number in range(start, end):
            yield _event(
                plan,
                CompletionChoice(
                    text=choice.pieces[number],
                    index=index,
                    finish_reason=None,
                    logprobs=_logprobs(choice.logprobs, number, number + 1),
                    **inline,
                ),
            )
        if plan.async_filter:
            yield from pending
            final = end == len(choice.pieces)
            pending = [_annotation(plan, index, choice if final else None, first, last)]
    if blocked:
        yield from pending
        pending = []
    finish = plan.choice_filter(choice) if blocked else plan.choice_filter(None)
    yield _event(
        plan,
        CompletionChoice(
            text="", index=index, finish_reason=choice.finish_reason, logprobs=None, **finish
        ),
    )
    yield from pending


def iter_text_chunks(plan: CompletionPlan) -> Iterator[Completion]:
    prompt_filter = plan.prompt_filter()
    if prompt_filter:
        yield Completion(id="", object="", created=0, model="", choices=[], **prompt_filter)
    for index, choice in enumerate(plan.choices):
        yield from _choice_events(plan, index, choice)
    if plan.include_usage:
        yield Completion(object="text_completion", **plan.header(), choices=[], usage=plan.usage())
