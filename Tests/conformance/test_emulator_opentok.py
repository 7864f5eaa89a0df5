"""opentok 3.15 (the official OpenTok Python SDK) against mediactl-emulator: every server operation of the SDK's README,
with `OpenTok(api_key, api_secret, api_url=<emulator>)` and the emulator's project. Each answer must build the SDK's
object with the fields the SDK reads (video_models.assert_fields)."""
import time
import warnings

import pytest

from video_models import assert_fields

opentok = pytest.importorskip("opentok")
from opentok import ArchiveModes, BroadcastStreamModes, MediaModes, OutputModes, Roles, StreamModes  # noqa: E402

API = "opentok.OpenTok"
API_KEY = "47000001"


@pytest.fixture(scope="module")
def ot(emulator):
    secret = (emulator.state / "opentok_secret").read_text().strip()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)   # OpenTok is Client's deprecated alias; the table names it
        return opentok.OpenTok(API_KEY, secret, api_url=emulator.endpoint, timeout=30)


@pytest.fixture
def routed(ot):
    return ot.create_session(media_mode=MediaModes.routed).session_id


@pytest.fixture
def participant(ot, routed):
    """A session with one participant publishing a stream. Clients join over WebRTC, not the REST API; a SIP call is
    the one participant the REST API can add, so the SDK's own dial() brings one in."""
    call = ot.dial(routed, ot.generate_token(routed), "sip:participant@sip.example.com;transport=tls")
    return routed, call.connectionId, call.streamId


def test_create_session_in_each_media_mode(ot, judge):
    relayed = ot.create_session()
    assert relayed.session_id and relayed.media_mode == MediaModes.relayed
    routed = ot.create_session(media_mode=MediaModes.routed)
    always = ot.create_session(media_mode=MediaModes.routed, archive_mode=ArchiveModes.always,
                               archive_name="Daily standup", archive_resolution="1280x720")
    e2ee = ot.create_session(media_mode=MediaModes.routed, e2ee=True)
    located = ot.create_session(location="12.34.56.78")
    ids = {s.session_id for s in (relayed, routed, always, e2ee, located)}
    assert len(ids) == 5 and all(ids)
    judge.served(API, "create_session")


def test_generate_token_jwt_and_legacy(ot, routed, judge):
    jwt = ot.generate_token(routed, role=Roles.moderator, data="name=Johnny", initial_layout_class_list=["focus"])
    legacy = ot.generate_token(routed, role=Roles.subscriber, use_jwt=False)
    assert jwt.count(".") == 2 and legacy.startswith("T1==")
    # A token is made locally; the emulator judges it where a call carries one (SIP dial, render, captions, connector).
    for token in (jwt, legacy):
        call = ot.dial(routed, token, "sip:token-check@sip.example.com")
        assert call.connectionId
    judge.served(API, "generate_token")


def test_archives(ot, participant, judge):
    session_id, _, stream_id = participant
    archive = ot.start_archive(session_id, name="Important Presentation", resolution="1280x720",
                               stream_mode=StreamModes.manual)
    assert_fields(archive, optional={"url", "max_bitrate", "quantization_parameter", "transcription_properties"})
    assert archive.status == "started" and archive.session_id == session_id
    judge.served(API, "start_archive")

    got = ot.get_archive(archive.id)
    assert_fields(got, optional={"url", "max_bitrate", "quantization_parameter", "transcription_properties"})
    assert got.id == archive.id
    judge.served(API, "get_archive")

    ot.set_archive_layout(archive.id, "bestFit", screenshare_type="horizontalPresentation")
    judge.served(API, "set_archive_layout")
    ot.add_archive_stream(archive.id, stream_id, has_audio=True, has_video=False)
    judge.served(API, "add_archive_stream")
    ot.remove_archive_stream(archive.id, stream_id)
    judge.served(API, "remove_archive_stream")

    for name in ("list_archives", "get_archives"):
        listed = getattr(ot, name)(session_id=session_id)
        assert listed.count >= 1 and archive.id in [a.id for a in listed.items]
        for item in listed.items:
            assert_fields(item, optional={"url", "max_bitrate", "quantization_parameter", "transcription_properties"})
        judge.served(API, name)

    stopped = ot.stop_archive(archive.id)
    assert stopped.status in ("stopped", "available", "uploaded")
    judge.served(API, "stop_archive")
    deadline = time.time() + 30
    while ot.get_archive(archive.id).status not in ("available", "uploaded") and time.time() < deadline:
        time.sleep(0.2)
    ot.delete_archive(archive.id)
    with pytest.raises(opentok.exceptions.NotFoundError):
        ot.get_archive(archive.id)
    judge.served(API, "delete_archive")


def test_individual_archive(ot, participant):
    session_id, _, _ = participant
    archive = ot.start_archive(session_id, output_mode=OutputModes.individual)
    assert archive.output_mode == OutputModes.individual
    ot.stop_archive(archive.id)


def test_broadcasts(ot, participant, judge):
    session_id, _, stream_id = participant
    broadcast = ot.start_broadcast(session_id, {
        "layout": {"type": "bestFit"}, "maxDuration": 5400, "resolution": "1280x720",
        "outputs": {"hls": {"lowLatency": True}, "rtmp": [{"id": "foo", "serverUrl": "rtmp://myfooserver/myfooapp",
                                                           "streamName": "myfoostream"}]}},
        stream_mode=BroadcastStreamModes.manual)
    assert_fields(broadcast, optional={"maxBitrate"})
    assert broadcast.sessionId == session_id and broadcast.broadcastUrls["hls"]
    judge.served(API, "start_broadcast")
    assert ot.get_broadcast(broadcast.id).id == broadcast.id
    assert_fields(ot.get_broadcast(broadcast.id), optional={"maxBitrate"})
    judge.served(API, "get_broadcast")
    ot.set_broadcast_layout(broadcast.id, "custom", stylesheet="stream.instructor {position: absolute;}")
    judge.served(API, "set_broadcast_layout")
    ot.add_broadcast_stream(broadcast.id, stream_id)
    judge.served(API, "add_broadcast_stream")
    ot.remove_broadcast_stream(broadcast.id, stream_id)
    judge.served(API, "remove_broadcast_stream")
    stopped = ot.stop_broadcast(broadcast.id)
    assert stopped.status == "stopped"
    judge.served(API, "stop_broadcast")


def test_signals(ot, participant, judge):
    session_id, connection_id, _ = participant
    ot.send_signal(session_id, {"type": "chat", "data": "hello"})
    ot.send_signal(session_id, {"type": "chat", "data": "just you"}, connection_id)
    judge.served(API, "send_signal")
    ot.signal(session_id, {"type": "chat", "data": "the deprecated name"})
    judge.served(API, "signal")


def test_streams(ot, participant, judge):
    session_id, _, stream_id = participant
    stream = ot.get_stream(session_id, stream_id)
    assert_fields(stream)
    assert stream.id == stream_id
    judge.served(API, "get_stream")
    streams = ot.list_streams(session_id)
    assert streams.count == len(streams.items) >= 1 and stream_id in [s.id for s in streams.items]
    for item in streams.items:
        assert_fields(item)
    judge.served(API, "list_streams")
    ot.set_stream_class_lists(session_id, [{"id": stream_id, "layoutClassList": ["focus", "inactive"]}])
    assert ot.get_stream(session_id, stream_id).layoutClassList == ["focus", "inactive"]
    judge.served(API, "set_stream_class_lists")


def test_moderation(ot, participant, judge):
    session_id, connection_id, stream_id = participant
    ot.mute_all(session_id, [stream_id])
    judge.served(API, "mute_all")
    ot.disable_force_mute(session_id)
    judge.served(API, "disable_force_mute")
    ot.mute_stream(session_id, stream_id)
    judge.served(API, "mute_stream")
    ot.force_disconnect(session_id, connection_id)
    judge.served(API, "force_disconnect")


def test_sip_dial_and_dtmf(ot, routed, judge):
    call = ot.dial(routed, ot.generate_token(routed), "sip:user@sip.partner.com;transport=tls", {
        "from": "from@example.com", "headers": {"X-Foo": "bar"}, "auth": {"username": "u", "password": "p"},
        "secure": True, "video": False, "observeForceMute": True})
    assert_fields(call)
    judge.served(API, "dial")
    ot.play_dtmf(routed, None, "1713p#*")
    ot.play_dtmf(routed, call.connectionId, "9")
    judge.served(API, "play_dtmf")


def test_render(ot, routed, judge):
    render = ot.start_render(routed, ot.generate_token(routed, role=Roles.publisher), "https://webapp.example.com/",
                             max_duration=1800, resolution="1280x720", properties={"name": "Composed stream"})
    assert_fields(render, optional={"streamId", "reason"})
    judge.served(API, "start_render")
    assert ot.get_render(render.id).id == render.id
    judge.served(API, "get_render")
    renders = ot.list_renders()
    assert render.id in [r.id for r in renders.items]
    for item in renders.items:
        assert_fields(item, optional={"streamId", "reason"})
    judge.served(API, "list_renders")
    ot.stop_render(render.id)
    judge.served(API, "stop_render")


def test_captions(ot, routed, judge):
    captions = ot.start_captions(routed, ot.generate_token(routed, role=Roles.moderator), language_code="en-US",
                                 max_duration=600, partial_captions=False)
    assert_fields(captions)
    judge.served(API, "start_captions")
    ot.stop_captions(captions.captions_id)
    judge.served(API, "stop_captions")


def test_audio_connector(ot, participant, judge):
    session_id, _, stream_id = participant
    connection = ot.connect_audio_to_websocket(session_id, ot.generate_token(session_id), {
        "uri": "wss://service.example.com/ws-endpoint", "streams": [stream_id], "headers": {"X-CustomHeader": "value"},
        "audioRate": 16000, "bidirectional": True})
    assert_fields(connection)
    judge.served(API, "connect_audio_to_websocket")


def test_the_field_check_can_fail():
    """video_models must catch a field the SDK reads that the answer did not carry."""
    from opentok.archives import Archive
    from opentok.stream import Stream
    with pytest.raises(AssertionError, match="layoutClassList"):
        assert_fields(Stream({"id": "s", "videoType": "camera", "name": ""}))
    assert_fields(Stream({"id": "s", "videoType": "camera", "name": "", "layoutClassList": []}))
    with pytest.raises(AssertionError, match="not fields of"):
        assert_fields(Stream({"id": "s", "videoType": "camera", "name": "", "layoutClassList": []}), optional={"colour"})
    assert "session_id" in __import__("video_models").declared(Archive)
