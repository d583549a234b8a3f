"""Text that addresses a model instead of informing a reader: instructions hidden in sources."""

from __future__ import annotations

import re

INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.\n]{0,40}?\b(?:previous|above|prior|earlier|preceding|all|any|your)\b"
    r"[^.\n]{0,20}?\b(?:instructions?|prompts?|rules|directions)\b"
    r"|\bnew instructions?\s*:|\bdo not follow (?:the|your) (?:previous |above )?instructions\b"
    r"|(?:忽略|无视|忽视|不要理会|不要遵循|不再遵循|忘记|忘掉)[^。\n]{0,12}?(?:之前|以上|上面|前面|上述|先前|此前|所有|全部|你的)"
    r"[^。\n]{0,8}?(?:指令|指示|说明|要求|提示|规则|设定)"
    r"|新的?指令\s*[:：]|你现在是",
    re.IGNORECASE,
)
"""An instruction to the writer ("ignore the above instructions", "忽略以上指令")."""
DEMAND = re.compile(
    r"\b(?:output|respond with|reply with|answer with|say)\s+only\s+(?:the\s+word\s+)?[\"'“]?(\w+)"
    r"|(?:只|仅)(?:输出|回答|回复)[:：]?\s*[\"“「]?(\w+)",
    re.IGNORECASE,
)
"""The word an instruction asks a model to output alone ("output only the word APPROVED")."""
