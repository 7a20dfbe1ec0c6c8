"""Whether a later text says a thing was done, was not, or is under way: the verdict words of an account of work
(实现、建成 / 未能、推迟 / 推进、加快). Each states; none is inferred from a figure (a figure is compared with its target
by `qa.pledges.targets`)."""

from __future__ import annotations

import re

__all__ = ["DONE", "UNDONE", "PROGRESS", "MISSED_TARGET", "STATES_TARGET", "CARRIED_OUT", "MEASURE", "PARTLY", "SECURES", "NEGATED"]

# Words that say a thing was done: a result reached (实现, 建成, 赢得, 如期, 超额, 取得成效, 颁布, 开通), or a verb
# of change with 到/至 and a figure (扩大到20个省, 提高到30%). A verdict word after a negation says the opposite
# (无法实现, 不能完成, 未实现), so it is not read here; 完成 with a figure after it (完成1000亿元) is an amount, not a verdict.
DONE = re.compile(r"(?:扩大|提高|增加|增长|降低|下降|减少|达)(?:到|至)[\d０-９]|(?<!无法|不能|难以|没能|没有|未能)(?<![未])"
                  r"(?:实现|完成(?![\d０-９])|建成)|赢得|如期|提前|超额|全面推开|全面实行|实行了|出台了|颁布|开通|竣工|取消了|成功|"
                  r"取得(?:明显|显著|重大)?成效|达到")
# Words that say a thing was not done: put off (推迟), failed (未能, 落空), not yet (尚未, 仍未), or a verdict word
# after a negation (没有完成, 无法实现, 难以达到).
UNDONE = re.compile(r"推迟|未能|(?:没有|未|无法|不能|难以|没能)(?:完成|实现|达到|建成)|尚未|仍未|落空")
# Words that report work under way without a result to compare: pushing on (推进, 加快, 深化), starting (启动, 试点,
# 开展), step by step (逐步, 初步), a change with no figure (提高, 增长, 下降, 明显).
PROGRESS = re.compile(r"推进|进展|加快|扩大|加大|深化|展开|开展|启动|逐步|初步|试点|加强|改善|提高|增加|增长|下降|明显")
# A report's own word that a target was missed: “没有实现年初确定的…目标”, “未能完成预期目标”.
MISSED_TARGET = re.compile(r"(?:没有|未能|未|没能|难以)(?:实现|完成|达到)[^，。；]{0,40}?目标")
# A clause that names a target, not a result: “没有实现…能耗降低4%左右的目标” repeats the plan's figure.
STATES_TARGET = re.compile(r"目标|预期|原定|计划")
# A measure a review reports as carried out, by the aspect of its verb: done (实施了, 建立了, 制定了), already
# (已经建立, 已出台), carried through (顺利实施, 全面实施, 正式实施, 基本建立) or started (开始实施) — “内地与香港、澳门
# 更紧密经贸关系安排顺利实施”.
_ONE_OFF = "实施|实行|推行|推开|取消|出台|启动|制定|修订|建立|颁布|开通"  # the verbs of a measure done once
CARRIED_OUT = re.compile(rf"(?:顺利|全面|正式|开始)实施|基本建立|(?:{_ONE_OFF})了|已(?:经)?(?:全面)?(?:{_ONE_OFF})")
# The verb of a plan's one-off measure or task (实施“中国制造2025”, 启动…计划, 做好…安排的工作), which a review can
# report carried out; work a plan keeps doing (完善, 加强, 加快, 推动) has none.
MEASURE = re.compile(rf"{_ONE_OFF}|做好|搞好|办好")
# Words that say only part of a thing was done, or a first step (初步建立了, 逐步推行, 许多地区已经实行).
PARTLY = re.compile(r"初步|逐步|部分|有的|一些|许多|不少|多数|陆续|正在")
# A plan that promises an outcome rather than an act: 确保/保证 …按时足额发放 (not a purpose, 为确保…).
SECURES = re.compile(r"(?<!为)(?<!为了)(?:确保|保证)")
# A negation before an outcome: it was not secured (没有, 未, 不能, 难以).
NEGATED = re.compile(r"没有|未|不能|难以|不到|无法")
