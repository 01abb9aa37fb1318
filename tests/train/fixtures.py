"""What the training-side tests share: running a tool, a fresh teacher dataset, and the verdict."""
import os
import shutil
import subprocess

SKIP = 77  # ctest's SKIP_RETURN_CODE for these tests (tests/train/CMakeLists.txt)


def run(*command, env=None):
    """Runs a command (with env: in that environment), echoing it first; a failure raises CalledProcessError
    with its exit code."""
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True, env=env)


def teacher_data(synth, shared, work, count, seed):
    """Empties `work` and makes a teacher dataset of `count` avatars there with tera-synth.
    Returns the dataset folder, or None (after saying why) when the MakeHuman assets are absent."""
    assets = os.path.join(shared, "assets", "makehuman")
    if not os.path.isdir(assets):
        print(f"SKIPPED: the MakeHuman assets are not at {assets}")
        return None
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    pack, data = os.path.join(work, "assets.pack"), os.path.join(work, "data")
    run(synth, "pack", "--shared", assets, "--out", pack)
    run(synth, "generate", "--pack", pack, "--count", str(count), "--seed", str(seed), "--out", data)
    return data


def verdict(failures):
    """failures: list of messages -> 0 when empty, else 1 after printing each as 'FAIL: ...'."""
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0
