"""Deterministic, readable English for generated answers (not lorem ipsum).

Every function is pure: the text depends only on its arguments and on the `random.Random` passed
in (never the global one), so the same prompt and seed always give the same words. Replies pick
the prompt's salient words (longest non-stopwords, original casing) and put them into sentence
templates: openers, body sentences and closers, 50+ in all, with slots for topics and fillers.
"""

from __future__ import annotations

import heapq
import json
import random
import re
import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mockazure.tokens.tokenizers import Tokenizer

OPENERS = (
    "Here is a short answer about {topics}.",
    "Happy to help with {topics}.",
    "Let us walk through {topics} step by step.",
    "There are a few useful things to say about {topics}.",
    "The short version on {topics} comes down to a handful of points.",
    "Thanks for asking about {topics}.",
    "When it comes to {topics}, a clear picture helps.",
    "This is a common question about {topics}.",
    "A quick overview of {topics} follows.",
    "Questions about {topics} usually have a simple core.",
    "To answer this, it helps to start with {topic}.",
    "Sure, let us talk about {topics}.",
)
SENTENCES = (
    "The key idea behind {topic} is easier to grasp once you see the bigger picture.",
    "Most explanations of {topic} start with {aspect}.",
    "It is worth separating {topic} from {other}, because the two are often confused.",
    "In practice, the role of {topic} matters most when {situation}.",
    "A simple example makes {topic} much more concrete.",
    "People new to {topic} often underestimate {aspect}.",
    "One helpful way to think about {topic} is in terms of {aspect}.",
    "The relationship between {topic} and {other} is where things get interesting.",
    "Experts tend to describe {topic} as {quality} rather than complicated.",
    "If you remember one thing about {topic}, make it {aspect}.",
    "There is no single right answer here, but {aspect} is a good guide.",
    "Looking at {topic} from a practical angle usually clears things up.",
    "The details of {topic} vary, yet the overall pattern stays the same.",
    "Ideas about {topic} have changed quite a bit over the years.",
    "A common mistake is to treat {topic} and {other} as the same thing.",
    "It also helps to ask what happens to {topic} when {situation}.",
    "Good sources on {topic} agree on the basics.",
    "Small changes in {aspect} can have a large effect on {topic}.",
    "For most purposes, a rough understanding of {topic} is enough to get started.",
    "The trade-offs around {topic} are worth keeping in mind.",
    "You can think of {other} as the setting that gives {topic} its meaning.",
    "Beyond the basics, the study of {topic} connects naturally to {other}.",
    "A careful look at {aspect} shows the reasoning behind {topic}.",
    "Much of the confusion around {topic} disappears once {aspect} is clear.",
    "Real examples of {topic} are often simpler than the theory suggests.",
    "It is reasonable to approach {topic} one piece at a time.",
    "Many teams learn about {topic} by trying it on a small problem first.",
    "The most useful questions about {topic} are usually practical ones.",
    "Comparing {topic} with {other} highlights what makes each one distinct.",
    "Clear definitions make any discussion of {topic} more productive.",
    "There is a good reason the subject of {topic} keeps coming up.",
    "A step back from the details of {topic} often reveals the main point.",
)
CLOSERS = (
    "I hope this helps.",
    "Let me know if you would like more detail on {topic}.",
    "Feel free to ask a follow-up question.",
    "That should give you a solid starting point.",
    "Happy to expand on any of these points.",
    "In short, a bit of patient study of {topic} goes a long way.",
    "Tell me which part of {topic} you would like to explore next.",
    "Those are the main points worth knowing.",
)
CONTINUATIONS = (
    "and that is only part of the story.",
    "which is a good place to begin.",
    "as many people have noticed over time.",
    "in a way that is easy to follow.",
    "and the rest follows from there.",
)
ASPECTS = (
    "the underlying assumptions",
    "the context it is used in",
    "the trade-offs involved",
    "its main purpose",
    "the basic terminology",
    "a few concrete examples",
    "the way the parts fit together",
    "the limits of the approach",
    "the intended outcome",
    "the history behind it",
)
SITUATIONS = (
    "the details start to pile up",
    "several constraints apply at once",
    "the stakes are high",
    "time is limited",
    "the first attempt does not work",
    "things need to grow",
)
QUALITIES = ("subtle", "practical", "intuitive", "well understood", "surprisingly simple")
OTHERS = ("the surrounding context", "related ideas", "everyday use cases", "the broader field")
FOLLOWUP_OPENERS = (
    "According to the tool, {facts}.",
    "The lookup shows that {facts}.",
    "Here is what the tool reported: {facts}.",
    "The result says {facts}.",
)
FOLLOWUP_CLOSERS = (
    "Let me know if you need anything else.",
    "I can look up more details if that would help.",
    "That is the latest information available.",
    "Feel free to ask a follow-up question.",
)
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")
_STOPWORD_TEXT = """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either else
    even ever every few for from further get gets give had has have having he her here hers him
    his how i if in into is it its itself just let like me might more most much must my myself
    no nor not now of off on once only or other our ours out over own please quite rather really
    same say she should show so some such tell than that the their theirs them then there these
    they this those through to too under until up us very want was we were what when where
    whether which while who whom whose why will with within without would yes yet you your
    yours explain describe give write briefly something thing things kind sort okay hello hi
    thanks thank use uses used using make makes made need needs know mean means help find go
    goes come look take see think way ways lot lots many new good best better work works upon
    one two three first second"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# Verbs, adverbs and instruction words that prompts are full of ("Extract ...", "Respond with
# the corresponding fields", "Stream the answer") but that no answer is about: never topics.
# Kept apart from STOPWORDS, which also weights embeddings and logprob alternatives.
_NOT_TOPIC_TEXT = """stream streams streaming return returns returned list lists listed extract
    extracts extracted classify classified summarize summarise summarized summarised translate
    translated generate generates generated create creates created compare compared provide
    provides provided answer answers answered respond responds responding response reply
    replies produce produces produced follow follows following followed contain contains
    contained include includes including included corresponding starting started completed
    complete completes formatted format formats convert converts rewrite rewrites written
    identify identifies calculate calculates compute computes determine determines analyze
    analyse analyzes analyses check checks ask asks asked try tries tried call calls called
    run runs running ran send sends sent shows shown tells told said says read reads wrote
    given gives taken takes become becomes seem seems happen happens happened based wants
    wanted needed likes liked love loves loved consider considers suggest suggests recommend
    recommends assume start starts begin begins began finish finishes finished explains
    explained describes described quickly simply exactly actually usually currently really
    must shall may cannot don't doesn't isn't aren't can't won't i'm it's that's there's
    following below above given respectively always never often sometimes also still just"""
NOT_TOPICS = STOPWORDS | frozenset(_NOT_TOPIC_TEXT.split())
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_ASCII_WORD = re.compile(r"[A-Za-z]+(?:['-][A-Za-z]+)*")  # the same on ASCII text, faster
_MAX_FACTS = 4
# Longer runs of letters are not words a reply can name ("aaaa…" pasted 600,000 times once made
# a 300,000-token answer to a one-line prompt, past any max_tokens the model has).
MAX_TOPIC_CHARS = 40
_MAX_QUOTE_CHARS = 80


_POSSESSIVES = ("'s", "’s")


# The same prompt's words are asked for several times per request (the reply, the tool
# arguments, the content filter's hint) and again by every retry: remembered for prompts up to
# this length, this many at most (forgotten all at once).
_CACHED_PROMPT_CHARS = 4096
_CACHED_PROMPTS = 1024
_salient_cache: dict[tuple[str, int], tuple[str, ...]] = {}


def salient_words(text: str, k: int) -> list[str]:
    """Up to `k` distinct noun-like words of `text` (not stopwords, verbs or instruction words),
    longest first when choosing (earliest on ties), in the order they appear, original casing."""
    if len(text) > _CACHED_PROMPT_CHARS:
        return list(_salient_words(text, k))
    key = (text, k)
    known = _salient_cache.get(key)
    if known is None:
        if len(_salient_cache) >= _CACHED_PROMPTS:
            _salient_cache.clear()
        known = _salient_cache[key] = _salient_words(text, k)
    return list(known)


def _salient_words(text: str, k: int) -> tuple[str, ...]:
    seen: dict[str, tuple[int, int, str]] = {}
    # findall, not finditer: no match object per word (the profile of a chat request).
    words = (_ASCII_WORD if text.isascii() else _WORD).findall(text)
    for position, word in enumerate(words):
        if word.endswith(_POSSESSIVES):  # "Paris's" -> "Paris" (endswith: a per-word re.sub
            word = word[:-2]  # was a tenth of a chat request in the profile)
        key = word.casefold()
        if key not in seen and 1 < len(word) <= MAX_TOPIC_CHARS and _noun_like(word, key):
            seen[key] = (-len(word), position, word)
    ranked = heapq.nsmallest(max(k, 0), seen.values())  # longest first, earliest on ties
    return tuple(word for _, _, word in sorted(ranked, key=lambda item: item[1]))


def _noun_like(word: str, key: str) -> bool:
    """Not a listed verb or function word, nor a lower-case past form ("sailed", not "speed")."""
    if key in NOT_TOPICS:
        return False
    return not (word.islower() and len(word) > 4 and word.endswith("ed") and word[-3] != "e")


def compose_reply(
    prompt: str, rng: random.Random, *, min_words: int = 12, max_words: int = 60
) -> str:
    """A multi-sentence answer about the prompt's salient words, about `min_words` to
    `max_words` words long (the opener alone may exceed a very small maximum).

    The opening sentence depends on the prompt only, not on `rng`: requests that differ only in
    `stop`, `max_tokens` or `n` (which change the seed) still share their first words, so a
    client can take a word from one answer and see a later request stop right before it.
    """
    topics = salient_words(prompt, 3) or ["your question"]
    max_words = max(min_words, max_words)
    target = rng.randint(min_words, max_words)
    stable = zlib.crc32(prompt.encode())
    opener = OPENERS[stable % len(OPENERS)]
    sentences = [opener.format(topic=topics[0], topics=_join(topics))]
    closer = _fill(rng.choice(CLOSERS), topics, rng) if rng.random() < 0.6 else ""
    used = _words(sentences) + _words([closer])  # kept up to date, not recounted per sentence
    for template in rng.sample(SENTENCES, len(SENTENCES)):
        if used >= target:
            break
        sentence = _fill(template, topics, rng)
        size = len(sentence.split())
        if used + size <= max_words:
            sentences.append(sentence)
            used += size
    if closer and used <= max_words:
        sentences.append(closer)
    return " ".join(sentences)


def compose_tool_followup(tool_outputs: Sequence[str], rng: random.Random) -> str:
    """An answer built on tool results: JSON keys and values are named, other text is quoted."""
    if not tool_outputs:
        return "The tool did not return anything, so there is nothing new to report."
    sentences = []
    for index, output in enumerate(tool_outputs):
        sentence = rng.choice(FOLLOWUP_OPENERS).format(facts=_facts(output))
        if len(tool_outputs) > 1:
            ordinal = ORDINALS[index] if index < len(ORDINALS) else f"next ({index + 1})"
            sentence = f"From the {ordinal} call: {sentence[0].lower()}{sentence[1:]}"
        sentences.append(sentence)
    sentences.append(rng.choice(FOLLOWUP_CLOSERS))
    return " ".join(sentences)


def compose_completion(prompt: str, rng: random.Random, *, words: int) -> str:
    """Exactly `words` words continuing `prompt`, led by a space or a newline as GPT models do."""
    if words <= 0:
        return ""
    topics = salient_words(prompt, 3) or ["this topic"]
    stripped = prompt.rstrip()
    parts: list[str] = []
    if prompt.endswith("\n"):
        lead = "\n"
    elif not stripped or stripped[-1] in ".?!:":
        lead = rng.choice((" ", "\n"))
    else:  # mid-sentence: finish it first
        lead = " "
        parts.append(rng.choice(CONTINUATIONS))
    while _words(parts) < words:
        parts.append(_fill(rng.choice(SENTENCES), topics, rng))
    return lead + " ".join(" ".join(parts).split()[:words])


def extend_to_tokens(text: str, rng: random.Random, tokenizer: Tokenizer, min_tokens: int) -> str:
    """`text` followed by more sentences on its own topics until it has at least `min_tokens`."""
    topics = salient_words(text, 3) or ["this topic"]
    count = tokenizer.count(text)
    while count < min_tokens:
        addition = (" " if text else "") + _fill(rng.choice(SENTENCES), topics, rng)
        text += addition
        count += tokenizer.count(addition)  # sentence boundaries do not merge tokens...
        if count >= min_tokens:
            count = tokenizer.count(text)  # ...but the total is checked before stopping
    return text


def _fill(template: str, topics: Sequence[str], rng: random.Random) -> str:
    topic = rng.choice(topics)
    others = [t for t in topics if t != topic] or list(OTHERS)
    sentence = template.format(
        topic=topic,
        topics=_join(topics),
        other=rng.choice(others),
        aspect=rng.choice(ASPECTS),
        situation=rng.choice(SITUATIONS),
        quality=rng.choice(QUALITIES),
    )
    return sentence[0].upper() + sentence[1:]


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _words(sentences: Sequence[str]) -> int:
    return sum(len(s.split()) for s in sentences)


def _facts(output: str) -> str:
    try:
        value: Any = json.loads(output)
    except ValueError:
        value = output
    if isinstance(value, dict) and value:
        pairs = list(_flatten(value))[:_MAX_FACTS]
        return _join([f"{key.replace('_', ' ')} is {_scalar(item)}" for key, item in pairs])
    if isinstance(value, list):
        shown = ", ".join(_scalar(item) for item in value[:3])
        return f"there are {len(value)} items ({shown})" if value else "the list is empty"
    return _scalar(value, quote=True)


def _flatten(mapping: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    pairs: list[tuple[str, Any]] = []
    for key, value in mapping.items():
        if isinstance(value, dict):
            pairs.extend(_flatten(value, f"{prefix}{key} "))
        else:
            pairs.append((f"{prefix}{key}", value))
    return pairs


def _scalar(value: Any, *, quote: bool = False) -> str:
    if isinstance(value, str):
        text = " ".join(value.split()).rstrip(".")
        short = text if len(text) <= _MAX_QUOTE_CHARS else text[: _MAX_QUOTE_CHARS - 3] + "..."
        return f'"{short}"' if quote else short
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)[:_MAX_QUOTE_CHARS]
    return json.dumps(value)
