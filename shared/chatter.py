"""What a writer says around a report instead of in it: an opening interjection, a plan, a line
presenting the report ("Here is the report:"), a sign-off. The draft service strips these lines
from a model's reply; the validator flags a plan left at the top of a report."""

from __future__ import annotations

import re

INTERJECTION = re.compile(
    r"^\s*(?:(?:certainly|sure|of course|okay|ok|great)\b|好的|当然|没问题|明白)[!！,，.。:：\s]*", re.IGNORECASE
)
PLANNING = re.compile(
    r"^(?:I['’]ll\b|I\s+will\b|I\s+am\s+going\s+to\b|I['’]m\s+going\s+to\b|Let\s+me\b|Let['’]s\b|I\s+need\s+to\b"
    r"|First,?\s+I\b|我将|我会|让我|我来|我先|首先[，,]?\s*我|下面[，,]?\s*我将|接下来[，,]?\s*我)",
    re.IGNORECASE,
)
PRESENTING = re.compile(r"^(?:here\s+(?:is|are)\b|below\s+is\b|以下是|下面是)", re.IGNORECASE)
SIGN_OFF = re.compile(
    r"^\s*(?:let me know|i hope|hope this|if you (?:need|want|would)|feel free|希望|如需|如果您?需要|如有)",
    re.IGNORECASE,
)


def is_plan(line: str) -> bool:
    """Whether ``line`` opens with the writer's plan ("I'll…", "Let me…", "我将…"), after any interjection."""
    return bool(PLANNING.match(INTERJECTION.sub("", line.strip(), count=1)))


def is_opening_chatter(line: str) -> bool:
    """Whether ``line`` is an interjection, a plan or a line presenting the report."""
    text = line.strip()
    rest = INTERJECTION.sub("", text, count=1)
    return rest != text or bool(PLANNING.match(rest) or PRESENTING.match(rest))


def is_sign_off(line: str) -> bool:
    """Whether ``line`` is a closing remark ("Let me know…", "希望…")."""
    return bool(SIGN_OFF.match(line))
