"""RESP2 encoding and the incremental reply parser of the store's hot path (store/resp.py)."""

from mockazure.store.resp import Parser, ReplyError, encode, encode_all

STREAM = (
    b"+OK\r\n:42\r\n$5\r\nhello\r\n$-1\r\n*3\r\n$1\r\na\r\n*-1\r\n:-7\r\n-NOSCRIPT no\r\n$0\r\n\r\n"
)


def test_commands_are_arrays_of_bulk_strings() -> None:
    assert encode("GET", "k") == b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"
    assert encode("SET", b"\xff", 0) == b"*3\r\n$3\r\nSET\r\n$1\r\n\xff\r\n$1\r\n0\r\n"
    assert encode_all([("PING",), ("PING",)]) == b"*1\r\n$4\r\nPING\r\n" * 2


def test_replies_are_parsed_whatever_the_reads_cut() -> None:
    whole = Parser().feed(STREAM)
    assert whole[:5] == [b"OK", 42, b"hello", None, [b"a", None, -7]]
    assert isinstance(whole[5], ReplyError)
    assert whole[5].message == "NOSCRIPT no"
    assert whole[6] == b""
    for size in (1, 2, 3, 7):
        parser, replies = Parser(), []
        for at in range(0, len(STREAM), size):
            replies += parser.feed(STREAM[at : at + size])
        assert [r for r in replies if not isinstance(r, ReplyError)] == whole[:5] + whole[6:]
        assert len(replies) == len(whole)
