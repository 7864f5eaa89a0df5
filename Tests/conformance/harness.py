"""Running one comparison: the SDK call and the mediactl command for the same operation, both through the recorder.

`Case` is one row of a test_requests_*.py table; `Harness.check` runs it: the SDK call inside one capture, the real
mediactl binary (non-interactive, `--output json`) inside another, then each SDK request is paired with mediactl's
request of the same method and path and compared field by field (requestdiff). A difference fails unless
exceptions.toml accepts it; a match is claimed with judge.request.
"""
from __future__ import annotations

import json
import os
import re
import pathlib
import subprocess
import tempfile
from dataclasses import dataclass, field
from typing import Callable

import pytest

import requestdiff


@dataclass
class Case:
    api: str  # as in coverage_table.apis()
    operation: str  # the SDK's method name
    sdk: Callable  # (ctx) -> None: makes the SDK call
    argv: Callable  # (ctx) -> [mediactl arguments]
    command: str = ""  # "mediactl <group> <verb>" for the table (default: the argv's leading words)
    stdin: str | None = None
    env: dict = field(default_factory=dict)  # extra environment for mediactl
    exit_code: int = 0
    prepare: Callable | None = None  # (ctx) -> value kept as ctx.prep: made before, and outside, both captures


class Harness:
    def __init__(self, recorder, bin_dir: pathlib.Path, base_env: dict):
        self.recorder = recorder
        self.bin_dir = bin_dir
        self.home = pathlib.Path(tempfile.mkdtemp(prefix="conformance-home-"))
        self.env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.home),
                    "XDG_CONFIG_HOME": str(self.home / ".config"), "XDG_STATE_HOME": str(self.home / ".state"),
                    "MEDIACTL_NO_INPUT": "1", "MEDIACTL_QUIET": "1", "LANG": "C.UTF-8"}
        self.env.update(base_env)
        self.placeholders: dict = {}

    def name(self, value: str, placeholder: str) -> str:
        """Show `value` as {placeholder} in diffs (and exceptions.toml)."""
        self.placeholders[value] = placeholder
        return value

    def mediactl(self, argv, stdin=None, env=None, exit_code=0) -> subprocess.CompletedProcess:
        full_env = dict(self.env, **(env or {}))
        p = subprocess.run([str(self.bin_dir / "mediactl"), *argv, "--output", "json"], input=stdin, env=full_env,
                           capture_output=True, text=True, timeout=120, cwd=self.home)
        assert p.returncode == exit_code, f"mediactl {' '.join(argv)} exited {p.returncode}: {p.stderr.strip()}"
        return p

    def check(self, judge, case: Case):
        """Run one table row; `case`'s functions get this harness (with the test module's clients on it)."""
        self.prep = case.prepare(self) if case.prepare else None
        with self.recorder.capture() as sdk_got:
            case.sdk(self)
        argv = case.argv(self)
        with self.recorder.capture() as m_got:
            self.mediactl(argv, stdin=case.stdin, env=case.env, exit_code=case.exit_code)
        assert sdk_got, f"the SDK's {case.operation} sent nothing"
        compare(judge, case.api, case.operation, case.command or command_of(argv), sdk_got, m_got, self.placeholders)


def despite_emulator_defect(call, error_text: str, why: str):
    """An SDK call whose request is made and compared, but whose answer from the emulator the SDK cannot take (an
    emulator defect, judged by direction 2's tests, not here). Only an error containing `error_text` is excused,
    and once the emulator is fixed the call succeeds and this fails, so the excuse cannot outlive the defect."""
    def run(h):
        try:
            call(h)
        except Exception as e:  # the SDKs raise their own error types; the text identifies the defect
            if error_text in str(e):
                return
            raise
        pytest.fail(f"the SDK call now succeeds against the emulator ({why}): drop despite_emulator_defect here")
    return run


def command_of(argv) -> str:
    words = []
    for a in argv:
        if not re.fullmatch(r"[a-z][a-z-]*", a):  # a flag, an id or a value: the command is the words before it
            break
        words.append(a)
    return "mediactl " + " ".join(words)


def compare(judge, api, operation, command, sdk_got, m_got, placeholders):
    """Pair each SDK request with mediactl's of the same method and path; every difference is accepted or fails."""
    for rec in list(sdk_got) + list(m_got):
        assert rec.auth_error is None, f"{rec.method} {rec.target}: {rec.auth_error}"
    remaining = list(m_got)
    problems, accepted_all = [], []
    for s in sdk_got:
        sn = requestdiff.normalise(s, placeholders)
        same_route = [m for m in remaining if m.method == s.method and
                      requestdiff.normalise(m, placeholders)["path"] == sn["path"]]
        # Of several (parts of an upload), the one with the same query, else the first.
        query = {k: v for k, v in sn.items() if k.startswith("query.")}
        match = next((m for m in same_route if {k: v for k, v in requestdiff.normalise(m, placeholders).items()
                                                 if k.startswith("query.")} == query),
                     same_route[0] if same_route else None)
        if match is None:
            sent = "\n  ".join(f"{m.method} {requestdiff.substitute(m.target, placeholders)}" for m in m_got) or "nothing"
            problems.append(f"mediactl sent no {s.method} {sn['path']} (the SDK's request); it sent:\n  {sent}")
            continue
        remaining.remove(match)
        diffs = requestdiff.differences(requestdiff.normalise(match, placeholders), sn)
        accepted, unexplained = requestdiff.EXCEPTIONS.judge(api, operation, diffs)
        accepted_all += accepted
        for f, a, b in unexplained:
            problems.append(f"{s.method} {sn['path']}: {f}: mediactl {a!r}, SDK {b!r}")
    if problems:
        pytest.fail(f"{api}.{operation} vs `{command}`:\n" + "\n".join(problems), pytrace=False)
    requestdiff.EXCEPTIONS.mark_used(i for i, _ in accepted_all)
    judge.request(api, operation, command, exceptions=sorted({d[0] for _, d in accepted_all}))


# ---- shared by the test_requests_* modules

# Video calls about a stream or connection: the emulator has no connected clients (a client cannot join over HTTP),
# so it answers 404 (mediactl exit 5) or 400 "Invalid stream ID" (exit 1, docs/exit-codes.md); the request is
# compared all the same.
NOT_FOUND, REFUSED = 5, 1
STREAM, CONNECTION = "0b3e3c7e-5d8b-4a3e-9a3c-0000000000a1", "0b3e3c7e-5d8b-4a3e-9a3c-0000000000c1"


def oci_harness(recorder, bin_dir, emulator) -> Harness:
    """mediactl pointed at the recorder for Media Services, Media Stream and Object Storage."""
    env = emulator.env()
    env.update(MEDIACTL_ENDPOINT=recorder.http, MEDIACTL_OBJECTSTORAGE_ENDPOINT=recorder.http)
    return Harness(recorder, bin_dir, env)


def video_harness(recorder, bin_dir, emulator, platform: str) -> Harness:
    """mediactl pointed at the recorder with the emulator's OpenTok project or Vonage application only."""
    env = emulator.env()
    ours, theirs = (("OPENTOK_API_URL", ("VONAGE_APPLICATION_ID", "VONAGE_PRIVATE_KEY_PATH", "VONAGE_VIDEO_URL"))
                    if platform == "opentok" else
                    ("VONAGE_VIDEO_URL", ("OPENTOK_API_KEY", "OPENTOK_API_SECRET", "OPENTOK_API_URL")))
    env.update({ours: recorder.http, "MEDIACTL_VIDEO_PLATFORM": platform})
    for k in theirs:
        env.pop(k, None)
    h = Harness(recorder, bin_dir, env)
    h.name(STREAM, "stream")
    h.name(CONNECTION, "connection")
    return h


def fresh_session(h) -> str:
    """A routed session of its own (one archive and one broadcast at a time per session), made with mediactl."""
    out = h.mediactl(["session", "create", "--media-mode", "routed"]).stdout
    return h.name(json.loads(out)["session_id"], "fresh_session")


def two_sessions(h):
    return fresh_session(h), fresh_session(h)


def captions_round_trip(h, judge, api, sdk_start, sdk_stop):
    """Captions run once per session at a time: start and stop with the SDK (`sdk_start(h)` returns what
    `sdk_stop(h, started)` takes and the captions ID), then with mediactl (en-GB, 1800 s, no partial captions),
    and compare both calls."""
    with h.recorder.capture() as s_start:
        started, sdk_id = sdk_start(h)
    h.name(sdk_id, "captions")
    with h.recorder.capture() as s_stop:
        sdk_stop(h, started)
    with h.recorder.capture() as m_start:
        out = h.mediactl(["captions", "start", "--session-id", h.session, "--language-code", "en-GB",
                          "--max-duration", "1800", "--partial-captions", "false"])
    m_id = [r for r in m_start if r.path.endswith("/captions")][0].response_json()["captionsId"]
    assert m_id in out.stdout
    with h.recorder.capture() as m_stop:
        h.mediactl(["captions", "stop", h.name(m_id, "captions")])
    compare(judge, api, "start_captions", "mediactl captions start", s_start, m_start, h.placeholders)
    compare(judge, api, "stop_captions", "mediactl captions stop", s_stop, m_stop, h.placeholders)
