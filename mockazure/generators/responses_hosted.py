"""Built-in (hosted) tools, simulated deterministically: `web_search_preview`, `file_search` and
`code_interpreter` run "on the service", so one response holds the tool's call item and then a
message that uses it (spec `OpenAI.WebSearchToolCallItemResource`, `FileSearch…`,
`CodeInterpreter…`). The model calls one when `tool_choice` names it, or on `auto`/`required`
when the request offers hosted tools and no functions. Search results and logs only appear when
`include` asks for them (`file_search_call.results`, `code_interpreter_call.outputs`).
`image_generation` draws a real picture with the images generator (no partial images: Azure's
tool does not stream them, azure-v1-and-responses.md §3). `mcp` is in `responses_mcp`.
`computer_use_preview` and `local_shell` are accepted and answered in text (not simulated).
"""

import base64
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mockazure.generators import images, text
from mockazure.protocol.responses import ResponseCreateRequest
from mockazure.protocol.responses_objects import (
    CodeInterpreterCallOutput,
    FileSearchCallOutput,
    HostedCallOutput,
    ImageGenerationCallOutput,
    WebSearchCallOutput,
)
from mockazure.protocol.responses_tools import (
    CodeInterpreterTool,
    FileSearchTool,
    HostedToolChoice,
    ImageGenerationTool,
    McpChoice,
    McpTool,
    Tool,
    WebSearchPreviewTool,
)

NewId = Callable[[str, int], str]
SIMULATED = (
    WebSearchPreviewTool,
    FileSearchTool,
    CodeInterpreterTool,
    ImageGenerationTool,
    McpTool,
)
DEFAULT_IMAGE_SIZE = "1024x1024"


@dataclass(frozen=True)
class HostedResult:
    item: HostedCallOutput
    text: str  # the answer that uses it
    annotations: list[dict[str, Any]]


def hosted_tool(body: ResponseCreateRequest) -> Tool | None:
    """The hosted tool this turn calls, if any."""
    offered = [t for t in body.tools or () if isinstance(t, SIMULATED)]
    choice = body.tool_choice
    if isinstance(choice, McpChoice):
        return next((t for t in offered if isinstance(t, McpTool)), None)
    if isinstance(choice, HostedToolChoice):
        wanted = choice.type.split("_2025")[0]  # web_search_preview_2025_03_11 is the same tool
        return next((t for t in offered if t.type.split("_2025")[0] == wanted), None)
    if choice in (None, "auto", "required") and offered and not body.function_tools:
        return offered[0]
    return None


def _slug(words: list[str]) -> str:
    return "-".join(w.lower() for w in words) or "overview"


def _web_search(hint: str, new_id: NewId, rng: random.Random) -> HostedResult:
    words = text.salient_words(hint, 3)
    item = WebSearchCallOutput(
        id=new_id("ws_", 0), action={"type": "search", "query": hint[:200] or "overview"}
    )
    title = " ".join(words).title() or "Overview"
    reply = text.compose_reply(hint, rng)
    answer = f"According to a web search, {reply[0].lower()}{reply[1:]} Source: {title}."
    start = answer.rindex(title)
    citation = {
        "type": "url_citation",
        "url": f"https://www.example.com/{_slug(words)}",
        "title": title,
        "start_index": start,
        "end_index": start + len(title),
    }
    return HostedResult(item, answer, [citation])


def _file_search(hint: str, new_id: NewId, rng: random.Random, results: bool) -> HostedResult:
    words = text.salient_words(hint, 2)
    item = FileSearchCallOutput(id=new_id("fs_", 0), queries=[hint[:200] or "overview"])
    if results:
        # Azure's file ids look like `assistant-…` (azure-v1-and-responses.md §3).
        item.results = [
            {
                "file_id": new_id("assistant-", n),
                "filename": f"{_slug(words)}-{n + 1}.pdf",
                "score": round(0.9 - 0.1 * n - rng.random() * 0.05, 4),
                "text": text.compose_reply(hint, rng, min_words=12, max_words=30),
                "attributes": {},
            }
            for n in range(2)
        ]
    answer = "The documents say: " + text.compose_reply(hint, rng)
    return HostedResult(item, answer, [])


def _code(tool: CodeInterpreterTool, hint: str, new_id: NewId, outputs: bool) -> HostedResult:
    words = text.salient_words(hint, 3) or ["result"]
    code = "values = " + repr([len(w) for w in words]) + "\nprint(sum(values))\n"
    logs = f"{sum(len(w) for w in words)}\n"
    container = tool.container if isinstance(tool.container, str) else new_id("cntr_", 0)
    item = CodeInterpreterCallOutput(
        id=new_id("ci_", 0),
        container_id=container,
        code=code,
        outputs=[{"type": "logs", "logs": logs}] if outputs else None,
    )
    answer = f"I ran the code and it printed {logs.strip()}."
    return HostedResult(item, answer, [])


def _image(tool: ImageGenerationTool, hint: str, new_id: NewId, seed: int) -> HostedResult:
    size = tool.size if tool.size not in (None, "auto") else DEFAULT_IMAGE_SIZE
    width, height = (int(n) for n in size.split("x"))
    fmt = tool.output_format or "png"
    canvas = images.Canvas(
        width, height, fmt, tool.output_compression or 100, tool.background == "transparent"
    )
    picture = images.render(hint or "an image", canvas, seed)
    item = ImageGenerationCallOutput(
        id=new_id("ig_", 0),
        result=base64.b64encode(picture).decode(),
        revised_prompt=images.revised_prompt(hint or "an image"),
        output_format=fmt,
        size=size,
    )
    return HostedResult(item, "Here is the image you asked for.", [])


def needs_image(body: ResponseCreateRequest) -> bool:
    return any(isinstance(t, ImageGenerationTool) for t in body.tools or ())


def run_hosted(
    tool: Tool, body: ResponseCreateRequest, hint: str, new_id: NewId, rng: random.Random
) -> HostedResult:
    if isinstance(tool, WebSearchPreviewTool):
        return _web_search(hint, new_id, rng)
    if isinstance(tool, FileSearchTool):
        return _file_search(hint, new_id, rng, body.includes("file_search_call.results"))
    if isinstance(tool, ImageGenerationTool):
        return _image(tool, hint, new_id, rng.getrandbits(32))
    assert isinstance(tool, CodeInterpreterTool)
    return _code(tool, hint, new_id, body.includes("code_interpreter_call.outputs"))
