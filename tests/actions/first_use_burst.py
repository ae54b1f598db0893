"""A fresh process's first messages, all at once, as right after the action server restarts.

Run as `python -m tests.actions.first_use_burst DATABASE_URL COUNT`: COUNT web visitors each ask
who is responsible for something at the same moment, through the real action, run the way the
action server runs actions (one event loop; the dialogue work in its default thread pool).
Prints every visitor's replies as one JSON list. Nothing is warmed up first: the spaCy pipeline,
the need matcher, the rule book and the vocabularies are all built by these first messages.
"""
from __future__ import annotations

import asyncio
import json
import secrets
import sys

QUESTIONS = (
    "who do I ask for a carer's assessment? I live in EM2",
    "who can sort a grab rail for my dad, we're in EM3",
    "the commode never came after mum left hospital, who is responsible? EM4",
    "who pays for a wheelchair for my son in EM1",
    "where do I get a stairlift assessment, EM5",
    "who helps with respite care for my husband? EM6",
)


async def _first_message(text: str) -> list[str]:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from tests.actions.helpers import action_named

    message = {"text": text, "intent": {"name": "ask_responsible", "confidence": 0.9}, "entities": []}
    events = [{"event": "action", "name": "action_session_start"},
              {"event": "user", "text": text, "input_channel": "socketio", "metadata": {"channel": "web"},
               "parse_data": message}]
    tracker = Tracker(secrets.token_hex(16), {}, message, events, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    await action_named("action_who_is_responsible").run(dispatcher, tracker, {})
    return [m["text"] for m in dispatcher.messages if m.get("text")]


async def _burst(count: int) -> list[list[str]]:
    return list(await asyncio.gather(*(_first_message(QUESTIONS[i % len(QUESTIONS)]) for i in range(count))))


def main(url: str, count: int) -> list[list[str]]:
    from bot import db as dbmod

    dbmod.configure(url)
    return asyncio.run(_burst(count))


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]))))
