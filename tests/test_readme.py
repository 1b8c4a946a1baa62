"""README.md stays true: its Python example runs and its commands exist."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_python_example_runs():
    code = re.search(r"## In Python\n\n```python\n(.*?)```", README, re.DOTALL).group(1)
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "003_0d86604bd71b6e9d" in proc.stdout
    assert "spun" in proc.stdout


def test_main_command_writes_the_report(tmp_path):
    cmd = re.search(r"pip install -e \. && (newsqa analyze .*)\n", README).group(1)
    args = cmd.split()[1:]
    out = tmp_path / "report"
    args[args.index("--out") + 1] = str(out)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-m", "newsqa", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (out / "report.json").is_file() and (out / "report.html").is_file()
