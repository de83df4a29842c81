"""The audit core never imports the UI: `auditor batch` starts without Textual."""

import ast
import subprocess
import sys
from pathlib import Path

import auditor

CORE_MODULES = [
    "auditor.cli",
    "auditor.audit",
    "auditor.readers",
    "auditor.rules.engine",
    "auditor.model.detector",
    "auditor.output",
    "auditor.evaluation",
]
PACKAGE = Path(auditor.__file__).parent


def test_core_modules_do_not_load_textual():
    # rich may be loaded: scikit-learn's progress callbacks import it when it is installed.
    code = "".join(f"import {m}\n" for m in CORE_MODULES) + (
        "import sys\nprint(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'textual')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_only_the_tui_package_imports_textual_or_rich():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "tui" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(name.split(".")[0] in ("textual", "rich") for name in names):
                offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []
