"""The CLI contract, run as a subprocess."""

import json
import subprocess
import sys
from pathlib import Path

from moderation.analysis import analyze
from moderation.analysis.config import SCORE_KEYS

ROOT = Path(__file__).resolve().parents[2]


def run(stdin: bytes, *args):
    return subprocess.run(
        [sys.executable, "-m", "moderation.analysis", *args],
        input=stdin,
        cwd=ROOT,
        capture_output=True,
        timeout=60,
    )


def test_stream_in_order_with_bad_lines_and_many_lines():
    lines = [
        json.dumps({"id": 1, "text": "I don't want to live anymore"}),
        "this is not json",
        json.dumps({"id": "b", "text": "you idiot"}),
        json.dumps([1, 2]),
        json.dumps({"id": 3}),
        json.dumps({"id": 4, "text": 5}),
        json.dumps(
            {
                "id": 5,
                "text": "Brutal article what was the point in it",
                "context": {"article_title": "Leg weakness in MS"},
            }
        ),
    ]
    n = 300
    many = "".join(
        json.dumps({"id": 1000 + i, "text": f"comment {i}: I'm crying"}) + "\n" for i in range(n)
    )
    raw = (
        ("\n".join(lines) + "\n").encode()
        + b"\xff\xfe not utf-8\n"
        + (json.dumps({"id": 6, "text": ""}) + "\n").encode()
        + many.encode()
    )
    p = run(raw)
    assert p.returncode == 0, p.stderr
    out = [json.loads(x) for x in p.stdout.decode().splitlines()]
    assert [o.get("id") for o in out[:9]] == [1, None, "b", None, 3, 4, 5, None, 6]
    assert out[0]["flags"][0] == "crisis"
    assert set(out[0]) == {"id", "flags", "tags", "scores", "evidence"}
    assert set(out[0]["scores"]) == set(SCORE_KEYS)
    assert out[2]["flags"] == ["hostile"]
    [ev] = out[2]["evidence"]
    assert (ev["start"], ev["end"], ev["label"]) == (4, 9, "hostile") and ev["reason"]
    for i in (1, 3, 4, 5, 7):
        assert set(out[i]) == {"id", "error"}
    assert out[6]["flags"] == [] and out[6]["tags"] == ["criticism"]
    assert out[8]["flags"] == []
    rest = out[9:]
    assert [o["id"] for o in rest] == [1000 + i for i in range(n)]
    # each streamed answer is what analyze() says of the same text, in the same order
    texts = [f"comment {i}: I'm crying" for i in range(n)]
    assert [o["flags"] for o in rest] == [list(analyze(t).flags) for t in texts]
    assert sum("distress" in o["flags"] for o in rest) > n // 2


def test_streams_line_by_line():
    """The first answer arrives before stdin is closed (no read-all-then-answer)."""
    p = subprocess.Popen(
        [sys.executable, "-m", "moderation.analysis"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        p.stdin.write((json.dumps({"id": "first", "text": "kys"}) + "\n").encode())
        p.stdin.flush()
        first = json.loads(p.stdout.readline())
        assert first["id"] == "first" and "threat" in first["flags"]
        p.stdin.write((json.dumps({"id": "second", "text": "hello"}) + "\n").encode())
        p.stdin.close()
        second = json.loads(p.stdout.readline())
        assert second["id"] == "second"
        assert p.wait(timeout=30) == 0
    finally:
        if p.poll() is None:
            p.kill()


def test_help_and_unknown_command(capsys):
    from moderation.analysis.cli import main

    assert main(["--help"]) == 0
    assert "evaluate" in capsys.readouterr().out
    assert main(["nonsense"]) == 2


def test_stream_function_in_process():
    import io

    from moderation.analysis.cli import stream

    out = io.StringIO()
    stream(io.BytesIO(b'{"id": 7, "text": "kys"}\n\n{"id": 8}\n'), out)
    recs = [json.loads(x) for x in out.getvalue().splitlines()]
    assert recs[0]["id"] == 7 and recs[0]["flags"][0] == "threat"
    assert recs[1] == {"id": 8, "error": "ValueError: 'text' must be a string"}


def test_engine_imports_without_the_web_stack():
    """The engine is pure Python over text: importing it and analysing a comment in a plain
    interpreter pulls in neither Flask nor SQLAlchemy (scikit-learn's hashing is used)."""
    code = (
        "import sys\n"
        "from moderation.analysis import analyze\n"
        "a = analyze('you idiot')\n"
        "assert 'hostile' in a.flags, a\n"
        "heavy = ('flask', 'sqlalchemy', 'config')\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""
