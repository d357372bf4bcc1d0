"""A stub hit applied to a transcription or translation: the rule's `transcript` (a template)
replaces the generated text; segments and words are re-timed evenly over the audio."""

from mockazure.protocol.audio import TranscriptionVerbose, TranscriptionWord
from mockazure.stubs.book import StubHit


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
