"""Running pyright (basic mode) over generated clients and collecting its errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

PYRIGHT = Path(sys.executable).parent / "pyright"


def pyright_report(root: Path, config: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """Write ``pyrightconfig.json`` into ``root``, run pyright there; (errors, summary)."""
    (root / "pyrightconfig.json").write_text(json.dumps({"typeCheckingMode": "basic", **config}))
    done = subprocess.run(
        [str(PYRIGHT), "--outputjson", "--pythonpath", sys.executable],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(done.stdout)
    errors = [
        f"{d['file']}:{d['range']['start']['line'] + 1}: {d['message']}"
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    ]
    return errors, report["summary"]
