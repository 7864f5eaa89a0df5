"""mediactl's Vonage Video requests against vonage-video 1.6.1's (issue 14, direction 1).

The same video commands as test_requests_opentok.py with the emulator's Vonage application
(MEDIACTL_VIDEO_PLATFORM=vonage), against `vonage_video.Video`. vonage-http-client only builds https URLs, so the SDK
talks to the recorder's TLS side (a throw-away certificate, trusted through the session's CA-bundle setting) and
mediactl to its plain side: the scheme is not compared. As there, the emulator has no connected clients, so calls
about a stream or a connection are compared with the emulator's error answer on both sides.
"""
import json

import pytest
from vonage_http_client import Auth, HttpClient, HttpClientOptions
from vonage_http_client.errors import HttpRequestError
from vonage_video import Video
from vonage_video.models import archive, audio_connector, broadcast, captions, common, experience_composer, session, \
    signal, sip, stream, token

from harness import (CONNECTION, NOT_FOUND, REFUSED, STREAM, Case, captions_round_trip,
                     fresh_session, two_sessions, video_harness)

VV = "vonage_video.Video"


@pytest.fixture(scope="module")
def ctx(recorder, bin_dir, emulator):
    h = video_harness(recorder, bin_dir, emulator, "vonage")
    h.vv = new_video(h)
    h.session = h.name(fresh_session(h), "session")
    h.archive = h.name(new_archive(h, "manual"), "archive")
    h.broadcast = h.name(new_broadcast(h, "manual"), "broadcast")
    h.render = h.name(new_render(h), "render")
    return h


def new_video(h):
    """vonage_video.Video for the emulator's application, at the recorder's TLS side."""
    key = open(h.env["VONAGE_PRIVATE_KEY_PATH"]).read()
    client = HttpClient(Auth(application_id=h.env["VONAGE_APPLICATION_ID"], private_key=key),
                        HttpClientOptions(video_host=h.recorder.https.split("://", 1)[1]))
    # requests' CA-bundle setting: trust the recorder's certificate. Without trust_env, because requests lets
    # REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE from the environment override the session's bundle, and a loopback call
    # must not go through an *_PROXY either.
    client._session.verify = h.recorder.ca_file
    client._session.trust_env = False
    return Video(client)


def client_token(h, role="publisher"):
    return h.vv.generate_client_token(token.TokenOptions(session_id=h.session, role=role)).decode()


# Archives and broadcasts to work on are started with mediactl: the emulator refuses vonage-video's start bodies
# (they leave unset keys out; the emulator wants opentok 3.15's nine keys): direction 2's finding.
def new_archive(h, mode="auto"):
    out = h.mediactl(["archive", "start", "--session-id", fresh_session(h), "--stream-mode", mode]).stdout
    return json.loads(out)["id"]


def new_broadcast(h, mode="auto"):
    out = h.mediactl(["broadcast", "start", "--session-id", fresh_session(h), "--hls", "--stream-mode", mode]).stdout
    return json.loads(out)["id"]


def new_render(h):
    return h.vv.start_experience_composer(experience_composer.ExperienceComposerOptions(
        session_id=h.session, token=client_token(h), url="https://example.com/conformance")).id


def stopped_archive(h):
    a = new_archive(h)
    h.vv.stop_archive(a)
    return a


def raises(call):
    """The SDK call whose answer is an error (no such stream or connection in the emulator): the request is made."""
    def run(h):
        with pytest.raises(HttpRequestError):
            call(h)
    return run


def each_own(operation, make, argv, placeholder):
    """Stop/delete: each side acts on a resource of its own, made for it (shown as one placeholder)."""
    def prepare(h):
        return h.name(make(h), placeholder), h.name(make(h), placeholder)
    return Case(VV, operation, lambda h: getattr(h.vv, operation)(h.prep[0]), lambda h: argv(h.prep[1]),
                prepare=prepare)


CASES = [
    # A new client: vonage-http-client 1.5.2 keeps the Content-Type of an earlier JSON call in its shared headers and
    # then labels the form body of /session/create `application/json` (an SDK bug; a user's first call is fine).
    Case(VV, "create_session", lambda h: new_video(h).create_session(session.SessionOptions(media_mode="routed")),
         lambda h: ["session", "create", "--media-mode", "routed"]),
    # archives
    Case(VV, "start_archive", lambda h: h.vv.start_archive(archive.CreateArchiveRequest(
        session_id=h.prep[0], name="conformance", multi_archive_tag="tag", resolution="1280x720")),
         lambda h: ["archive", "start", "--session-id", h.prep[1], "--name", "conformance", "--multi-archive-tag",
                    "tag", "--resolution", "1280x720"], prepare=two_sessions),
    each_own("stop_archive", new_archive, lambda a: ["archive", "stop", a], "doomed_archive"),
    Case(VV, "get_archive", lambda h: h.vv.get_archive(h.archive), lambda h: ["archive", "get", h.archive]),
    Case(VV, "list_archives", lambda h: h.vv.list_archives(archive.ListArchivesFilter(offset=0, page_size=10, session_id=h.session)),
         lambda h: ["archive", "list", "--offset", "0", "--count", "10", "--session-id", h.session]),
    each_own("delete_archive", stopped_archive, lambda a: ["archive", "delete", a, "--yes"], "doomed_archive"),
    Case(VV, "change_archive_layout", lambda h: h.vv.change_archive_layout(
        h.archive, common.ComposedLayout(type="bestFit", screenshare_type="pip")),
         lambda h: ["archive", "layout", h.archive, "--layout", "bestFit", "--screenshare-type", "pip"]),
    Case(VV, "add_stream_to_archive", raises(lambda h: h.vv.add_stream_to_archive(
        h.archive, common.AddStreamRequest(stream_id=STREAM, has_video=False))),
         lambda h: ["archive", "add-stream", h.archive, "--stream-id", STREAM, "--no-video"], exit_code=NOT_FOUND),
    Case(VV, "remove_stream_from_archive", raises(lambda h: h.vv.remove_stream_from_archive(h.archive, STREAM)),
         lambda h: ["archive", "remove-stream", h.archive, "--stream-id", STREAM], exit_code=NOT_FOUND),
    # broadcasts
    Case(VV, "start_broadcast", lambda h: h.vv.start_broadcast(broadcast.CreateBroadcastRequest(
        session_id=h.prep[0], outputs=broadcast.BroadcastOutputSettings(
            hls=broadcast.BroadcastHls(), rtmp=[broadcast.BroadcastRtmp(
                id="one", server_url="rtmp://example.com/live", stream_name="key1")]),
        max_duration=3600, resolution="1280x720", multi_broadcast_tag="tag")),
         lambda h: ["broadcast", "start", "--session-id", h.prep[1], "--hls", "--rtmp",
                    "one=rtmp://example.com/live/key1", "--max-duration", "3600", "--resolution", "1280x720",
                    "--multi-broadcast-tag", "tag"], prepare=two_sessions),
    each_own("stop_broadcast", new_broadcast, lambda b: ["broadcast", "stop", b], "doomed_broadcast"),
    Case(VV, "get_broadcast", lambda h: h.vv.get_broadcast(h.broadcast), lambda h: ["broadcast", "get", h.broadcast]),
    Case(VV, "list_broadcasts", lambda h: h.vv.list_broadcasts(broadcast.ListBroadcastsFilter(offset=0, page_size=10, session_id=h.session)),
         lambda h: ["broadcast", "list", "--offset", "0", "--count", "10", "--session-id", h.session]),
    Case(VV, "change_broadcast_layout", lambda h: h.vv.change_broadcast_layout(
        h.broadcast, common.ComposedLayout(type="custom", stylesheet="stream.focus { width: 100%; }")),
         lambda h: ["broadcast", "layout", h.broadcast, "--layout", "custom", "--stylesheet",
                    "stream.focus { width: 100%; }"]),
    Case(VV, "add_stream_to_broadcast", raises(lambda h: h.vv.add_stream_to_broadcast(
        h.broadcast, common.AddStreamRequest(stream_id=STREAM, has_audio=False))),
         lambda h: ["broadcast", "add-stream", h.broadcast, "--stream-id", STREAM, "--no-audio"],
         exit_code=NOT_FOUND),
    Case(VV, "remove_stream_from_broadcast", raises(lambda h: h.vv.remove_stream_from_broadcast(h.broadcast, STREAM)),
         lambda h: ["broadcast", "remove-stream", h.broadcast, "--stream-id", STREAM], exit_code=NOT_FOUND),
    # signals, streams, connections, moderation
    Case(VV, "send_signal", lambda h: h.vv.send_signal(h.session, signal.SignalData(type="chat", data="hello")),
         lambda h: ["signal", "--session-id", h.session, "--type", "chat", "--data", "hello"]),
    Case(VV, "get_stream", raises(lambda h: h.vv.get_stream(h.session, STREAM)),
         lambda h: ["stream", "get", STREAM, "--session-id", h.session], exit_code=NOT_FOUND),
    Case(VV, "list_streams", lambda h: h.vv.list_streams(h.session),
         lambda h: ["stream", "list", "--session-id", h.session]),
    Case(VV, "change_stream_layout", raises(lambda h: h.vv.change_stream_layout(h.session, stream.StreamLayoutOptions(
        items=[stream.StreamLayout(id=STREAM, layout_class_list=["focus", "x"])]))),
         lambda h: ["stream", "layout-classes", "--session-id", h.session, "--set", f"{STREAM}=focus,x"],
         exit_code=REFUSED),
    Case(VV, "disconnect_client", raises(lambda h: h.vv.disconnect_client(h.session, CONNECTION)),
         lambda h: ["connection", "disconnect", CONNECTION, "--session-id", h.session], exit_code=NOT_FOUND),
    Case(VV, "mute_all_streams", lambda h: h.vv.mute_all_streams(h.session),
         lambda h: ["stream", "mute-all", "--session-id", h.session]),
    Case(VV, "disable_mute_all_streams", lambda h: h.vv.disable_mute_all_streams(h.session),
         lambda h: ["stream", "unmute-all", "--session-id", h.session]),
    Case(VV, "mute_stream", raises(lambda h: h.vv.mute_stream(h.session, STREAM)),
         lambda h: ["stream", "mute", STREAM, "--session-id", h.session], exit_code=NOT_FOUND),
    Case(VV, "play_dtmf", lambda h: h.vv.play_dtmf(h.session, "1713p#"),
         lambda h: ["dtmf", "--session-id", h.session, "--digits", "1713p#"]),
    # SIP, Experience Composer, Audio Connector: mediactl makes the client token each needs
    Case(VV, "initiate_sip_call", lambda h: h.vv.initiate_sip_call(sip.InitiateSipRequest(
        session_id=h.session, token=client_token(h), sip=sip.SipOptions(
            uri="sip:user@sip.example.com;transport=tls", from_="from@example.com", secure=True,
            headers={"X-Conformance": "1"}))),
         lambda h: ["sip", "dial", "--session-id", h.session, "--uri", "sip:user@sip.example.com;transport=tls",
                    "--from", "from@example.com", "--secure", "--header", "X-Conformance: 1"]),
    Case(VV, "start_experience_composer", lambda h: h.vv.start_experience_composer(
        experience_composer.ExperienceComposerOptions(
            session_id=h.session, token=client_token(h), url="https://example.com/conformance", max_duration=1800,
            resolution="1280x720", properties=experience_composer.ExperienceComposerProperties(name="page"))),
         lambda h: ["render", "start", "--session-id", h.session, "--url", "https://example.com/conformance",
                    "--max-duration", "1800", "--resolution", "1280x720", "--name", "page"]),
    Case(VV, "get_experience_composer", lambda h: h.vv.get_experience_composer(h.render),
         lambda h: ["render", "get", h.render]),
    Case(VV, "list_experience_composers", lambda h: h.vv.list_experience_composers(
        experience_composer.ListExperienceComposersFilter(offset=0, page_size=50)),
         lambda h: ["render", "list", "--offset", "0", "--count", "50"]),
    each_own("stop_experience_composer", new_render, lambda r: ["render", "stop", r], "doomed_render"),
    Case(VV, "start_audio_connector", raises(lambda h: h.vv.start_audio_connector(audio_connector.AudioConnectorOptions(
        session_id=h.session, token=client_token(h), websocket=audio_connector.AudioConnectorWebSocket(
            uri="wss://example.com/audio", streams=[STREAM], headers={"X-Conformance": "1"}, audio_rate=16000)))),
         lambda h: ["audio-connector", "start", "--session-id", h.session, "--uri", "wss://example.com/audio",
                    "--stream", STREAM, "--header", "X-Conformance: 1", "--audio-rate", "16000"], exit_code=REFUSED),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.operation)
def test_request_matches_the_sdk(ctx, judge, case):
    ctx.check(judge, case)


def test_captions_match_the_sdk(ctx, judge):
    def start(h):
        data = h.vv.start_captions(captions.CaptionsOptions(
            session_id=h.session, token=client_token(h, "moderator"), language_code="en-GB", max_duration=1800,
            partial_captions=False))
        return data, data.captions_id
    captions_round_trip(ctx, judge, VV, start, lambda h, data: h.vv.stop_captions(data))


def test_default_session_matches_the_sdk(ctx, judge):
    """`session create` with no media mode against the SDK's default SessionOptions (p2p.preference=disabled)."""
    case = Case(VV, "create_session", lambda h: new_video(h).create_session(session.SessionOptions()),
                lambda h: ["session", "create"])
    ctx.check(judge, case)


# The same operations again with every option mediactl offers that vonage-video can express.
CSS = "stream.focus { width: 100%; }"
OPTIONS = [
    # has_video is left unset: mediactl has --no-video but no flag that asks for video (true is the API's default),
    # and vonage-video sends has_video=True only when it is given.
    Case(VV, "start_archive", lambda h: h.vv.start_archive(archive.CreateArchiveRequest(
        session_id=h.prep[0], has_audio=False, name="all", output_mode="composed",
        stream_mode="manual", resolution="1920x1080", layout=common.ComposedLayout(type="custom", stylesheet=CSS),
        multi_archive_tag="tag", max_bitrate=2000000)),
         lambda h: ["archive", "start", "--session-id", h.prep[1], "--no-audio", "--name", "all", "--output-mode",
                    "composed", "--stream-mode", "manual", "--resolution", "1920x1080", "--layout", "custom",
                    "--stylesheet", CSS, "--multi-archive-tag", "tag", "--max-bitrate", "2000000"],
         prepare=two_sessions),
    # vonage-video takes has_transcription only for individual archives and quantization_parameter only for composed
    # ones (opentok 3.15 either for any)
    Case(VV, "start_archive", lambda h: h.vv.start_archive(archive.CreateArchiveRequest(
        session_id=h.prep[0], has_video=False, output_mode="individual", has_transcription=True)),
         lambda h: ["archive", "start", "--session-id", h.prep[1], "--no-video", "--output-mode", "individual",
                    "--transcription"], prepare=two_sessions),
    Case(VV, "start_archive", lambda h: h.vv.start_archive(archive.CreateArchiveRequest(
        session_id=h.prep[0], quantization_parameter=20)),
         lambda h: ["archive", "start", "--session-id", h.prep[1], "--quantization-parameter", "20"],
         prepare=two_sessions),
    Case(VV, "start_broadcast", lambda h: h.vv.start_broadcast(broadcast.CreateBroadcastRequest(
        session_id=h.prep[0], outputs=broadcast.BroadcastOutputSettings(hls=broadcast.BroadcastHls(low_latency=True)),
        layout=common.ComposedLayout(type="bestFit", screenshare_type="pip"), max_bitrate=1000000,
        stream_mode="manual")),
         lambda h: ["broadcast", "start", "--session-id", h.prep[1], "--hls-low-latency", "--layout", "bestFit",
                    "--screenshare-type", "pip", "--max-bitrate", "1000000", "--stream-mode", "manual"],
         prepare=two_sessions),
    Case(VV, "mute_all_streams", raises(lambda h: h.vv.mute_all_streams(h.session, [STREAM])),
         lambda h: ["stream", "mute-all", "--session-id", h.session, "--exclude", STREAM], exit_code=REFUSED),
    Case(VV, "play_dtmf", raises(lambda h: h.vv.play_dtmf(h.session, "9#", CONNECTION)),
         lambda h: ["dtmf", "--session-id", h.session, "--connection-id", CONNECTION, "--digits", "9#"],
         exit_code=NOT_FOUND),
    Case(VV, "initiate_sip_call", lambda h: h.vv.initiate_sip_call(sip.InitiateSipRequest(
        session_id=h.session, token=client_token(h), sip=sip.SipOptions(
            uri="sip:user@sip.example.com", auth=sip.SipAuth(username="u", password="p"), video=True,
            observe_force_mute=True))),
         lambda h: ["sip", "dial", "--session-id", h.session, "--uri", "sip:user@sip.example.com", "--auth-user", "u",
                    "--video", "--observe-force-mute"], env={"OPENTOK_SIP_PASSWORD": "p"}),
    Case(VV, "start_experience_composer", lambda h: h.vv.start_experience_composer(
        experience_composer.ExperienceComposerOptions(session_id=h.session, token=client_token(h),
                                                      url="https://example.com/conformance")),
         lambda h: ["render", "start", "--session-id", h.session, "--url", "https://example.com/conformance"]),
    Case(VV, "start_audio_connector", lambda h: h.vv.start_audio_connector(audio_connector.AudioConnectorOptions(
        session_id=h.session, token=client_token(h), websocket=audio_connector.AudioConnectorWebSocket(
            uri="ws://example.com/a", bidirectional=True))),
         lambda h: ["audio-connector", "start", "--session-id", h.session, "--uri", "ws://example.com/a",
                    "--bidirectional"]),
]


@pytest.mark.parametrize("case", OPTIONS, ids=lambda c: c.operation)
def test_request_with_options_matches_the_sdk(ctx, judge, case):
    ctx.check(judge, case)
