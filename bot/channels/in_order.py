"""Keeping a conversation's messages in order when an older one is still unanswered.

The SMS channel and the web chat both answer a new message only after the older messages of its
conversation: those kept for later are replayed first, and one still in another process's hands is
waited for until its claim goes stale (a dead process's claim is then replayed here). One rule,
used by both channels.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

logger = logging.getLogger(__name__)


async def after_older_ones(replay_older: Callable[[], Awaitable[bool]],
                           older_unanswered: Callable[[], Awaitable[bool]], *,
                           wait_up_to: float, poll: float, what: str) -> bool:
    """True once no older message of the conversation is unanswered.

    `replay_older` replays the older kept messages that are due and says whether the bot answered
    them (False: it is down, so this message must be kept too). `older_unanswered` says whether
    one is still unanswered. False when one still is after `wait_up_to` seconds: the new message
    is then kept behind it, so a carer's messages are never taken out of order.
    """
    deadline = time.monotonic() + wait_up_to
    while True:
        # Most messages have nothing older unanswered: one look, and no replay to try.
        if not await older_unanswered():
            return True
        if not await replay_older():
            return False
        if not await older_unanswered():
            return True
        if time.monotonic() >= deadline:
            logger.warning("%s waits behind an older message of its conversation: kept", what)
            return False
        await asyncio.sleep(poll)
