"""The C++ sources follow .clang-format (100 columns): clang-format 14 (Debian 12's, the version
the tree was formatted with; other versions break lines differently) changes none of them, and it
does flag a file planted out of format (so a pass means something). Skips, saying why, without
clang-format 14.

    python3 tests/core/format_test.py REPO
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.abspath(sys.argv[1])
SKIP = 77                                     # ctest SKIP_RETURN_CODE
FORMATTED = ("src", "include", "tools", "tests", "bench", "fuzz")  # folders of the project's own C++
SUFFIXES = (".cpp", ".h", ".cu", ".cuh")

clang_format = shutil.which("clang-format-14") or shutil.which("clang-format")
if clang_format is None:
    print("SKIP: clang-format is not installed (Debian package clang-format)")
    sys.exit(SKIP)
version = subprocess.run([clang_format, "--version"], capture_output=True, text=True).stdout
major = re.search(r"version (\d+)", version)
if not major or major.group(1) != "14":
    print(f"SKIP: {clang_format} is not version 14 ({version.strip()}); the tree is formatted with 14")
    sys.exit(SKIP)


def unformatted(root, files):
    """Files of `files` (paths under root) that clang-format would change, with root's .clang-format."""
    result = subprocess.run([clang_format, "--dry-run", "--Werror", f"--style=file:{os.path.join(REPO, '.clang-format')}"]
                            + files, cwd=root, capture_output=True, text=True)
    return sorted({line.split(":")[0] for line in result.stderr.splitlines() if ": error:" in line})


files = []
for top in FORMATTED:
    for folder, _, names in os.walk(os.path.join(REPO, top)):
        files += [os.path.relpath(os.path.join(folder, n), REPO) for n in names if n.endswith(SUFFIXES)]
assert len(files) > 100, f"found only {len(files)} C++ files under {REPO}"
bad = unformatted(REPO, sorted(files))
for path in bad:
    print(f"FAIL {path}: not formatted (clang-format -i {path})")
assert not bad, f"{len(bad)} of {len(files)} files differ from .clang-format"

with tempfile.TemporaryDirectory() as scratch:
    with open(os.path.join(scratch, "planted.cpp"), "w") as f:
        f.write("int  f( int x ){return x;}\n")
    assert unformatted(scratch, ["planted.cpp"]) == ["planted.cpp"], "the check misses a planted unformatted file"
print(f"{len(files)} files formatted")
