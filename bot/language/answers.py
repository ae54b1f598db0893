"""Short answers to what the bot just asked: yes or no, in the ways carers say them."""
from __future__ import annotations

import re
from typing import Optional

YES = re.compile(r"^\W*(yes|yeah|yea|yep|yup|ya|ye|aye|ok|okay|k|go on|go ahead|sure|fine|agreed?|i agree|"
                 r"alright|all right|please do|of course|that'?s fine|thats ok|sounds good|y)\b", re.IGNORECASE)
NO = re.compile(r"^\W*(no|nope|nah|not now|no thanks|don'?t|i'?d rather not|n)\b", re.IGNORECASE)


def answer(text: str) -> Optional[str]:
    """"yes", "no", or None when the message is neither."""
    if YES.match(text):
        return "yes"
    if NO.match(text):
        return "no"
    return None
