"""The Python API as the README shows it: every ```python block of "Using the kit from Python" runs.

The blocks run in order, in one namespace, from the kit's root, exactly as a
reader would paste them; the test then checks what they computed.
"""

import os
import re

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


def _readme_blocks():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Using the kit from Python", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def test_readme_python_examples_run_and_give_what_they_say(tmp_path, monkeypatch):
    blocks = _readme_blocks()
    assert len(blocks) >= 4
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("READOUT_BENCH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("READOUT_BENCH_OUTPUTS", str(tmp_path / "outputs"))
    namespace = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)       # noqa: S102 - the README's own examples
    test = namespace["test"]
    assert test and all(s["split"] == "test" for s in test) and "rhetoric" in test[0]
    row = namespace["results"]["tasks"]["rhetoric"]["comparison"]["models"]["ridge"]
    assert row["ci"][0] <= row["point"] <= row["ci"][1] and row["above_floor"] in (True, False)
    assert 0 <= namespace["board"]["rhetoric"]["models"]["always_report"]["macro_f1"] < 0.2
    frame = namespace["df"]
    assert len(frame) > 10_000 and set(frame["split"].dropna()) >= {"train", "dev", "test"}
    assert not list(ROOT.glob(".staging-*"))
    assert os.getcwd() == str(ROOT)
