"""Bad input: one clear line naming file, line and problem; exit 2; nothing written."""

import json

import pytest

from bench.corpus import CorpusError, load_documents, load_sentences

from conftest import run_cli

GOOD = {"doc_id": "d1", "sent_id": 0, "text": "The ministers met.", "domains": [], "rhetoric": "report"}


def lines(*objects):
    return "\n".join(o if isinstance(o, str) else json.dumps(o) for o in objects) + "\n"


CASES = {
    "malformed JSON": (lines(GOOD, '{"doc_id": "d1", "sent_id": 1,'), 2, "malformed JSON"),
    "missing field": (lines(GOOD, {k: v for k, v in GOOD.items() if k != "rhetoric"} | {"sent_id": 1}), 2,
                      "missing field 'rhetoric'"),
    "mistyped sent_id": (lines(GOOD, GOOD | {"sent_id": "1"}), 2, "field 'sent_id' must be int, got str"),
    "mistyped domains": (lines(GOOD | {"domains": "security"}), 1, "field 'domains' must be list, got str"),
    "boolean sent_id": (lines(GOOD | {"sent_id": True}), 1, "field 'sent_id' must be int, got bool"),
    "unknown rhetoric": (lines(GOOD, GOOD | {"sent_id": 1, "rhetoric": "threat"}), 2, "unknown rhetoric label 'threat'"),
    "unknown domain": (lines(GOOD | {"domains": ["security", "economy"]}), 1, "unknown domain label 'economy'"),
    "repeated domain": (lines(GOOD | {"domains": ["security", "security"]}), 1, "domain label 'security' repeated"),
    "duplicate id": (lines(GOOD, GOOD | {"text": "Again."}), 2, "duplicate (doc_id, sent_id) ('d1', 0), first on line 1"),
    "empty text": (lines(GOOD, GOOD | {"sent_id": 1, "text": "   "}), 2, "field 'text' has no visible characters"),
    "zero-width text": (lines(GOOD, GOOD | {"sent_id": 1, "text": "\u200b\u200c\ufeff"}), 2,
                        "field 'text' has no visible characters"),
    "huge integer": (lines(GOOD, '{"doc_id": "d1", "sent_id": ' + "7" * 5000 + "}"), 2, "unreadable JSON (ValueError"),
    "deep nesting": (lines(GOOD, "[" * 100_000 + "]" * 100_000), 2, "unreadable JSON (RecursionError"),
    "lone surrogate": (lines(GOOD, '{"doc_id": "d1", "sent_id": 1, "text": "x\\ud800", "domains": [], '
                                   '"rhetoric": "report"}'), 2, "contains a lone surrogate"),
    "csv": ("doc_id,sent_id,text\nd1,0,The ministers met.\n", 1, "malformed JSON (Expecting value, column 1); "
                                                                 "this looks like CSV"),
    "tsv": ("doc_id\tsent_id\ttext\n", 1, "malformed JSON (Expecting value, column 1); this looks like TSV"),
    "misspelt label": (lines(GOOD | {"rhetoric": "critcism"}), 1, "unknown rhetoric label 'critcism' (did you mean "
                                                                  "'criticism'?); valid: report, praise_goodwill"),
    "one-based sent_id": (lines(GOOD | {"sent_id": 1}, GOOD | {"doc_id": "d2", "sent_id": 1}), 1,
                          "every document starts at sent_id 1; sent_id counts from 0"),
    "not an object": (lines(GOOD, "[1, 2]"), 2, "expected a JSON object, got list"),
    "unknown phenomenon": (lines(GOOD | {"phenomena": ["sarcasm"]}), 1, "unknown phenomenon 'sarcasm'"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_loader_names_file_line_and_problem(tmp_path, case):
    content, line, problem = CASES[case]
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        load_sentences(path)
    assert err.value.line == line and err.value.problem.startswith(problem)
    assert str(err.value).startswith(f"{path}:{line}: {problem}")


def test_non_utf8_bytes_are_reported_on_their_line(tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(lines(GOOD).encode() + json.dumps(GOOD | {"sent_id": 1, "text": "Caf\u00e9"}, ensure_ascii=False).encode("latin-1") + b"\n")
    with pytest.raises(CorpusError) as err:
        load_sentences(path)
    assert err.value.line == 2 and err.value.problem.startswith("not valid UTF-8")


def test_a_byte_order_mark_and_crlf_line_ends_are_accepted(tmp_path):
    path = tmp_path / "windows.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + lines(GOOD, GOOD | {"sent_id": 1}).replace("\n", "\r\n").encode())
    assert [s["sent_id"] for s in load_sentences(path)] == [0, 1]


def test_empty_file_is_an_error(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="holds no JSON objects"):
        load_sentences(path)


def test_document_metadata_is_validated(tmp_path):
    path = tmp_path / "documents.jsonl"
    doc = {"doc_id": "d1", "title": "t", "date": None, "genre": "meeting_readout", "parties": ["A"],
           "region": "africa", "provenance": "constructed", "licence": "CC-BY-4.0"}
    path.write_text(lines(doc, doc | {"doc_id": "d2", "genre": "tweet"}), encoding="utf-8")
    with pytest.raises(CorpusError, match=r"documents.jsonl:2: unknown genre 'tweet'"):
        load_documents(path)


@pytest.mark.slow          # trains two models (the `trained` fixture)
@pytest.mark.parametrize("case", ["malformed JSON", "unknown rhetoric", "duplicate id"])
def test_cli_prints_one_line_exits_2_and_writes_nothing(tmp_path, case, trained):
    content, line, problem = CASES[case]
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    for args in (["validate", path], ["eval", "--test", path, "--out", out]):
        result = run_cli(*args, env=trained, check=False)
        assert result.returncode == 2
        [message] = result.stderr.strip().splitlines()
        assert message.startswith(f"error: {path}:{line}: {problem}")
    assert not out.exists()
    result = run_cli("predict", path, "--out", out / "pred.jsonl", env=trained, check=False)
    if case != "unknown rhetoric":     # predict ignores gold labels, so only structural errors apply
        assert result.returncode == 2 and f"{path}:{line}:" in result.stderr
    assert not (out / "pred.jsonl").exists()


@pytest.mark.slow          # trains two models (the `trained` fixture)
@pytest.mark.parametrize("make_input, problem", [
    (lambda tmp: tmp / "missing.txt", "cannot read file"),
    (lambda tmp: tmp, "is a folder, not a file"),
    (lambda tmp: (tmp / "png.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00") and tmp / "png.txt", "not valid UTF-8 text"),
    (lambda tmp: (tmp / "zw.txt").write_text("\u200b \u200b\n") and tmp / "zw.txt", "no sentences found"),
])
def test_predict_on_unreadable_or_empty_input_is_one_line_and_exit_2(tmp_path, trained, make_input, problem):
    path = make_input(tmp_path)
    result = run_cli("predict", path, "--model", "tfidf_svm", env=trained, check=False)
    assert result.returncode == 2, result.stderr
    [message] = result.stderr.strip().splitlines()
    assert message.startswith("error: ") and problem in message


@pytest.mark.slow          # trains two models (the `trained` fixture)
def test_a_readout_starting_with_a_brace_is_text_and_jsonl_with_a_bom_on_stdin_is_jsonl(trained):
    raw = run_cli("predict", "-", "--model", "tfidf_svm", env=trained,
                  input="{Embargoed} The ministers met in Accra. They agreed to reopen the border.")
    assert raw.stdout.count("\n     ") == 2
    jsonl = run_cli("predict", "-", "--model", "tfidf_svm", env=trained, input="\ufeff" + json.dumps(GOOD) + "\r\n")
    assert json.loads(jsonl.stdout)["doc_id"] == "d1"


def test_unknown_model_is_a_one_line_error():
    result = run_cli("eval", "--models", "no_such_model", check=False)
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error: unknown model 'no_such_model'; known: ")


def test_help_is_fast_and_does_not_import_sklearn():
    import subprocess
    import sys

    code = "import sys; from bench.cli import parser; parser(); print('sklearn' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=run_cli.__globals__["ROOT"])
    assert result.stdout.strip() == "False"
