"""Docs generated from the registry stay in sync; every rule documents a bad and a good example."""

from __future__ import annotations

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
