"""The layers of the portal hold: `lint-imports` checks the contracts in pyproject.toml."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_apps_keep_to_their_layers_and_no_module_imports_in_a_cycle():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    assert result.returncode == 0, result.stdout[-4000:]
    assert "Contracts: 2 kept, 0 broken." in result.stdout
