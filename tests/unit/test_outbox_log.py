"""In development the outbox records messages instead of sending them: its log line shows a masked
number and no text (codes and care details stay out of logs); the full message is read with
`python -m bot.handoff outbox NUMBER`."""
from __future__ import annotations

import json
import logging

from bot.handoff import outbox
from bot.handoff.__main__ import main as handoff_main

NUMBER = "+447700900123"
BODY = "Your OneStory code is 482913. Type it in the web chat to see your family's record."


def test_recorded_messages_are_logged_with_a_masked_number_and_no_text():
    lines: list[str] = []
    outbox.DevRecorder(printer=lines.append).send(NUMBER, BODY)
    [line] = lines
    assert "482913" not in line and "web chat" not in line
    assert "7700900123" not in line.replace(" ", "") and "07700 900123" not in line
    assert line.endswith(f"{len(BODY)} characters); read it with: python -m bot.handoff outbox NUMBER")
    assert "•" in line and "123" in line  # enough to tell test phones apart


def test_the_full_message_is_there_for_the_outbox_command(db, capsys, caplog):
    outbox.enqueue_sms(NUMBER, BODY, "web_code")
    with caplog.at_level(logging.DEBUG):
        sent = outbox.dispatch_due(sender=outbox.DevRecorder())
    printed = capsys.readouterr().out
    assert sent == 1 and "482913" not in printed and "482913" not in caplog.text
    handoff_main(["outbox", "07700 900123"])
    [entry] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert entry["body"] == BODY and entry["to"] == NUMBER and entry["status"] == "recorded"


def test_masking_keeps_only_the_last_three_digits():
    assert outbox.masked(NUMBER) == "07••• •••123"
    assert outbox.masked("+12025550123") == "+1•••••••123"
