"""A stub hit applied to a transcription or translation: the rule's `transcript` (a template)
replaces the generated text; segments and words are re-timed evenly over the audio."""

from typing import Any

from mockazure.gateway.forms import FormCall
from mockazure.protocol.audio import TranscriptionVerbose, TranscriptionWord
from mockazure.stubs.book import StubHit, lookup_stub


def audio_stub(call: FormCall[Any]) -> StubHit | None:
    """The router hook for multipart audio: content matching sees the upload's file name."""
    filename = call.file.filename if call.file is not None else None
    body = {**call.raw, "filename": filename}
    return lookup_stub(
        call.state,
        call.request,
        call.operation,
        call.deployment.name,
        body,
        subject=filename or "",
        model=call.deployment.model,
    )


def apply_transcript(result: TranscriptionVerbose, hit: StubHit) -> None:
    if hit.response.transcript is None:
        return
    text = hit.render(hit.response.transcript)
    result.text = text
    if result.segments:
        first = result.segments[0]
        result.segments = [
            first.model_copy(update={"text": text, "start": 0.0, "end": result.duration})
        ]
    if result.words is not None:
        words = text.split()
        step = result.duration / max(1, len(words))
        result.words = [
            TranscriptionWord(word=w, start=round(i * step, 2), end=round((i + 1) * step, 2))
            for i, w in enumerate(words)
        ]
