"""Prints the newest web-chat code texted to a number, read from the outbox (the browser test's
stand-in for the carer's phone). `python -m tests.browser.webchat_code 07700900123`; reads
DATABASE_URL and ONESTORY_SECRET_KEY from the environment, as the servers do."""
from __future__ import annotations

import re
import sys

from bot.handoff import outbox


def latest_code(number: str) -> str:
    for entry in outbox.recent_for(number):
        if entry.purpose == "web_code":
            found = re.search(r"\b(\d{6})\b", entry.body)
            if found:
                return found.group(1)
    return ""


if __name__ == "__main__":
    print(latest_code(sys.argv[1]))
