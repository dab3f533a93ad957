"""The lock files: what a server and a developer install (with --require-hashes) is what
requirements.txt and requirements-dev.txt pin, and production's lock holds every package the
portal's own code imports, so a server installed from it starts every process."""

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
# Code that production runs: everything but the tests, the benchmarks and the development
# runner (scripts/).
NOT_PRODUCTION = {"tests", "bench", "scripts", ".venv", "var", "media", "staticfiles"}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def direct_pins(path: Path) -> dict[str, str]:
    """name: version of each `name[extras]==version` line (`-r` lines are not followed)."""
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        match = re.fullmatch(r"([A-Za-z0-9._-]+)(\[[^\]]*\])?==([^\s;]+)", line)
        assert match, f"{path.name}: {line!r} is not pinned as name==version"
        pins[normalise(match[1])] = match[3]
    return pins


def locked(path: Path) -> dict[str, list[tuple[str, list[str]]]]:
    """name: [(version, sha256 hashes)], one entry per line that pins it (a universal lock
    may pin a package twice, under different markers)."""
    packages: dict[str, list[tuple[str, list[str]]]] = {}
    name = None
    for line in path.read_text().splitlines():
        match = re.match(r"([A-Za-z0-9._-]+)==([^\s;\\]+)", line)
        if match:
            name = normalise(match[1])
            packages.setdefault(name, []).append((match[2], []))
        elif name and (digest := re.search(r"--hash=sha256:([0-9a-f]{64})", line)):
            packages[name][-1][1].append(digest[1])
    return packages


RUNTIME = direct_pins(ROOT / "requirements.txt")
DEV_ONLY = direct_pins(ROOT / "requirements-dev.txt")
RUNTIME_LOCK = locked(ROOT / "requirements.lock")
DEV_LOCK = locked(ROOT / "requirements-dev.lock")
UV_LOCK = locked(ROOT / "requirements-uv.lock")


def test_every_pin_of_requirements_txt_is_in_the_production_lock_at_its_version():
    wrong = {
        name: (version, [v for v, _ in RUNTIME_LOCK.get(name, [])])
        for name, version in RUNTIME.items()
        if [v for v, _ in RUNTIME_LOCK.get(name, [])] != [version]
    }
    assert wrong == {}, "requirements.txt changed without scripts/lock (pin: lock)"


def test_every_pin_of_both_requirements_files_is_in_the_dev_lock_at_its_version():
    wrong = {
        name: (version, [v for v, _ in DEV_LOCK.get(name, [])])
        for name, version in {**RUNTIME, **DEV_ONLY}.items()
        if [v for v, _ in DEV_LOCK.get(name, [])] != [version]
    }
    assert wrong == {}, "requirements*.txt changed without scripts/lock (pin: lock)"


def test_the_dev_lock_pins_every_package_of_the_production_lock_at_the_same_version():
    differ = {
        name: (versions, DEV_LOCK.get(name))
        for name, versions in RUNTIME_LOCK.items()
        if sorted(v for v, _ in DEV_LOCK.get(name, [])) != sorted(v for v, _ in versions)
    }
    assert differ == {}


def test_every_locked_package_has_a_sha256_for_pip_to_check():
    unhashed = [
        f"{lock}: {name}=={version}"
        for lock, packages in (("requirements.lock", RUNTIME_LOCK), ("dev", DEV_LOCK))
        for name, entries in packages.items()
        for version, hashes in entries
        if not hashes
    ]
    assert unhashed == []


def test_the_uv_lock_pins_uv_alone_as_the_dev_lock_does_with_the_same_hashes():
    # scripts/_venv.sh installs uv from it, then lets uv install the dev lock.
    assert list(UV_LOCK) == ["uv"]
    assert UV_LOCK["uv"] == DEV_LOCK["uv"]
    assert UV_LOCK["uv"][0][1], "uv without a sha256"


def test_production_installs_no_development_tool():
    assert sorted(set(DEV_ONLY) & set(RUNTIME_LOCK)) == []
    assert "honcho" not in RUNTIME_LOCK
    assert "pytest" not in RUNTIME_LOCK


def production_modules() -> set[str]:
    """Top-level modules that production code imports, or names in settings."""
    modules = set()
    for path in ROOT.rglob("*.py"):
        if NOT_PRODUCTION & set(path.relative_to(ROOT).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    for dotted in [*settings.INSTALLED_APPS, *settings.MIDDLEWARE]:
        modules.add(dotted.split(".")[0])
    return modules


def test_every_package_that_production_code_imports_is_in_the_production_lock():
    own = {path.name for path in ROOT.iterdir() if path.is_dir()} | {"manage"}
    provided_by = importlib.metadata.packages_distributions()
    missing = {}
    for module in sorted(production_modules() - own - set(sys.stdlib_module_names)):
        distributions = {normalise(name) for name in provided_by.get(module, [])}
        if not distributions & set(RUNTIME_LOCK):
            missing[module] = sorted(distributions) or "installed by no package"
    assert missing == {}
