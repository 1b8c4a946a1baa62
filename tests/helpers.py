"""Helpers shared by the tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any


def run_fresh(imports: str, expr: str, texts: list[str], hash_seed: str = "0") -> Any:
    """``[expr for t in texts]`` computed in a fresh interpreter, as JSON data.

    Determinism checks: a result must not depend on the process, its hash
    seed or anything cached in the test process.
    """
    code = f"import json, sys\n{imports}\ntexts = json.loads(sys.stdin.read())\nprint(json.dumps([{expr} for t in texts]))\n"
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    res = subprocess.run(
        [sys.executable, "-c", code], input=json.dumps(texts), capture_output=True, text=True, env=env, timeout=300
    )
    assert res.returncode == 0, res.stderr[-2000:]
    return json.loads(res.stdout)
