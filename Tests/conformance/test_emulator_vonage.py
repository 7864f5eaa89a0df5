"""vonage-video 1.6.1 (the official Vonage Video Python SDK) against mediactl-emulator: every `vonage_video.Video`
operation with the emulator's Vonage application. The SDK only speaks https (`https://{video_host}{path}`), so a
TLS-terminating loopback proxy with a throw-away certificate (tls_proxy.py) stands in front of the emulator and the
SDK's session trusts that certificate. Each answer is parsed by the SDK's pydantic model; `present` checks the
fields the Vonage Video API reference documents for it are there."""
import time

import pytest

from tls_proxy import TLSProxy

vonage_video = pytest.importorskip("vonage_video")
from vonage_http_client import Auth, HttpClient  # noqa: E402
from vonage_video import models as vm  # noqa: E402
from vonage_video.models import enums  # noqa: E402

API = "vonage_video.Video"
APPLICATION_ID = "e1a70000-0000-4000-8000-000000000001"


@pytest.fixture(scope="module")
def proxy(emulator):
    p = TLSProxy(emulator.endpoint, emulator.state)
    yield p
    p.stop()


@pytest.fixture(scope="module")
def video(emulator, proxy):
    auth = Auth(application_id=APPLICATION_ID, private_key=(emulator.state / "vonage_private.key").read_text())
    client = HttpClient(auth, http_client_options={"video_host": proxy.host, "timeout": 30}, sdk_version="1.6.1")
    # Trust the proxy's throw-away certificate, and only in this client: REQUESTS_CA_BUNDLE in the environment would
    # otherwise win over the session's own setting (trust_env also keeps any HTTP(S)_PROXY off the loopback calls).
    client._session.verify = str(proxy.ca_bundle)
    client._session.trust_env = False
    return vonage_video.Video(client)


def present(model, *fields):
    """Every named field of the SDK's model is set (the answer carried it under the name the SDK reads)."""
    missing = [f for f in fields if getattr(model, f) is None]
    assert not missing, f"{type(model).__name__} lacks {missing}: {model!r}"
    return model


@pytest.fixture
def routed(video):
    return video.create_session(vm.SessionOptions(media_mode=enums.MediaMode.ROUTED)).session_id


@pytest.fixture
def participant(video, routed):
    """A routed session with one participant and its stream: a SIP call is the participant the REST API can add."""
    call = video.initiate_sip_call(vm.InitiateSipRequest(
        session_id=routed, token=token(video, routed), sip=vm.SipOptions(uri="sip:participant@sip.example.com")))
    return routed, call.connection_id, call.stream_id


def token(video, session_id, role=enums.TokenRole.PUBLISHER):
    raw = video.generate_client_token(vm.TokenOptions(session_id=session_id, role=role))
    return raw.decode() if isinstance(raw, bytes) else raw


def test_create_session(video, judge):
    default = video.create_session()
    routed = video.create_session(vm.SessionOptions(media_mode=enums.MediaMode.ROUTED))
    always = video.create_session(vm.SessionOptions(media_mode=enums.MediaMode.ROUTED,
                                                    archive_mode=enums.ArchiveMode.ALWAYS, location="12.34.56.78"))
    e2ee = video.create_session(vm.SessionOptions(media_mode=enums.MediaMode.ROUTED, e2ee=True))
    ids = {s.session_id for s in (default, routed, always, e2ee)}
    assert len(ids) == 4 and all(ids)
    judge.served(API, "create_session")


def test_generate_client_token(video, routed, judge):
    # Made locally; the emulator judges it where a call carries one (here a SIP call, which needs a valid token).
    call = video.initiate_sip_call(vm.InitiateSipRequest(
        session_id=routed, token=token(video, routed, enums.TokenRole.MODERATOR),
        sip=vm.SipOptions(uri="sip:token-check@sip.example.com")))
    assert call.connection_id
    judge.served(API, "generate_client_token")


def test_archives(video, participant, judge):
    session_id, _, stream_id = participant
    archive = video.start_archive(vm.CreateArchiveRequest(session_id=session_id, name="Important Presentation",
                                                          resolution=enums.VideoResolution.RES_1280x720,
                                                          stream_mode=enums.StreamMode.MANUAL))
    present(archive, "id", "status", "session_id", "created_at", "output_mode", "stream_mode", "has_audio",
            "has_video", "application_id")
    assert archive.status == enums.ArchiveStatus.STARTED
    judge.served(API, "start_archive")
    assert present(video.get_archive(archive.id), "id", "status").id == archive.id
    judge.served(API, "get_archive")
    changed = video.change_archive_layout(archive.id, vm.ComposedLayout(
        type=enums.LayoutType.BEST_FIT, screenshare_type=enums.LayoutType.HORIZONTAL_PRESENTATION))
    assert changed is None or changed.id == archive.id
    judge.served(API, "change_archive_layout")
    video.add_stream_to_archive(archive.id, vm.AddStreamRequest(stream_id=stream_id, has_audio=True, has_video=False))
    judge.served(API, "add_stream_to_archive")
    video.remove_stream_from_archive(archive.id, stream_id)
    judge.served(API, "remove_stream_from_archive")
    archives, count, _ = video.list_archives(vm.ListArchivesFilter(session_id=session_id))
    assert count >= 1 and archive.id in [a.id for a in archives]
    judge.served(API, "list_archives")
    stopped = video.stop_archive(archive.id)
    assert stopped.status in (enums.ArchiveStatus.STOPPED, enums.ArchiveStatus.AVAILABLE, enums.ArchiveStatus.UPLOADED)
    judge.served(API, "stop_archive")
    deadline = time.time() + 30
    while video.get_archive(archive.id).status not in ("available", "uploaded") and time.time() < deadline:
        time.sleep(0.2)
    video.delete_archive(archive.id)
    judge.served(API, "delete_archive")


def test_broadcasts(video, participant, judge):
    session_id, _, stream_id = participant
    broadcast = video.start_broadcast(vm.CreateBroadcastRequest(
        session_id=session_id, stream_mode=enums.StreamMode.MANUAL, resolution=enums.VideoResolution.RES_1280x720,
        outputs=vm.BroadcastOutputSettings(
            hls=vm.BroadcastHls(low_latency=True),
            rtmp=[vm.BroadcastRtmp(id="foo", server_url="rtmp://myfooserver/myfooapp", stream_name="myfoostream")])))
    present(broadcast, "id", "session_id", "created_at", "broadcast_urls", "status", "application_id")
    assert broadcast.broadcast_urls.hls
    judge.served(API, "start_broadcast")
    assert video.get_broadcast(broadcast.id).id == broadcast.id
    judge.served(API, "get_broadcast")
    broadcasts, count, _ = video.list_broadcasts(vm.ListBroadcastsFilter(session_id=session_id))
    assert broadcast.id in [b.id for b in broadcasts] and count >= 1
    judge.served(API, "list_broadcasts")
    video.change_broadcast_layout(broadcast.id, vm.ComposedLayout(type=enums.LayoutType.CUSTOM,
                                                                  stylesheet="stream {position: absolute;}"))
    judge.served(API, "change_broadcast_layout")
    video.add_stream_to_broadcast(broadcast.id, vm.AddStreamRequest(stream_id=stream_id))
    judge.served(API, "add_stream_to_broadcast")
    video.remove_stream_from_broadcast(broadcast.id, stream_id)
    judge.served(API, "remove_stream_from_broadcast")
    assert video.stop_broadcast(broadcast.id).status == "stopped"
    judge.served(API, "stop_broadcast")


def test_streams_signals_and_moderation(video, participant, judge):
    session_id, connection_id, stream_id = participant
    stream = present(video.get_stream(session_id, stream_id), "id", "video_type", "layout_class_list")
    assert stream.id == stream_id
    judge.served(API, "get_stream")
    streams = video.list_streams(session_id)
    assert stream_id in [s.id for s in streams]
    judge.served(API, "list_streams")
    changed = video.change_stream_layout(session_id, vm.StreamLayoutOptions(
        items=[vm.StreamLayout(id=stream_id, layout_class_list=["focus"])]))
    assert changed is not None and stream_id in [s.id for s in changed]
    assert video.get_stream(session_id, stream_id).layout_class_list == ["focus"]
    judge.served(API, "change_stream_layout")

    video.send_signal(session_id, vm.SignalData(type="chat", data="hello"))
    video.send_signal(session_id, vm.SignalData(type="chat", data="just you"), connection_id)
    judge.served(API, "send_signal")
    video.mute_all_streams(session_id, excluded_stream_ids=[stream_id])
    judge.served(API, "mute_all_streams")
    video.disable_mute_all_streams(session_id)
    judge.served(API, "disable_mute_all_streams")
    video.mute_stream(session_id, stream_id)
    judge.served(API, "mute_stream")
    video.play_dtmf(session_id, "1713p#*")
    video.play_dtmf(session_id, "9", connection_id)
    judge.served(API, "play_dtmf")
    video.disconnect_client(session_id, connection_id)
    judge.served(API, "disconnect_client")


def test_sip_call(video, routed, judge):
    call = video.initiate_sip_call(vm.InitiateSipRequest(
        session_id=routed, token=token(video, routed),
        sip=vm.SipOptions(uri="sip:user@sip.partner.com;transport=tls", from_="from@example.com",
                          headers={"X-Foo": "bar"}, auth=vm.SipAuth(username="u", password="p"), secure=True,
                          video=False, observe_force_mute=True)))
    present(call, "id", "connection_id", "stream_id")
    judge.served(API, "initiate_sip_call")


def test_experience_composer(video, routed, judge):
    composer = video.start_experience_composer(vm.ExperienceComposerOptions(
        session_id=routed, token=token(video, routed), url="https://webapp.example.com/",
        max_duration=1800, resolution=enums.VideoResolution.RES_1280x720,
        properties=vm.ExperienceComposerProperties(name="Composed stream")))
    present(composer, "id", "session_id", "created_at", "url", "resolution", "status", "application_id")
    judge.served(API, "start_experience_composer")
    assert video.get_experience_composer(composer.id).id == composer.id
    judge.served(API, "get_experience_composer")
    composers, count, _ = video.list_experience_composers()
    assert composer.id in [c.id for c in composers] and count >= 1
    judge.served(API, "list_experience_composers")
    video.stop_experience_composer(composer.id)
    judge.served(API, "stop_experience_composer")


def test_captions(video, routed, judge):
    captions = video.start_captions(vm.CaptionsOptions(
        session_id=routed, token=token(video, routed, enums.TokenRole.MODERATOR),
        language_code=enums.LanguageCode.EN_US, max_duration=600, partial_captions=False))
    assert captions.captions_id
    judge.served(API, "start_captions")
    video.stop_captions(captions)
    judge.served(API, "stop_captions")


def test_audio_connector(video, participant, judge):
    session_id, _, stream_id = participant
    connector = video.start_audio_connector(vm.AudioConnectorOptions(
        session_id=session_id, token=token(video, session_id),
        websocket=vm.AudioConnectorWebSocket(uri="wss://service.example.com/ws", streams=[stream_id],
                                             headers={"X-CustomHeader": "value"}, bidirectional=True,
                                             audio_rate=enums.AudioSampleRate.KHZ_16)))
    present(connector, "id", "connection_id")
    judge.served(API, "start_audio_connector")
