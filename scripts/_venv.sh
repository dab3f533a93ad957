# Sourced by scripts/run and scripts/test: makes .venv and installs what a lock file lists
# (requirements-dev.lock: every package at one version, each checked against its sha256),
# again only when that file has changed. With SKIP_VENV_INSTALL=1 an existing
# .venv is used as it is (tests that run scripts/run in a fresh clone link the clone's
# .venv to their own, already installed one).

# Sets $python to a Python 3.11 or newer found on PATH (or to $PYTHON), or stops.
find_python() {
  python="${PYTHON:-}"
  if [ -z "$python" ]; then
    for candidate in python3.13 python3.12 python3.11 python3; do
      if command -v "$candidate" >/dev/null 2>&1 &&
        "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        python="$candidate"
        break
      fi
    done
  fi
  if [ -z "$python" ]; then
    echo "The ASA Portal needs Python 3.11 or newer; none was found on PATH." >&2
    exit 1
  fi
}

ensure_venv() {
  local lock="$1"
  if [ "${SKIP_VENV_INSTALL:-}" = 1 ] && [ -x .venv/bin/python ]; then
    return 0
  fi
  find_python
  if [ ! -x .venv/bin/python ]; then
    echo "Creating the virtual environment in .venv with $python"
    "$python" -m venv .venv
  fi
  local stamp=".venv/.installed-$(basename "$lock")"
  local want
  want="$(sha256sum "$lock" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "Installing $lock into .venv"
    lock_install "$lock"
    echo "$want" >"$stamp"
  fi
}

# Installs a lock into .venv, each file checked against its sha256 (--require-hashes: a
# file whose sha256 is not in the lock is refused, and so is a package the lock does not
# pin). uv installs it, several times faster than pip (the dev lock's 101 packages in a
# few seconds, where pip takes about 20); uv itself comes first, with pip, from
# requirements-uv.lock (the dev lock's version of uv and its hashes). Where either step
# fails (no wheel of uv for this machine, an index only pip is set up to reach), pip
# installs the lock. pip itself stays the one the venv came with, which no lock checks.
lock_install() {
  local lock="$1"
  if .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes \
    -r requirements-uv.lock &&
    .venv/bin/uv pip install --quiet --require-hashes --python .venv/bin/python -r "$lock"; then
    return 0
  fi
  echo "uv could not install $lock; installing it with pip"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes \
    -r "$lock"
}
