"""Shared fixtures of the conformance suite: where the built binaries are, and a running mediactl-emulator.

The binaries come from $MEDIACTL_BIN_DIR, else from `swift build --show-bin-path` at the package root
(scripts/conformance.sh builds first). Every server the suite talks to listens on 127.0.0.1.
"""
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _bin_dir() -> pathlib.Path:
    explicit = os.environ.get("MEDIACTL_BIN_DIR")
    if explicit:
        return pathlib.Path(explicit)
    out = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.strip()
    return pathlib.Path(out)


@pytest.fixture(scope="session")
def bin_dir() -> pathlib.Path:
    d = _bin_dir()
    for name in ("mediactl", "mediactl-emulator"):
        if not (d / name).exists():
            pytest.fail(f"{d / name} is missing: build first (scripts/conformance.sh does)")
    return d


class Emulator:
    """A mediactl-emulator process on a free loopback port with a throw-away state directory."""

    def __init__(self, bin_dir: pathlib.Path, extra=(), simulate_media=True, job_seconds=1.0):
        self.state = pathlib.Path(tempfile.mkdtemp(prefix="conformance-emu-"))
        args = [str(bin_dir / "mediactl-emulator"), "serve", "--port", "0", "--state", str(self.state),
                "--job-seconds", str(job_seconds)]
        if simulate_media:
            args.append("--simulate-media")
        args += list(extra)
        self.log = open(self.state / "stderr.log", "wb")
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.time() + 30
        endpoint_file = self.state / "endpoint"
        while time.time() < deadline:
            if endpoint_file.exists() and endpoint_file.read_text().strip():
                self.endpoint = endpoint_file.read_text().strip()
                break
            if self.process.poll() is not None:
                raise RuntimeError(f"mediactl-emulator exited with {self.process.returncode}")
            time.sleep(0.05)
        else:
            raise RuntimeError("mediactl-emulator did not write its endpoint file in 30 s")
        self.config_file = self.state / "oci_config"
        self.profile = "EMULATOR"

    def env(self) -> dict:
        """What `mediactl emulator start` prints for eval: the environment that points mediactl here."""
        text = (self.state / "env").read_text() if (self.state / "env").exists() else ""
        env = {}
        for line in text.splitlines():
            line = line.strip()
            if line.startswith("export "):
                line = line[len("export "):]
            if "=" in line:
                k, v = line.split("=", 1)
                env[k] = v.strip().strip("'\"")
        return env

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


@pytest.fixture(scope="session")
def emulator(bin_dir):
    emu = Emulator(bin_dir)
    yield emu
    emu.stop()


@pytest.fixture(scope="session")
def recorder(emulator):
    """A recording proxy (recorder.py) in front of the session's emulator: http and https (self-signed) on loopback."""
    from recorder import Recorder  # local module
    rec = Recorder(emulator).start()
    yield rec
    rec.stop()


# ---------------------------------------------------------------------------------------------------
# What the suite proves, for docs/conformance.md (coverage.py). A test calls `judge.request(...)` or
# `judge.served(...)` for what it checks; the claim is kept only if that test passes, so the table
# can never claim a match that the suite did not check.

_PROVEN = []  # entries of passing tests only


class Judge:
    def __init__(self, nodeid):
        self.nodeid = nodeid
        self.pending = []

    def request(self, api: str, operation: str, command: str, exceptions=()):
        """mediactl's `command` sent the same request as the SDK's `api.operation` (compared in this test), or
        differed only in `exceptions`: fields accepted by Tests/conformance/exceptions.toml."""
        self.pending.append({"kind": "request", "api": api, "operation": operation, "command": command,
                             "exceptions": sorted(exceptions), "test": self.nodeid})

    def local(self, api: str, operation: str, command: str):
        """mediactl's `command` made locally (no request) the same output as the SDK's `api.operation`: a client
        token with the same header, claims and a valid signature (compared in this test)."""
        self.pending.append({"kind": "local", "api": api, "operation": operation, "command": command,
                             "test": self.nodeid})

    def served(self, api: str, operation: str):
        """The emulator answered the SDK's `api.operation` and the answer deserialised (checked in this test)."""
        self.pending.append({"kind": "served", "api": api, "operation": operation, "test": self.nodeid})


@pytest.fixture
def judge(request):
    j = Judge(request.node.nodeid)
    request.node._judge = j
    yield j


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.passed and hasattr(item, "_judge"):
        _PROVEN.extend(item._judge.pending)


def pytest_sessionfinish(session, exitstatus):
    """After a full, green run: write the coverage table (CONFORMANCE_RECORD=1) or check the committed one."""
    import coverage_table  # local module
    cfg = session.config
    full_run = (cfg.args_source != pytest.Config.ArgsSource.ARGS and not cfg.option.keyword
                and not cfg.option.markexpr)
    if exitstatus != 0 or not full_run:
        return
    import requestdiff  # local module
    unused = requestdiff.EXCEPTIONS.unused()
    if unused:  # an exception no comparison needed any more is stale: remove it (or the run found less than it did)
        _fail_run(session, [f"exceptions.toml: unused exception {e['api']}.{e['operation']} {e['field']}" for e in unused])
        return
    if os.environ.get("CONFORMANCE_NO_TABLE"):
        return
    text = coverage_table.render(_PROVEN)
    target = ROOT / "docs" / "conformance.md"
    if os.environ.get("CONFORMANCE_RECORD"):
        target.write_text(text)
        return
    if not target.exists() or target.read_text() != text:
        (ROOT / ".build").mkdir(exist_ok=True)
        (ROOT / ".build" / "conformance.md.new").write_text(text)
        _fail_run(session, ["docs/conformance.md differs from what this run proved (.build/conformance.md.new); "
                            "rerun with CONFORMANCE_RECORD=1 to re-record it"])


def _fail_run(session, lines):
    """Fail a run whose tests all passed, saying why on stderr (the terminal summary is already written by now)."""
    session.exitstatus = 1
    print(file=sys.__stderr__)  # the progress line may not have ended
    for line in lines:
        print(f"conformance: {line}", file=sys.__stderr__)
