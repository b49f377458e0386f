"""Docs generated from the registry stay in sync; every rule documents a bad and a good example."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.rules.docs import rules_markdown
from jixiao.rules.registry import load_rules
from tests.conftest import ROOT


def test_rules_md_in_sync() -> None:
    assert (ROOT / "docs" / "rules.md").read_text("utf-8") == rules_markdown(), "run: jixiao rules --markdown > docs/rules.md"


@pytest.mark.parametrize("code", sorted(load_rules()))
def test_rule_docstring_has_sections(code: str) -> None:
    rule = load_rules()[code]
    assert rule.doc.startswith(code), "docstring opens with the code and a one-line summary"
    for section in ("依据：", "反例：", "正例："):
        assert section in rule.doc, f"{code} docstring lacks {section}"


def test_every_rule_has_a_section_in_chinese() -> None:
    text = rules_markdown()
    for code, rule in load_rules().items():
        assert f"\n### {code}\n" in text, f"{code} has no section in docs/rules.md (its group {rule.group} has no title)"
        row = next(line for line in text.splitlines() if line.startswith(f"| [{code}]"))
        category = row.split("|")[3].strip()
        assert category != rule.group and any("\u4e00" <= ch <= "\u9fff" for ch in category), row  # a title


def test_codes_are_ascii_and_messages_chinese() -> None:
    for code, rule in load_rules().items():
        assert code.isascii() and len(code) == 4
        assert any("\u4e00" <= ch <= "\u9fff" for ch in rule.summary)


def test_rules_doc_names_the_profile_settings_each_rule_reads() -> None:
    from jixiao.rules.docs import profile_settings
    from jixiao.rules.registry import load_rules

    rules = load_rules()
    assert "scoring.over_completion" in profile_settings(rules["I011"])
    assert profile_settings(rules["T005"]) == ["[[grades]]"]
    assert "[weights]" in profile_settings(rules["T001"]) and "scoring.sum_tolerance" in profile_settings(rules["T001"])
    assert profile_settings(rules["S001"]) == []
    assert "读取的评分口径设置：`[[grades]]`" in (ROOT / "docs" / "rules.md").read_text("utf-8")


@pytest.mark.parametrize("code", sorted(load_rules()))
def test_a_rule_declares_every_setting_it_reads(code: str) -> None:
    """What a rule's source reads of the profile (directly, or through the scorer's values) is declared on its
    registration (``reads=``): the docs and ``jixiao rules`` show the declaration."""
    from jixiao.rules.docs import profile_settings

    rule = load_rules()[code]
    undeclared = set(profile_settings(rule)) - set(rule.reads)
    assert not undeclared, f"{code} reads {sorted(undeclared)} without declaring them"


def test_an_undeclared_setting_fails_the_check(tmp_path: Path) -> None:
    """The check above can fail: a rule module that reads scoring.over_completion and declares nothing."""
    import importlib.util
    import sys

    from jixiao.rules.docs import profile_settings
    from jixiao.rules.registry import REGISTRY

    module = tmp_path / "Z998_probe.py"
    module.write_text('''"""Z998 探针。\n\n依据：无。\n\n反例：\n\n    无\n\n正例：\n\n    无\n"""
from jixiao.findings import Severity
from jixiao.rules.registry import rule


@rule("Z998", "probe", Severity.INFO, "探针", needs=(), reads=())
def check(ctx):
    return [] if ctx.profile.over_completion else []
''', "utf-8")
    spec = importlib.util.spec_from_file_location("jixiao.rules.probe.Z998_probe", module)
    assert spec is not None and spec.loader is not None
    loaded = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = loaded
    try:
        spec.loader.exec_module(loaded)
        rule = REGISTRY["Z998"]
        assert set(profile_settings(rule)) - set(rule.reads) == {"scoring.over_completion"}
    finally:
        REGISTRY.pop("Z998", None)
        sys.modules.pop(spec.name, None)


def test_every_rule_declares_what_it_needs() -> None:
    """``needs`` is part of every registration (() for a rule that needs no part): the table of which rule stops
    when a part is missing is read off the rules."""
    from jixiao.rules.registry import PARTS, needs

    rules = load_rules()
    assert all(set(r.needs) <= PARTS for r in rules.values())
    assert needs("I005") == {"indicators", "row_weights", "scores", "targets", "weights"}
    assert needs("S001") == frozenset() and rules["S001"].needs == ()


def test_docs_link_only_to_what_is_in_the_repository() -> None:
    """Every relative link of the README and docs/ points at a file of the repository; nothing names a place
    outside it (a reader has the repository only)."""
    import re

    from tests.conftest import ROOT

    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    checked = 0
    for page in pages:
        text = page.read_text("utf-8")
        assert "../shared" not in text, page
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if re.match(r"[a-z]+:", target):
                continue  # http(s), mailto
            assert (page.parent / target).resolve().is_relative_to(ROOT.resolve()), (page, target)
            assert (page.parent / target).exists(), (page, target)
            checked += 1
    assert checked >= 10


def test_the_clerks_rule_pages_name_settings_in_words() -> None:
    """The rule pages of jixiao serve say which settings of the bureau a rule uses in words, never their keys."""
    from jixiao.rules.docs import PLAIN_SETTINGS, rule_text
    from jixiao.rules.registry import load_rules

    for code, rule in load_rules().items():
        assert set(rule.reads) <= set(PLAIN_SETTINGS), (code, set(rule.reads) - set(PLAIN_SETTINGS))
        plain = rule_text(code, plain=True)
        assert "scoring." not in plain and "读取的评分口径设置" not in plain, code
    assert "得分保留的小数位" in rule_text("I005", plain=True)


def test_ci_runs_the_quick_start_test_command() -> None:
    """.ci/run calls the README's Quick start test command as written (each command makes its own virtual
    environment: a Python that refuses system-wide installs runs them too)."""
    import re

    from tests.conftest import ROOT

    block = re.search(r"## Quick start.*?```bash\n(.*?)```", (ROOT / "README.md").read_text("utf-8"), re.S)
    assert block is not None
    install, test = block.group(1).strip().splitlines()
    assert install.startswith("python3 -m venv .venv && ") and test.startswith("python3 -m venv .venv && ")
    assert "samples/" in install and "pytest" in test
    assert test in (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
