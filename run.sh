#!/usr/bin/env bash
# Quickstart: one command sets everything up and runs the main job or the tests.
#   ./run.sh demo    grade a demo class end to end (fresh SQLite gradebook, bundled submissions)
#   ./run.sh test    run the whole test suite (what CI runs)
#   ./run.sh setup   only create/refresh the environment, the data cache and chromium (tests)
# Any further arguments go to `course demo` or to pytest.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
VENV="$ROOT/.venv"
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3

setup() {
    if [ ! -x "$VENV/bin/python" ]; then
        echo "==> creating virtual environment in .venv ($("$PY" --version))"
        "$PY" -m venv "$VENV"
    fi
    local stamp="$VENV/.course-installed" want
    want=$(cat requirements.txt pyproject.toml setup.py | sha256sum | cut -d' ' -f1)
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        echo "==> installing pinned dependencies (first run takes a minute or two)"
        "$VENV/bin/python" -m pip install --quiet --upgrade pip
        "$VENV/bin/python" -m pip install --quiet -r requirements.txt
        # setuptools announces how it made the editable install (a notice, not a problem)
        PYTHONWARNINGS="ignore:Editable installation" "$VENV/bin/python" -m pip install --quiet --no-deps -e .
        echo "$want" > "$stamp"
    fi
    # nbgrader calls alembic from the environment's bin/
    export PATH="$VENV/bin:$PATH"
    course data setup
}

# The browser tests (feedback pages, JupyterLab) use Debian's chromium, driven by Playwright
# (which never downloads a browser of its own here).
browser() {
    command -v chromium >/dev/null 2>&1 && return
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "==> installing chromium (apt-get) for the browser tests"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "warning: chromium is missing and only root can install it here;" \
             "the browser tests will be skipped" >&2
    fi
}

cmd=${1:-help}
[ $# -gt 0 ] && shift
case "$cmd" in
    setup) setup; browser ;;
    demo)  setup; exec course demo "$@" ;;
    # Two test processes (one per core; most tests wait on kernels); tests marked with one
    # xdist_group (the attack suite, which looks for processes its attacks left) stay together.
    test)  setup; browser; exec python -m pytest -n "${COURSE_TEST_JOBS:-2}" --dist loadgroup --durations=25 "$@" ;;
    *) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; [ "$cmd" = help ] || exit 2 ;;
esac
