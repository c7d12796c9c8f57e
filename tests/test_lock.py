"""Reproducible installs: requirements.lock and requirements-dev.lock pin every package with
hashes, match the requirements they were made from, and setup.sh refuses a stale lock with the
command that refreshes it."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def inputs_hash() -> str:
    text = (REPO / "requirements.txt").read_bytes() + (REPO / "requirements-dev.txt").read_bytes()
    return hashlib.sha256(text).hexdigest()


def pinned(lock: str) -> dict[str, str]:
    found = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", (REPO / lock).read_text(), re.M)
    return {name.lower().replace("_", "-"): version for name, version in found}


def required(requirements: str) -> set[str]:
    names = set()
    for line in (REPO / requirements).read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-r"):
            names.add(re.split(r"[<>=!~\[ ;]", line)[0].lower().replace("_", "-"))
    return names


def test_the_locks_match_the_requirements_and_pin_everything_with_hashes():
    for lock, requirements in (("requirements.lock", ["requirements.txt"]),
                               ("requirements-dev.lock", ["requirements.txt",
                                                          "requirements-dev.txt"])):
        text = (REPO / lock).read_text()
        assert text.startswith(f"# inputs-sha256: {inputs_hash()}"), \
            f"{lock} is older than the requirements: run ./scripts/lock.sh"
        pins = pinned(lock)
        for name in set().union(*(required(r) for r in requirements)):
            assert name in pins, f"{name} is not pinned in {lock}"
        blocks = re.split(r"\n(?=[A-Za-z0-9_.-]+==)", text.split("\n\n", 1)[-1])
        for block in blocks:
            if "==" in block.split("\n")[0]:
                assert "--hash=sha256:" in block, block.split("\n")[0]
    dev, run = pinned("requirements-dev.lock"), pinned("requirements.lock")
    assert all(dev.get(name) == version for name, version in run.items())  # same versions


def test_setup_refuses_a_lock_older_than_its_requirements(tmp_path):
    (tmp_path / "scripts").mkdir()
    shutil.copy(REPO / "scripts" / "setup.sh", tmp_path / "scripts")
    for name in ("requirements.txt", "requirements-dev.txt", "requirements.lock",
                 "requirements-dev.lock"):
        shutil.copy(REPO / name, tmp_path)
    with open(tmp_path / "requirements-dev.txt", "a") as file:
        file.write("some-new-package>=1\n")
    venv = tmp_path / "venv"
    done = subprocess.run(["bash", "-c", f"source {tmp_path}/scripts/setup.sh "
                           "requirements-dev.txt"], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "REM_VENV": str(venv)}, timeout=60)
    assert done.returncode == 1
    assert "./scripts/lock.sh" in done.stderr and "requirements-dev.lock" in done.stderr
    assert not venv.exists()  # refused before anything was installed
