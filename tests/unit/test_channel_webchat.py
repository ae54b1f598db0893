"""The web chat channels: the page is mounted at /chat, only known files are served, and the
socket.io channel keeps only session ids it could have issued."""
from __future__ import annotations

from urllib.parse import urljoin

import pytest

from bot.channels import socketio_web
from bot.channels.webchat import PAGE, STATIC_FILES, WebChatPage


def test_rasa_mounts_the_page_at_chat_not_under_webhooks():
    # rasa.core.channels.channel.register joins the prefix like this.
    assert urljoin("/webhooks/", WebChatPage().url_prefix()) == "/chat"


def test_every_served_file_exists_and_nothing_else_is_served():
    assert set(STATIC_FILES) == {"chat.js", "chat.css", "embed.js", "socket.io.min.js", "socket.io.min.js.map"}
    for name, (path, _) in STATIC_FILES.items():
        assert path.exists(), f"{name} missing (npm ci?)"


def test_page_is_english_with_a_skip_link_and_no_inline_script():
    assert '<html lang="en-GB">' in PAGE and 'class="os-skip"' in PAGE
    assert "<script>" not in PAGE and "style=" not in PAGE  # the CSP allows neither


def test_widget_never_renders_bot_text_as_html():
    js = STATIC_FILES["chat.js"][0].read_text()
    assert "innerHTML" not in js.replace("never innerHTML", "") and "textContent" in js


@pytest.mark.parametrize("value, ok", [
    ("0123456789abcdef0123456789abcdef", True),
    ("a" * 64, True),
    ("short", False),
    ("a" * 65, False),
    ("sms-" + "a" * 40, False),  # an SMS pseudonym: a browser may not speak as a phone
    ("rest-" + "a" * 40, False),  # nor into a REST conversation
    ("../../" + "a" * 30, False),
    (None, False),
    (12345678901234567890123456789012345, False),
])
def test_session_ids_the_server_keeps(value, ok):
    assert socketio_web.acceptable_session_id(value) is ok


def test_new_session_ids_are_random_and_acceptable():
    ids = {socketio_web.new_session_id() for _ in range(50)}
    assert len(ids) == 50 and all(socketio_web.acceptable_session_id(i) for i in ids)


def _socket_message(data: dict, confirmed: str):
    """Deliver one user_uttered event to the channel's handler, as python-socketio would."""
    import asyncio

    channel = socketio_web.SocketIOWebInput(user_message_evt="user_uttered", bot_message_evt="bot_uttered",
                                            session_persistence=True)
    received = []

    async def on_new_message(message) -> None:
        received.append(message)

    channel.blueprint(on_new_message)

    async def get_session(sid, namespace=None):
        return {"session_id": confirmed}

    channel.sio.get_session = get_session
    handler = channel.sio.handlers["/"]["user_uttered"]
    asyncio.run(handler("socket-1", data))
    return received


def test_web_messages_carry_a_signed_web_identity_and_nothing_the_browser_claims():
    from bot.channels import identity

    session_id = socketio_web.new_session_id()
    (message,) = _socket_message({"message": "hi", "session_id": session_id,
                                  "metadata": {"phone_hash": "ab" * 32, "channel": "sms"},
                                  "customData": {"identity": "a.b"}}, confirmed=session_id)
    assert message.sender_id == session_id and message.input_channel == "socketio"
    assert set(message.metadata) == {"channel", "identity"} and message.metadata["channel"] == "web"
    assert identity.verify(message.metadata["identity"], session_id, message.message_id) == identity.Identity("web")


def test_a_message_for_a_session_the_socket_was_not_confirmed_in_is_dropped():
    assert _socket_message({"message": "hi", "session_id": "b" * 32}, confirmed="a" * 32) == []


def test_the_handled_mark_never_reaches_the_browser():
    import asyncio

    from bot.channels.socketio_web import WebOutput
    from bot.dialogue.turn import HANDLED

    sent = []

    class FakeSio:
        async def emit(self, event, *args, **kwargs):
            sent.append(kwargs)

    output = WebOutput(FakeSio(), "bot_uttered")
    asyncio.run(output.send_custom_json("session", HANDLED))
    asyncio.run(output.send_custom_json("session", {"kind": "card"}))
    assert [message.get("kind") for message in sent] == ["card"]
