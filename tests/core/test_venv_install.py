"""scripts/_venv.sh installs a lock with uv (itself installed with pip from
requirements-uv.lock), both with --require-hashes, and with pip alone where uv cannot.

The virtualenv's python and uv are stand-ins that write down how they were called and
fail where a test says, so that nothing is installed and no network is needed.
"""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENSURE = "source scripts/_venv.sh; ensure_venv requirements-dev.lock"
STAND_IN = """#!/bin/sh
echo "$(basename "$0") $*" >>"{log}"
case "$*" in *"{fails}"*) exit 1 ;; esac
exit 0
"""


def install(tmp_path: Path, *, fails: str = "never matches") -> list[str]:
    """Runs ensure_venv requirements-dev.lock in a copy of the scripts and locks with the
    stand-ins; returns their calls, one line each."""
    if shutil.which("bash") is None:
        pytest.skip("bash is needed")
    for name in ("requirements-dev.lock", "requirements-uv.lock"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "_venv.sh", tmp_path / "scripts" / "_venv.sh")
    bin_ = tmp_path / ".venv" / "bin"
    bin_.mkdir(parents=True)
    log = tmp_path / "calls.log"
    for name in ("python", "uv"):
        (bin_ / name).write_text(STAND_IN.format(log=log, fails=fails))
        (bin_ / name).chmod(0o755)
    subprocess.run(
        # As scripts/run and scripts/test run it: a failing step must not stop the script.
        ["bash", "-c", f"set -euo pipefail; {ENSURE}"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        check=True,
        capture_output=True,
        timeout=30,
    )
    return log.read_text().splitlines()


def test_uv_comes_from_its_hashed_lock_and_installs_the_dev_lock_with_hashes(tmp_path):
    assert install(tmp_path) == [
        "python -m pip install --quiet --disable-pip-version-check --require-hashes "
        "-r requirements-uv.lock",
        "uv pip install --quiet --require-hashes --python .venv/bin/python "
        "-r requirements-dev.lock",
    ]


# What only the failing step's call holds: pip's install of uv, or uv's of the dev lock.
@pytest.mark.parametrize(
    "fails", ["-r requirements-uv.lock", "--python .venv/bin/python"], ids=["pip", "uv"]
)
def test_pip_installs_the_dev_lock_with_hashes_where_uv_cannot(tmp_path, fails):
    assert install(tmp_path, fails=fails)[-1] == (
        "python -m pip install --quiet --disable-pip-version-check --require-hashes "
        "-r requirements-dev.lock"
    )


def test_a_second_run_with_the_same_lock_installs_nothing(tmp_path):
    install(tmp_path)
    (tmp_path / "calls.log").unlink()
    subprocess.run(
        ["bash", "-c", f"set -euo pipefail; {ENSURE}"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        check=True,
        timeout=30,
    )
    assert not (tmp_path / "calls.log").exists()
