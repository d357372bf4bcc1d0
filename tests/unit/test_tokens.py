import base64
import hashlib
import os
import struct
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import tiktoken_ext.openai_public as openai_public  # type: ignore[import-untyped]

from mockazure.tokens import tokenizers as tokens
from mockazure.tokens.chat import count_chat_prompt_tokens, image_tokens, render_functions
from mockazure.tokens.images import image_size
from mockazure.tokens.tokenizers import Tokenizer, get_tokenizer

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLES = [
    "hello world",
    "Grüße aus Köln, café crème à la française",
    "東京タワーは日本の電波塔です。",
    "emoji 👩‍👩‍👧‍👦 and 🎉🎉 mixed with text",
    "tabs\tand\nnewlines\r\n  indented   spaces   ",
    "<|endoftext|> is text here",
    "",
]

# OpenAI cookbook, "How to count tokens with tiktoken", section 6: the API reported 129 prompt
# tokens for gpt-3.5-turbo/gpt-4 (cl100k_base) and 124 for gpt-4o/gpt-4o-mini (o200k_base).
COOKBOOK_MESSAGES = [
    {
        "role": "system",
        "content": "You are a helpful, pattern-following assistant that translates corporate "
        "jargon into plain English.",
    },
    {
        "role": "system",
        "name": "example_user",
        "content": "New synergies will help drive top-line growth.",
    },
    {
        "role": "system",
        "name": "example_assistant",
        "content": "Things working well together will increase revenue.",
    },
    {
        "role": "system",
        "name": "example_user",
        "content": "Let's circle back when we have more bandwidth to touch base on opportunities "
        "for increased leverage.",
    },
    {
        "role": "system",
        "name": "example_assistant",
        "content": "Let's talk later when we're less busy about how to do better.",
    },
    {
        "role": "user",
        "content": "This late pivot means we don't have time to boil the ocean for the client "
        "deliverable.",
    },
]

# Same notebook, section 7: with this tool the API reported 105 (cl100k) and 101 (o200k).
COOKBOOK_TOOLS: list[dict[str, Any]] = [
    {
        "type": "function",
        "function": {
            "name": "get_current_weather",
            "description": "Get the current weather in a given location",
            "parameters": {
                "type": "object",
                "properties": {
                    "location": {
                        "type": "string",
                        "description": "The city and state, e.g. San Francisco, CA",
                    },
                    "unit": {
                        "type": "string",
                        "description": "The unit of temperature to return",
                        "enum": ["celsius", "fahrenheit"],
                    },
                },
                "required": ["location"],
            },
        },
    }
]
COOKBOOK_TOOL_MESSAGES = [
    {
        "role": "system",
        "content": "You are a helpful assistant that can answer to questions about the weather.",
    },
    {"role": "user", "content": "What's the weather like in San Francisco?"},
]


def _object(properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties, **extra}


RECIPE = {
    "name": "get_recipe",
    "parameters": _object(
        {
            "ingredients": {
                "type": "array",
                "items": _object(
                    {
                        "name": {"type": "string"},
                        "unit": {
                            "enum": ["grams", "ml", "cups", "pieces", "teaspoons"],
                            "type": "string",
                        },
                        "amount": {"type": "number"},
                    },
                    required=["name", "unit", "amount"],
                ),
            },
            "instructions": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Steps to prepare the recipe (no numbering)",
            },
            "time_to_cook": {
                "type": "number",
                "description": "Total time to prepare the recipe in minutes",
            },
        },
        required=["ingredients", "instructions", "time_to_cook"],
    ),
}
NESTED = {
    "name": "bing_bong",
    "description": "Do a bing bong",
    "parameters": _object(
        {
            "foo": _object(
                {"bar": {"type": "string", "enum": ["a", "b", "c"]}, "baz": {"type": "boolean"}}
            )
        }
    ),
}
USER_HELLO = [{"role": "user", "content": "hello"}]
CALL = {"name": "do_stuff", "arguments": '{"foo": "bar", "baz": 1.5}'}
EMPTY_FN = {"name": "do_stuff", "parameters": _object({})}

# hmarr/openai-chat-tokens tests/token-counts.test.ts: prompt_tokens the API reported for
# gpt-3.5-turbo (cl100k_base) with legacy `functions`.
HMARR_CASES: list[tuple[list[dict[str, Any]], list[dict[str, Any]] | None, int]] = [
    (USER_HELLO, None, 8),
    ([{"role": "system", "content": "hello:"}], None, 9),
    (
        [
            {"role": "system", "content": "# Important: you're the best robot"},
            {"role": "user", "content": "hello robot"},
            {"role": "assistant", "content": "hello world"},
        ],
        None,
        27,
    ),
    (USER_HELLO, [{"name": "foo", "parameters": _object({})}], 31),
    (USER_HELLO, [{"name": "foo", "description": "Do a foo", "parameters": _object({})}], 36),
    (USER_HELLO, [NESTED], 68),
    (USER_HELLO, [RECIPE], 106),
    (
        [
            {"role": "user", "content": "hello world"},
            {"role": "function", "name": "do_stuff", "content": '{"foo": "bar", "baz": 1.5}'},
        ],
        None,
        28,
    ),
    ([{"role": "assistant", "content": "", "function_call": CALL}], None, 26),
    (
        [
            {"role": "system", "content": "Hello:"},
            {"role": "system", "content": "Hello"},
            {"role": "user", "content": "Hi there"},
        ],
        [EMPTY_FN],
        40,
    ),
]


@pytest.fixture(params=["cl100k_base", "o200k_base"])
def tokenizer(request: pytest.FixtureRequest) -> Tokenizer:
    return get_tokenizer(request.param)


def test_tokenizer_encodes_known_ids() -> None:
    assert get_tokenizer("cl100k_base").encode("hello world") == [15339, 1917]
    assert get_tokenizer("o200k_base").encode("hello world") == [24912, 2375]
    assert get_tokenizer("cl100k_base").encode("tiktoken is great!") == [
        83,
        1609,
        5963,
        374,
        2294,
        0,
    ]


def test_tokenizer_is_cached_per_name() -> None:
    assert get_tokenizer("o200k_base") is get_tokenizer("o200k_base")
    assert get_tokenizer("o200k_base").name == "o200k_base"


def test_tokenizer_rejects_unknown_encoding() -> None:
    with pytest.raises(ValueError, match="p50k_base"):
        get_tokenizer("p50k_base")


@pytest.mark.parametrize("name", ["cl100k_base", "o200k_base"])
def test_tokenizer_specs_match_tiktoken_definitions(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fake_load(url: str, expected_hash: str) -> dict[bytes, int]:
        assert url == spec.url
        assert expected_hash == spec.sha256
        return {}

    spec = tokens._SPECS[name]
    monkeypatch.setattr(openai_public, "load_tiktoken_bpe", fake_load)
    upstream = openai_public.ENCODING_CONSTRUCTORS[name]()
    assert upstream["pat_str"] == spec.pat_str
    assert upstream["special_tokens"] == spec.special_tokens


def test_tokenizer_encodes_special_tokens_as_text(tokenizer: Tokenizer) -> None:
    ids = tokenizer.encode("<|endoftext|>")
    assert len(ids) > 1
    assert tokenizer.decode(ids) == "<|endoftext|>"


@pytest.mark.parametrize("text", SAMPLES)
def test_tokenizer_round_trips(tokenizer: Tokenizer, text: str) -> None:
    ids = tokenizer.encode(text)
    assert tokenizer.decode(ids) == text
    assert tokenizer.count(text) == len(ids)
    assert b"".join(tokenizer.token_bytes(i) for i in ids) == text.encode()


@pytest.mark.parametrize("text", SAMPLES)
def test_tokenizer_pieces_join_to_text(tokenizer: Tokenizer, text: str) -> None:
    pieces = tokenizer.pieces(text)
    assert "".join(pieces) == text
    assert all(pieces)
    assert len(pieces) <= tokenizer.count(text)


def test_tokenizer_pieces_merge_partial_characters() -> None:
    cl100k = get_tokenizer("cl100k_base")
    text = "🎉"
    assert any(not _valid(cl100k.token_bytes(i)) for i in cl100k.encode(text))
    assert cl100k.pieces(text) == [text]


def _valid(data: bytes) -> bool:
    try:
        data.decode()
    except UnicodeDecodeError:
        return False
    return True


@pytest.mark.parametrize("text", SAMPLES[1:4])
def test_tokenizer_truncate_is_exact_and_maximal(tokenizer: Tokenizer, text: str) -> None:
    pieces = tokenizer.pieces(text)
    for limit in range(tokenizer.count(text) + 2):
        cut = tokenizer.truncate(text, limit)
        assert text.startswith(cut)
        assert tokenizer.count(cut) <= limit
        if cut != text:  # adding the next whole piece would exceed the limit
            boundaries = _piece_boundaries(pieces)
            assert len(cut) in boundaries
            following = pieces[boundaries.index(len(cut))]
            assert tokenizer.count(cut + following) > limit


def _piece_boundaries(pieces: list[str]) -> list[int]:
    ends, at = [], 0
    for piece in pieces:
        ends.append(at)
        at += len(piece)
    return ends


def test_tokenizer_truncate_keeps_whole_text_within_limit(tokenizer: Tokenizer) -> None:
    assert tokenizer.truncate("hello world", 2) == "hello world"
    assert tokenizer.truncate("hello world", 1) == "hello"
    assert tokenizer.truncate("hello world", 0) == ""


@pytest.mark.parametrize(("name", "expected"), [("cl100k_base", 129), ("o200k_base", 124)])
def test_chat_prompt_tokens_match_cookbook_example(name: str, expected: int) -> None:
    assert count_chat_prompt_tokens(COOKBOOK_MESSAGES, get_tokenizer(name)) == expected


@pytest.mark.parametrize(("name", "expected"), [("cl100k_base", 105), ("o200k_base", 101)])
def test_chat_prompt_tokens_match_cookbook_tools_example(name: str, expected: int) -> None:
    tokenizer = get_tokenizer(name)
    count = count_chat_prompt_tokens(COOKBOOK_TOOL_MESSAGES, tokenizer, tools=COOKBOOK_TOOLS)
    assert count == expected


@pytest.mark.parametrize(("messages", "functions", "expected"), HMARR_CASES)
def test_chat_prompt_tokens_match_api_counts_for_functions(
    messages: list[dict[str, Any]], functions: list[dict[str, Any]] | None, expected: int
) -> None:
    tokenizer = get_tokenizer("cl100k_base")
    assert count_chat_prompt_tokens(messages, tokenizer, functions=functions) == expected


def test_chat_prompt_tokens_count_tools_like_functions() -> None:
    tokenizer = get_tokenizer("cl100k_base")
    as_tools = [{"type": "function", "function": RECIPE}]
    assert count_chat_prompt_tokens(USER_HELLO, tokenizer, tools=as_tools) == 106


def test_chat_prompt_tokens_count_tool_calls_and_tool_results() -> None:
    tokenizer = get_tokenizer("o200k_base")
    call = {"id": "call_1", "type": "function", "function": CALL}
    assistant = {"role": "assistant", "content": None, "tool_calls": [call, call]}
    tool = {"role": "tool", "tool_call_id": "call_1", "content": "21"}
    base = count_chat_prompt_tokens(USER_HELLO, tokenizer)
    per_call = 3 + tokenizer.count(CALL["name"]) + tokenizer.count(CALL["arguments"])
    with_call = count_chat_prompt_tokens([*USER_HELLO, assistant], tokenizer)
    assert with_call == base + 3 + tokenizer.count("assistant") + 2 * per_call
    with_result = count_chat_prompt_tokens([*USER_HELLO, assistant, tool], tokenizer)
    extra = 3 + sum(tokenizer.count(v) for v in ("tool", "call_1", "21"))
    assert with_result == with_call + extra


def test_chat_prompt_tokens_count_text_parts_like_strings(tokenizer: Tokenizer) -> None:
    parts = [{"type": "text", "text": "hello "}, {"type": "text", "text": "world"}]
    as_parts = count_chat_prompt_tokens([{"role": "user", "content": parts}], tokenizer)
    as_text = count_chat_prompt_tokens([{"role": "user", "content": "hello world"}], tokenizer)
    assert as_parts == as_text + 1  # "hello " + "world" is one token more than "hello world"


def test_chat_prompt_tokens_count_image_parts(tokenizer: Tokenizer) -> None:
    image = {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}
    message = {"role": "user", "content": [{"type": "text", "text": "hello"}, image]}
    plain = count_chat_prompt_tokens(USER_HELLO, tokenizer)
    assert count_chat_prompt_tokens([message], tokenizer) == plain + 765


@pytest.mark.parametrize(
    ("size", "detail", "expected"),
    [
        ((1024, 1024), "high", 765),  # the vision guide's examples
        ((2048, 4096), "high", 1105),
        ((4096, 8192), "low", 85),
        ((512, 512), "auto", 255),
        ((100, 50), "high", 255),
    ],
)
def test_image_tokens_follow_the_vision_formula(
    size: tuple[int, int], detail: str, expected: int
) -> None:
    assert image_tokens(_png_url(*size), detail) == expected


def _png_url(width: int, height: int) -> str:
    head = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + struct.pack(">II", width, height) + bytes(40)
    return "data:image/png;base64," + base64.b64encode(head).decode()


@pytest.mark.parametrize(
    "head",
    [
        b"GIF89a" + struct.pack("<HH", 640, 480) + bytes(20),
        b"RIFF\0\0\0\0WEBPVP8X"
        + bytes(8)
        + (639).to_bytes(3, "little")
        + (479).to_bytes(3, "little"),
        b"RIFF\0\0\0\0WEBPVP8L" + bytes(5) + struct.pack("<I", 639 | (479 << 14)),
        b"RIFF\0\0\0\0WEBPVP8 " + bytes(7) + b"\x9d\x01\x2a" + struct.pack("<HH", 640, 480),
        b"\xff\xd8\xff\xe0\x00\x04ab\xff\xc0\x00\x11\x08" + struct.pack(">HH", 480, 640) + bytes(9),
    ],
    ids=["gif", "webp-extended", "webp-lossless", "webp-lossy", "jpeg"],
)
def test_image_size_reads_headers(head: bytes) -> None:
    assert image_size(head) == (640, 480)


def test_image_size_is_none_for_unknown_data() -> None:
    assert image_size(b"not an image at all") is None
    assert image_tokens("data:image/png;base64,!!!!", "high") == 765  # falls back to 1024x1024


def test_render_functions_uses_the_typescript_namespace() -> None:
    rendered = render_functions([COOKBOOK_TOOLS[0]["function"]])
    assert rendered == textwrap.dedent(
        """\
        namespace functions {

        // Get the current weather in a given location
        type get_current_weather = (_: {
        // The city and state, e.g. San Francisco, CA
        location: string,
        // The unit of temperature to return
        unit?: "celsius" | "fahrenheit",
        }) => any;

        } // namespace functions"""
    )


def test_seed_tiktoken_cache_writes_tiktoken_cache_names(tmp_path: Path) -> None:
    tokens.seed_tiktoken_cache(tmp_path)
    tokens.seed_tiktoken_cache(tmp_path)  # idempotent
    url = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"
    cached = tmp_path / hashlib.sha1(url.encode()).hexdigest()
    assert hashlib.sha256(cached.read_bytes()).hexdigest().startswith("223921b7")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "9b5ad71b2ce5302211f9c61530b329a4922fc6a4",
        "fb374d419588a4632f3f557e76b4b70aebbca790",
    ]


def test_seed_tiktoken_cache_replaces_a_corrupt_file(tmp_path: Path) -> None:
    corrupt = tmp_path / "fb374d419588a4632f3f557e76b4b70aebbca790"
    corrupt.write_bytes(b"garbage")
    tokens.seed_tiktoken_cache(tmp_path)
    assert corrupt.stat().st_size == 3_613_922


OFFLINE_SCRIPT = """
import socket, sys

def refuse(*args, **kwargs):
    raise OSError("network disabled in this test")

socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse

from mockazure.tokens.tokenizers import get_tokenizer, seed_tiktoken_cache
from pathlib import Path
import os

assert get_tokenizer("cl100k_base").encode("hello world") == [15339, 1917]
assert get_tokenizer("o200k_base").encode("hello world") == [24912, 2375]
assert "TIKTOKEN_CACHE_DIR" not in os.environ
seed_tiktoken_cache(Path(sys.argv[1]))
os.environ["TIKTOKEN_CACHE_DIR"] = sys.argv[1]
import tiktoken
assert tiktoken.get_encoding("cl100k_base").encode("hello world") == [15339, 1917]
assert tiktoken.encoding_for_model("gpt-4o").encode("hello world") == [24912, 2375]
print("offline ok")
"""


def test_tokenizers_load_with_network_disabled_and_empty_cache(tmp_path: Path) -> None:
    private, seeded = tmp_path / "private", tmp_path / "seeded"
    env = {k: v for k, v in os.environ.items() if k not in ("TIKTOKEN_CACHE_DIR", "PYTHONPATH")}
    env |= {"MOCKAZURE_TIKTOKEN_CACHE": str(private), "PYTHONPATH": str(REPO_ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", OFFLINE_SCRIPT, str(seeded)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "offline ok"
    assert len(list(private.iterdir())) == 2  # the private cache was filled on first use


def test_tokenizer_loads_from_memory_when_cache_is_unwritable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("MOCKAZURE_TIKTOKEN_CACHE", str(blocker / "cache"))
    encoding = tokens._load_encoding(tokens._SPECS["cl100k_base"])
    assert encoding.encode_ordinary("hello world") == [15339, 1917]


def test_get_tokenizer_loads_once_under_concurrency() -> None:
    tokens.get_tokenizer.cache_clear()
    tokens._load_tokenizer.cache_clear()
    with ThreadPoolExecutor(max_workers=8) as pool:
        loaded = list(pool.map(get_tokenizer, ["o200k_base"] * 16))
    assert all(t is loaded[0] for t in loaded)


@pytest.mark.parametrize("name", ["cl100k_base", "o200k_base"])
def test_bpe_files_rank_tokens_in_file_order(name: str) -> None:
    """`_parse_bpe` takes the ranks from the line numbers; every rank in the file says so."""
    data = tokens._bundled_bpe(tokens._SPECS[name])
    ranks = [int(line.split()[1]) for line in data.splitlines()]
    assert ranks == list(range(len(ranks)))
    assert list(tokens._parse_bpe(data).values()) == ranks


def test_parse_bpe_refuses_ranks_out_of_order() -> None:
    with pytest.raises(ValueError, match="in order"):
        tokens._parse_bpe(b"YQ== 1\nYg== 0\n")


def test_a_load_does_not_wait_for_another_encodings_load() -> None:
    """A request for o200k_base while cl100k_base is loading (the warming thread) gets it."""
    tokens.get_tokenizer.cache_clear()
    tokens._load_tokenizer.cache_clear()
    with tokens._LOAD_LOCKS["cl100k_base"], ThreadPoolExecutor(max_workers=1) as pool:
        loaded = pool.submit(get_tokenizer, "o200k_base").result(timeout=60)
    assert loaded.name == "o200k_base"


def test_warm_order_keeps_only_the_encodings_in_use() -> None:
    assert tokens.in_warm_order(["cl100k_base", "cl100k_base"]) == ("cl100k_base",)
    assert tokens.in_warm_order(["cl100k_base", "o200k_base"]) == tokens.WARM_ORDER
    assert tokens.in_warm_order([]) == ()


def test_warming_gives_the_freed_load_memory_back(monkeypatch: pytest.MonkeyPatch) -> None:
    trimmed: list[bool] = []
    monkeypatch.setattr(tokens, "_trim_heap", lambda: trimmed.append(True))
    tokens.warm_tokenizers(["cl100k_base"]).join(timeout=120)
    assert trimmed == [True]


def test_trimming_the_heap_is_safe_anywhere() -> None:
    tokens._trim_heap()
