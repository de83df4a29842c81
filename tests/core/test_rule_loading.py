"""Rule packs load all or nothing, and every problem names its file and line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from auditor import resources
from auditor.rules.engine import RuleSet
from auditor.rules.loader import RuleSetError
from tests.conftest import make_case, make_note

GOOD = """\
kind: phrase
severity: medium
message: Is this evidenced?
guidance: Say who saw it.
triggers: ['doing really well']
examples:
  flag: ['Mum is doing really well.']
  pass: ['Mum is not coping.']
"""


def pack(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def problems(tmp_path: Path, text: str, name: str = "optimism/Bad.yaml") -> list[str]:
    directory = pack(tmp_path, {name: text, "optimism/Good.yaml": GOOD})
    with pytest.raises(RuleSetError) as caught:
        RuleSet.load([directory])
    return [str(p) for p in caught.value.problems]


def test_good_pack_loads_with_id_from_path(tmp_path):
    rules = RuleSet.load([pack(tmp_path, {"optimism/Good.yaml": GOOD})])
    assert [r.info.id for r in rules.rules] == ["optimism.Good"]
    assert rules.rules[0].info.category == "optimism"


def test_unknown_key_is_reported_with_line_and_suggestion(tmp_path):
    found = problems(tmp_path, GOOD.replace("triggers:", "trigers:"))
    assert len(found) == 1
    assert "Bad.yaml:5:" in found[0]
    assert "unknown key 'trigers'" in found[0] and "did you mean 'triggers'" in found[0]


def test_bad_pattern_is_reported_with_its_line(tmp_path):
    found = problems(tmp_path, GOOD.replace("['doing really well']", "\n  - 'fine'\n  - '(unclosed'"))
    assert "Bad.yaml:7:" in found[0] and "missing )" in found[0]


def test_lookaround_is_refused_with_advice(tmp_path):
    found = problems(tmp_path, GOOD.replace("doing really well", "doing (?!badly)"))
    assert "lookaround is not supported" in found[0]


def test_unknown_category_folder(tmp_path):
    found = problems(tmp_path, GOOD, name="optimsm/Bad.yaml")
    assert "unknown category 'optimsm'" in found[0] and "did you mean 'optimism'" in found[0]


def test_unknown_record_type(tmp_path):
    found = problems(tmp_path, GOOD + "types: [assesment]\n")
    assert "Bad.yaml:9:" in found[0] and "did you mean 'assessment'" in found[0]


def test_yaml_tags_that_construct_objects_are_refused(tmp_path):
    found = problems(tmp_path, GOOD + "extra: !!python/object/apply:os.system ['echo pwned']\n")
    assert "Bad.yaml:9:" in found[0] and "not allowed" in found[0]


def test_every_problem_is_reported_and_nothing_loads(tmp_path):
    directory = pack(
        tmp_path,
        {
            "optimism/A.yaml": GOOD.replace("severity: medium", "severity: urgent"),
            "optimism/B.yaml": GOOD.replace("kind: phrase", "kind: magic"),
            "optimism/Good.yaml": GOOD,
        },
    )
    with pytest.raises(RuleSetError) as caught:
        RuleSet.load([directory])
    assert len(caught.value.problems) == 2


def test_later_directories_override_rules_of_the_same_id(tmp_path):
    first = pack(tmp_path / "a", {"optimism/Good.yaml": GOOD})
    second = pack(tmp_path / "b", {"optimism/Good.yaml": GOOD.replace("severity: medium", "severity: high")})
    rules = RuleSet.load([first, second])
    assert len(rules) == 1 and rules.rules[0].info.severity.value == "high"


def test_catastrophic_pattern_runs_in_linear_time(tmp_path):
    rule = GOOD.replace("['doing really well']", "['(a+)+$', '(x|x)*y']")
    rules = RuleSet.load([pack(tmp_path, {"optimism/Slow.yaml": rule})])
    from tests.conftest import make_case, make_note

    case = make_case(make_note("a" * 200_000 + "!", "visit"))
    rules.audit(case)  # would take longer than the universe with a backtracking engine


def test_cli_rules_check_reports_problems_and_exits_2(tmp_path):
    directory = pack(tmp_path, {"optimism/Bad.yaml": GOOD.replace("message:", "mesage:")})
    result = subprocess.run(
        [sys.executable, "-m", "auditor", "rules", "check", str(directory)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "Bad.yaml:3: unknown key 'mesage' (did you mean 'message'?)" in result.stderr


def test_broken_rules_stop_audit_before_anything_runs(tmp_path):
    directory = pack(tmp_path, {"optimism/Bad.yaml": GOOD.replace("kind: phrase", "kind: magic")})
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "auditor",
            "audit",
            "--engine",
            "rules",
            "--rules",
            str(directory),
            "--format",
            "jsonl",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "nothing was run" in result.stderr


def test_bundled_pack_examples_all_pass():
    result = subprocess.run([sys.executable, "-m", "auditor", "rules", "test"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert " 0 failed" in result.stdout


def test_bundled_pack_copy_is_valid(tmp_path):
    shutil.copytree(resources.rules_dir(), tmp_path / "rules")
    assert len(RuleSet.load([tmp_path / "rules"])) >= 10


def test_unless_window_can_look_only_forward(tmp_path):
    rule = GOOD.replace(
        "examples:",
        "unless:\n  patterns: ['school confirm']\n  window: {before: 0, after: 1}\nexamples:",
    )
    rules = RuleSet.load([pack(tmp_path, {"optimism/Good.yaml": rule})])

    def flagged(text: str) -> bool:
        return bool(rules.audit(make_case(make_note(text, "visit"))))

    assert not flagged("Mum is doing really well. School confirm she collects Child A every day.")
    assert flagged("School confirm attendance is 96%. Mum is doing really well.")


def test_unless_window_mapping_rejects_unknown_keys(tmp_path):
    rule = GOOD.replace("examples:", "unless:\n  patterns: ['x']\n  window: {befor: 1}\nexamples:")
    found = problems(tmp_path, rule)
    assert any("befor" in p and "before" in p for p in found)


def test_a_pattern_ending_in_a_class_escape_gets_no_word_edge(tmp_path):
    rule = GOOD.replace("triggers: ['doing really well']", r"triggers: ['outcome:\s*\w']").replace(
        "flag: ['Mum is doing really well.']", "flag: ['Outcome: EH.']"
    )
    rules = RuleSet.load([pack(tmp_path, {"optimism/Good.yaml": rule})])
    assert rules.audit(make_case(make_note("Outcome: EH.", "contact")))
