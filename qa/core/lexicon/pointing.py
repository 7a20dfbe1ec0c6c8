"""Words that point at something named elsewhere: demonstratives and pronouns (该, 此, 这, 其, 本), the
interrogative 哪, distributives (每, 各), and the connectives by which a sentence continues the one before it
(因此, 随后, 赛后). A word or sentence that opens with one says its who, what or when elsewhere."""

from __future__ import annotations

import re

__all__ = ["POINTING", "POINTER", "POINTS_BACK"]

# Characters that point at something named elsewhere ("该词…", "本剧…", "哪件", "此鱼"): a word opening with one
# is neither a name nor a topic.
POINTING = "哪此这那该其每各本"
# A question that opens by pointing at its topic ("此鱼分布在…", "该剧", "这项"): the pointer and the character after
# it shape the question and are no key term.
POINTER = re.compile(r"[此该这那本其][\u4e00-\u9fff]")
# A sentence that opens by pointing back ("赛后，…", "该银行…", "为此，…"): its when, who or why is said in the one
# before it — a pronoun (这, 此, 该, 其, 他), a time after a time already named (同年, 随后, 赛后, 当时), or a
# connective of cause or contrast (因此, 为此, 但, 然而).
POINTS_BACK = re.compile(
    r"^(?:这|此[时后]?|该|其[后中]?|他|她|它|牠|同年|次年|翌年|当年|随后|之后|后来|赛后|会后|事后|因此|因而|所以|于是|为此|"
    r"对此|由此|但|然而|不过|当时|那时|届时)")
