"""The rule that keeps a conversation's messages in order, on both channels."""
from __future__ import annotations

import asyncio

from bot.channels.in_order import after_older_ones


def run(older: list[bool], replays: list[bool], wait_up_to: float = 5.0) -> tuple[bool, list[str]]:
    calls: list[str] = []

    async def older_unanswered() -> bool:
        calls.append("look")
        return older.pop(0)

    async def replay_older() -> bool:
        calls.append("replay")
        return replays.pop(0)

    answer = asyncio.run(after_older_ones(replay_older, older_unanswered, wait_up_to=wait_up_to, poll=0.01,
                                          what="test"))
    return answer, calls


def test_nothing_older_unanswered_costs_one_look_and_no_replay():
    assert run([False], []) == (True, ["look"])


def test_older_ones_are_replayed_first_then_this_one_goes():
    assert run([True, False], [True]) == (True, ["look", "replay", "look"])


def test_when_the_bot_cannot_answer_the_older_one_this_one_is_kept():
    assert run([True], [False]) == (False, ["look", "replay"])


def test_an_older_one_in_another_process_hands_is_waited_for_then_this_one_is_kept():
    answer, calls = run([True] * 1000, [True] * 1000, wait_up_to=0.05)
    assert answer is False and calls[:3] == ["look", "replay", "look"]
