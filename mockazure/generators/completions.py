"""Legacy completions: what each choice says, decided once and rendered as a `Completion` or a
stream (`completions_render`). Pure and deterministic: same request and seed, same plan.

Choices are prompt-major (azure-surface.md §4.1, as OpenAI orders them): with prompts
[p0, p1] and n=2, indices 0 and 1 answer p0 and indices 2 and 3 answer p1. With `best_of`,
`best_of` candidates are generated per prompt (and billed), and the n with the highest mean
token logprob are returned in generation order.
"""

import random
from dataclasses import dataclass, field
from typing import Any

from mockazure.config import DeploymentSpec
from mockazure.errors import ContextLengthExceeded, InvalidRequest
from mockazure.generators import text
from mockazure.generators.content_filter import ContentFilter, Verdict, strip_markers
from mockazure.generators.logprobs import TextLogprobs, text_logprobs, token_logprobs
from mockazure.protocol.common import FinishReason
from mockazure.protocol.completions import CompletionRequest
from mockazure.tokens.tokenizers import Tokenizer

END_OF_TEXT = "<|endoftext|>"  # the default prompt before 2024-08-01-preview (§4.1)


@dataclass
class PromptInput:
    text: str
    tokens: int


@dataclass
class TextChoice:
    prompt_index: int
    echo: str  # the prompt, when echoed
    completion: str
    finish_reason: FinishReason
    completion_tokens: int
    score: float = 0.0
    logprobs: TextLogprobs | None = None
    filter_results: dict[str, Any] | None = None
    pieces: list[str] = field(default_factory=list)  # echo pieces, then completion pieces

    @property
    def text(self) -> str:
        return self.echo + self.completion


def read_prompts(body: CompletionRequest, tokenizer: Tokenizer) -> list[PromptInput]:
    """The prompts as text with their exact token counts; token ids are decoded."""
    prompt = body.prompt
    if prompt is None:
        return [PromptInput(END_OF_TEXT, 1)]
    if isinstance(prompt, str):
        return [PromptInput(prompt, tokenizer.count(prompt))]
    if not body.is_tokens:
        return [
            PromptInput(item, tokenizer.count(item)) for item in prompt if isinstance(item, str)
        ]
    rows = prompt if isinstance(prompt[0], list) else [prompt]
    return [PromptInput(_decode(row, tokenizer), len(row)) for row in rows]  # type: ignore[arg-type]


def _decode(ids: list[int], tokenizer: Tokenizer) -> str:
    try:
        return tokenizer.decode(ids)
    except (KeyError, ValueError, OverflowError) as exc:
        raise InvalidRequest(
            "Invalid token in 'prompt': every token id must belong to the model's vocabulary.",
            param="prompt",
            code="invalid_value",
        ) from exc


def check_context(
    prompts: list[PromptInput], suffix_tokens: int, limit: int, deployment: DeploymentSpec
) -> None:
    for prompt in prompts:
        used = prompt.tokens + suffix_tokens
        if used + limit > deployment.context_window:
            raise ContextLengthExceeded(deployment.context_window, used, limit, "prompt")


def _cut(
    completion: str, body: CompletionRequest, tokenizer: Tokenizer
) -> tuple[str, FinishReason]:
    hits = [completion.find(stop) for stop in body.stops if stop and stop in completion]
    if hits:
        completion = completion[: min(hits)]
    if tokenizer.count(completion) > body.output_limit:
        return tokenizer.truncate(completion, body.output_limit), "length"
    return completion, "stop"


def _candidate(
    body: CompletionRequest, prompt: PromptInput, rng: random.Random, tokenizer: Tokenizer
) -> tuple[str, FinishReason]:
    topic = strip_markers(prompt.text) if prompt.text != END_OF_TEXT else ""
    words = rng.randint(12, 60)
    completion = text.compose_completion(topic, rng, words=words)
    if body.suffix:  # insert mode: end the insertion so it flows into the suffix
        completion = completion.rstrip(".") + "."
        completion += "" if body.suffix[:1].isspace() else " "
    return _cut(completion, body, tokenizer)


def plan_prompt_choices(
    body: CompletionRequest,
    index: int,
    prompt: PromptInput,
    seed: int,
    tokenizer: Tokenizer,
    screen: ContentFilter,
) -> tuple[list[TextChoice], int]:
    """The returned choices for one prompt, and the completion tokens of all candidates."""
    candidates: list[TextChoice] = []
    billed = 0
    for number in range(body.candidates_per_prompt):
        rng = random.Random(f"{seed}:{index}:{number}")
        completion, finish = _candidate(body, prompt, rng, tokenizer)
        choice = TextChoice(index, "", completion, finish, tokenizer.count(completion))
        billed += choice.completion_tokens
        pieces = tokenizer.pieces(completion)
        scores = [entry.logprob for entry in token_logprobs(pieces, 0, rng)]
        choice.score = sum(scores) / len(scores) if scores else 0.0
        _filter(choice, screen.screen_output(prompt.text, completion), screen, tokenizer)
        candidates.append(choice)
    best = sorted(range(len(candidates)), key=lambda i: -candidates[i].score)
    keep = sorted(best[: body.choices_per_prompt])
    chosen = [candidates[i] for i in keep]
    for number, choice in enumerate(chosen):
        finish_choice(choice, body, prompt, tokenizer, random.Random(f"{seed}:{index}:lp:{number}"))
    return chosen, billed


def _filter(choice: TextChoice, verdict: Verdict, screen: ContentFilter, tok: Tokenizer) -> None:
    choice.filter_results = verdict.results
    if verdict.is_blocked:
        pieces = tok.pieces(choice.completion)
        choice.completion = "".join(pieces[: screen.cut_point(verdict, pieces)])
        choice.finish_reason = "content_filter"


def finish_choice(
    choice: TextChoice,
    body: CompletionRequest,
    prompt: PromptInput,
    tokenizer: Tokenizer,
    rng: random.Random,
) -> None:
    """Echo and logprobs. `text_offset` counts characters from the start of the prompt, so
    without `echo` the first offset is the prompt's length (as OpenAI reports it)."""
    echo_pieces = tokenizer.pieces(prompt.text) if body.echo else []
    if body.echo:
        choice.echo = prompt.text
    choice.pieces = echo_pieces + tokenizer.pieces(choice.completion)
    if body.logprobs is None:
        return
    offset = 0 if body.echo else len(prompt.text)
    choice.logprobs = text_logprobs(
        choice.pieces, body.logprobs, rng, offset=offset, unscored=1 if echo_pieces else 0
    )
