"""SMS keywords the channel answers itself (opt-out, opt-in, help) and the fixed texts it sends."""
from __future__ import annotations

import re
from typing import Optional

STOP = "stop"
START = "start"
YES = "yes"  # opts back in only after a STOP
HELP = "help"

_KEYWORDS = {
    "STOP": STOP, "STOPALL": STOP, "UNSUBSCRIBE": STOP, "CANCEL": STOP, "END": STOP, "QUIT": STOP,
    "START": START, "UNSTOP": START,
    "YES": YES,
    "HELP": HELP, "INFO": HELP,
}
_TRAILING_PUNCTUATION = re.compile(r"[.!]+$")

STOP_REPLY = ("You've been unsubscribed from OneStory and won't get any more texts from us. "
              "Text START to join again.")
START_REPLY = "Welcome back to OneStory: you'll get our texts again. Text HELP for help, STOP to stop."
HELP_REPLY = ("OneStory helps family carers find support and keeps your family's story in one place, "
              "so you only tell it once. Text what's happening in your own words. To reach a person, "
              "text 'speak to a person'. In an emergency call 999; for urgent medical help call "
              "NHS 111. Text STOP to stop texts.")
OPT_CHANGE_FAILED = "Sorry, we couldn't do that just now. Please text {keyword} again in a few minutes."
MEDIA_ONLY_REPLY = ("Thanks. I can only read text, not pictures or other attachments, "
                    "so please type your message.")
MEDIA_NOTE = "(I can't open pictures or attachments, so I've only read the words you sent.)"
HOLDING_REPLY = "Thanks, I'm working on that and will text you back shortly."
# No answer could be made (the assistant is restarting): the message is kept and answered later.
KEPT_REPLY = ("Sorry, I can't answer just now. I've kept your message and will text you back as soon as "
              "I can; you don't need to send it again. In an emergency call 999, or NHS 111 for urgent "
              "medical help.")
ERROR_REPLY = ("Sorry, something went wrong on our side. Please try again in a few minutes. "
               "In an emergency call 999, or NHS 111 for urgent medical help.")
EMPTY_MESSAGE_REPLY = "Sorry, your message arrived empty. What would you like to tell me?"


def keyword(text: Optional[str]) -> Optional[str]:
    """The keyword a whole message amounts to ("Stop", " quit. "), or None."""
    word = _TRAILING_PUNCTUATION.sub("", (text or "").strip()).upper()
    return _KEYWORDS.get(word)
