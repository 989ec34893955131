"""The oracle for the header log's Python formats.

For each request head it prints what the article's teaching server prints:
its first version's print(request) of the bytes recv() returned, then its
later versions' print(""), print(">>" * 50), print(request_lines). That is
middleware.Bytes's block followed by middleware.Article's.

The head is decoded with errors="surrogateescape": for valid UTF-8 that is
exactly the article's request.decode("utf-8"); where the article's strict
decode would raise, it defines the output the log copies.

Usage:
    python3 article.py serve
        reads heads from stdin, each a 4-byte big-endian length then the
        bytes, and answers each with a 4-byte length then the UTF-8 output
        (the Go tests and the fuzz target drive it so).
    python3 article.py print first|later
        reads heads as serve does and prints, for all of them, only the
        first version's output (middleware.Bytes without its separator
        lines) or only the later versions' (middleware.Article).
    python3 article.py corpus [N] > corpus.jsonl
        writes N (default 300) random heads and their outputs, one JSON
        object a line: {"head": hex, "out": text}. The checked-in
        corpus.jsonl was made with: python3 article.py corpus > corpus.jsonl
    python3 article.py codepoints
        reads one head from stdin and writes print(head.decode().splitlines())
        for the every-code-point test, then the Unicode version and the
        category of each code point listed on argv.
"""
import io
import json
import random
import struct
import sys
import unicodedata


def prints(request, first=True, later=True):
    buf = io.StringIO()
    if first:
        print(request, file=buf)
    if later:
        request_lines = request.decode("utf-8", "surrogateescape").splitlines()
        print("", file=buf)
        print(">>" * 50, file=buf)
        print(request_lines, file=buf)
    return buf.getvalue()


def heads(inp):
    while True:
        n = inp.read(4)
        if len(n) < 4:
            return
        yield inp.read(struct.unpack(">I", n)[0])


def serve():
    out = sys.stdout.buffer
    for head in heads(sys.stdin.buffer):
        text = prints(head).encode("utf-8")
        out.write(struct.pack(">I", len(text)) + text)
        out.flush()


def print_heads(version):
    for head in heads(sys.stdin.buffer):
        sys.stdout.write(prints(head, version == "first", version == "later"))


# Pieces random header values are made of: every rule of the formats.
PIECES = [
    "a", "Z", "0", " ", "\t", "'", '"', "\\", "\r", "\v", "\f", "\x1c", "\x1d",
    "\x1e", "\x00", "\x1b[2J", "\x7f", "\x85", "\xa0", "\xad", "\xe9", "\u2028",
    "\u2029", "\u200b", "\u200d", "\u202e", "\ufeff", "\u3000", "\ue000",
    "\U000e0041", "\U0001f600", "\U0010ffff", "caf\u00e9", "\u4e2d",
]
BYTES = [b"\xff", b"\xe9", b"\x85", b"\xc2", b"\xe2\x80", b"\xed\xa0\x80", b"\xf4\x90\x80\x80"]


def random_head(rnd):
    lines = [b"GET /%s HTTP/1.1" % rnd.choice([b"", b"a?b=c", b"caf%C3%A9"])]
    for _ in range(rnd.randrange(1, 5)):
        value = b""
        for _ in range(rnd.randrange(0, 8)):
            if rnd.random() < 0.15:
                value += rnd.choice(BYTES)
            elif rnd.random() < 0.2:
                cp = rnd.randrange(0x110000)
                if not 0xD800 <= cp < 0xE000:
                    value += chr(cp).encode()
            else:
                value += rnd.choice(PIECES).encode()
        lines.append(rnd.choice([b"X-Test", b"host", b"Accept"]) + b": " + value)
    eol = rnd.choice([b"\r\n", b"\n"])
    head = eol.join(lines) + eol
    return head + eol if rnd.random() < 0.9 else head


def corpus(n):
    rnd = random.Random(14)
    for _ in range(n):
        head = random_head(rnd)
        print(json.dumps({"head": head.hex(), "out": prints(head)}))


def codepoints(extra):
    head = sys.stdin.buffer.read()
    out = sys.stdout
    print(head.decode("utf-8").splitlines(), file=out)
    print(unicodedata.unidata_version, file=out)
    print(" ".join(unicodedata.category(chr(int(c, 16))) for c in extra), file=out)


if __name__ == "__main__":
    sys.stdout.reconfigure(encoding="utf-8")
    cmd = sys.argv[1] if len(sys.argv) > 1 else "serve"
    if cmd == "serve":
        serve()
    elif cmd == "print":
        print_heads(sys.argv[2])
    elif cmd == "corpus":
        corpus(int(sys.argv[2]) if len(sys.argv) > 2 else 300)
    elif cmd == "codepoints":
        codepoints(sys.argv[2:])
    else:
        sys.exit("usage: article.py serve|print first|later|corpus [N]|codepoints [HEX...]")
