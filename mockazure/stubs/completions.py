"""A stub hit applied to a legacy completion (README "Stubs"): content, finish reason, usage,
content filter results and stream shape replace what the generator planned; ids, prompt-filter
annotations and api-version specifics stay the generator's.

`content` is the completion of every returned choice (`n` per prompt). It is rendered once per
prompt, with `prompt` (and `prompt_index`) set to that prompt, so a template can answer each of
several prompts. With `echo` the prompt is still put before it; a `suffix` is never part of a
completion, so it is not added either. The text is returned as the rule says: `stop` and
`max_tokens` do not cut a stubbed completion, and `finish_reason` is "stop" unless the rule
names one. Usage is recounted with the deployment's tokenizer: every candidate (`best_of`) is
billed, as the generator bills them; `usage` in the rule overrides single counts (the total
follows unless given). Logprobs, when asked, are recomputed for the new tokens; a stream
reshaped with `chunk_chars` / `chunk_tokens` carries none (its chunks are not tokens).
"""

import random
from dataclasses import dataclass, fields
from typing import Any

from mockazure.generators.completions import (
    PromptInput,
    TextChoice,
    finish_choice,
    read_prompts,
)
from mockazure.generators.completions_render import CompletionPlan
from mockazure.protocol.common import Usage
from mockazure.protocol.completions import CompletionRequest
from mockazure.stubs.book import StubHit
from mockazure.stubs.chat import override_usage, split_content
from mockazure.tokens.tokenizers import Tokenizer


@dataclass
class StubbedCompletionPlan(CompletionPlan):
    usage_override: dict[str, int] | None = None
    filter_override: dict[str, Any] | None = None

    def usage(self) -> Usage:
        return override_usage(super().usage(), self.usage_override)

    def choice_filter(self, choice: TextChoice | None) -> dict[str, Any]:
        if self.filter_override is not None:
            return {"content_filter_results": self.filter_override}
        return super().choice_filter(choice)


def _content_for(hit: StubHit, template: str, prompt: PromptInput, index: int) -> str:
    from mockazure.stubs.templating import render  # jinja2, on first use

    return render(template, {**hit.context, "prompt": prompt.text, "prompt_index": index})


def _restub(
    choice: TextChoice,
    content: str,
    body: CompletionRequest,
    prompt: PromptInput,
    context: tuple[Tokenizer, StubHit, int],
) -> None:
    tokenizer, hit, number = context
    choice.completion = content
    choice.completion_tokens = tokenizer.count(content)
    choice.finish_reason = "stop"
    seed = f"stub:{hit.rule_id}:{choice.prompt_index}:{number}"
    finish_choice(choice, body, prompt, tokenizer, random.Random(seed))
    shape = hit.response.stream
    if shape is not None and (shape.chunk_chars or shape.chunk_tokens):
        echo = tokenizer.pieces(choice.echo) if choice.echo else []
        choice.pieces = echo + split_content(content, shape, tokenizer)
        choice.logprobs = None


def apply_completion_stub(
    plan: CompletionPlan, hit: StubHit, body: CompletionRequest, tokenizer: Tokenizer
) -> StubbedCompletionPlan:
    response = hit.response
    values = {f.name: getattr(plan, f.name) for f in fields(plan)}
    if response.content is not None:
        prompts = read_prompts(body, tokenizer)
        contents = [_content_for(hit, response.content, p, i) for i, p in enumerate(prompts)]
        for number, choice in enumerate(plan.choices):
            prompt = prompts[choice.prompt_index]
            context = (tokenizer, hit, number)
            _restub(choice, contents[choice.prompt_index], body, prompt, context)
        per_candidate = sum(tokenizer.count(content) for content in contents)
        values["completion_tokens"] = per_candidate * body.candidates_per_prompt
    if response.finish_reason is not None:
        for choice in plan.choices:
            choice.finish_reason = response.finish_reason
    usage = response.usage
    return StubbedCompletionPlan(
        **values,
        usage_override=usage.model_dump(exclude_none=True) if usage else None,
        filter_override=response.content_filter_results,
    )
