"""A served Responses stream's frames (text deltas rendered from templates) are byte for byte
the JSON of the event models, and the sequence numbers and types are theirs."""

from fastapi.testclient import TestClient

from mockazure.generators.responses_events import iter_response_events, obfuscation
from mockazure.generators.responses_frames import iter_response_frames
from mockazure.protocol.responses_objects import MessageOutput, OutputTextPart, Response
from mockazure.tokens.tokenizers import get_tokenizer
from tests.api.responses_helpers import WEATHER_TOOL, create

# Text the JSON encoder must escape, in the answer the stream carries.
TRICKY = 'He said "hi" back\\slash tab\tnew\nline\r \x00\x1f\x7f é 漢字 🙂 </script>'


def _with_tricky_text(response: Response) -> Response:
    output = []
    for item in response.output:
        if isinstance(item, MessageOutput):
            content = [
                part.model_copy(update={"text": part.text + TRICKY})
                if isinstance(part, OutputTextPart)
                else part
                for part in item.content
            ]
            item = item.model_copy(update={"content": content})
        output.append(item)
    return response.model_copy(update={"output": output})


def test_responses_frames_equal_the_event_models(client: TestClient) -> None:
    tokenizer = get_tokenizer("o200k_base")
    answers = [
        create(client, input="Tell me about rivers"),
        create(client, input="Two answers", text={"format": {"type": "text"}}),
        create(client, input="Weather in Paris?", tools=[WEATHER_TOOL], tool_choice="required"),
    ]
    for body in answers:
        response = _with_tricky_text(Response.model_validate(body))
        models = list(iter_response_events(response, tokenizer))
        frames = list(iter_response_frames(response, tokenizer))
        assert [f.data for f in frames] == [e.model_dump_json().encode() for e in models]
        assert [(f.type, f.sequence_number) for f in frames] == [
            (e.type, e.sequence_number) for e in models
        ]


def test_obfuscation_pads_short_deltas_with_the_digest_alphabet() -> None:
    assert obfuscation("msg_1", 0, "Hi") == "tpvp8TFBpzlsBq"  # as the join over the digest gave
    assert obfuscation("msg_1", 3, "x" * 40) == "f"
    assert obfuscation("abc", 7, "") == "4UeiuR6AG3C9tSHy"
