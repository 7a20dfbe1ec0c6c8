"""When a text places what it says. Chinese has no tense: a sentence speaks of the past through time nouns (去年,
过去), aspect words (已, 了, 以来) and verbs of result (取得, 完成), and commits ahead through modal verbs (要, 将,
必须) and the plan's year (今年). These are those words, for sentences of speeches and for questions about them."""

from __future__ import annotations

import re

from qa.core.lexicon.measures import TOTAL

__all__ = ["LAST_YEAR", "MULTI_YEAR", "PAST", "PAST_STRONG", "FUTURE", "AHEAD", "RETROSPECTIVE", "REVIEW_HEADING", "PLAN_YEAR", "ASKS_PLAN",
           "ASKS_DONE", "LATEST", "TIME_SAID", "DUE_YEAR", "DUE_SPAN", "SPAN_REVIEW", "PLAN_TURN"]

# A sentence that speaks of the past: a past time (去年, 上年 but not 比上年 “compared with last year”, which a plan
# says too), a span up to now (以来, 一年来), or an aspect word of completion (已, 了 but not 为了/除了) or a verb of
# result (取得, 实现, 完成). Broad: in a plan, 了 and 实现 also occur in commitments ("实现了…的目标" is rare there).
PAST = re.compile(r"去年|(?<!比)上年|过去|一年来|年来|以来|已经|已|(?<![为除])了|取得|实现|完成")
# The same past, said unmistakably: the time words, and a verb of result only with 了 (取得了, 实现了). For a
# document whose plan part is known, where a bare 实现 or 已 is as often a commitment ("实现…增长").
PAST_STRONG = re.compile(r"去年|(?<!比)上年|过去|一年来|年来|以来|已经|取得了|实现了|完成了")
# A sentence that commits ahead: it opens with the plan's year or a modal verb or adverb of resolve (今年, 要, 将,
# 力争, 确保, 进一步 …), or says 今年, 要 or 将 anywhere.
FUTURE = re.compile(r"^(?:今年|明年|要|将|继续|必须|力争|确保|进一步|抓紧|加快|积极|努力)|今年|要|将")
# The modal verbs of a commitment (将, 要, 必须, 力争, 确保): a sentence that looks back but says one of these
# still commits ("在…取得成效的基础上，今年将…").
AHEAD = re.compile(r"将|要|必须|力争|确保")
# What makes a sentence a retrospective fact rather than a commitment: a span up to now (以来, 年来, 过去), a thing
# already done (已经, 已建成, 取得了), an event (召开, 成立后) or an argument from history (时期, 证明). A year alone
# is no sign of the past: "申办2010年世界博览会", "到2025年".
RETROSPECTIVE = re.compile(r"以来|年来|过去|已经|已建成|已完成|先后|取得了|实现了|完成了|召开|成立后|时期|证明")
# A section heading that announces an account of the past: "一、2024年工作回顾", "一、过去五年的工作",
# "一、改革开放和现代化建设取得伟大成就的五年", "过去五年的回顾", "首先报告２００１年的工作" (a heading line of its own).
REVIEW_HEADING = re.compile(r"回顾|报告[^，。；]{0,4}(?:\d{4}年|去年|上年|过去一年)[^，。；]{0,4}工作|过去[^，。；]{0,10}(?:工作|成就|成绩)|(?:取得|伟大)[^，。；]{0,12}(?:成就|成绩)|基本总结|工作总结"
                            r"|历史性(?:成就|转变)")
# The year just ended, as a report's review names it (“过去一年，…国内生产总值增长10.3%”, “赤字率从去年的2.1%”);
# 比上年 and 比去年 compare with it, they name no year.
LAST_YEAR = re.compile(r"过去一年|一年来|(?<!比)去年|(?<!比)上年")
# A figure over more than one year, so no one year's: a total or an average (`TOTAL`: 累计, 年均, 五年来), a span
# (以来, 期间, 十年), a five-year plan's period (“十三五”), an average per year (平均每年).
MULTI_YEAR = re.compile(TOTAL.pattern + r"|平均(?:每年|增长)|[五十]年|以来|期间|十[一二三四五六七八九]五")
# The year a plan is for, as it opens a plan's sentence or target (“今年发行…”, “全年城镇新增就业…”): a regex fragment.
PLAN_YEAR = "今年|明年|全年"

# How a question asks what someone requires, plans or pledged ("提出了哪些要求", "今年要完成哪些目标", "承诺…",
# "下一步打算"): answered from plans and pledges, not from an account of the past.
ASKS_PLAN = re.compile(r"要求|部署|安排|计划|打算|承诺|许诺|表态|目标|任务|今年要|明年|来年|下一步|今后|将要|准备|谋划|努力方向|重点工作")
# How a question asks what was done ("取得了哪些成绩", "过去一年做了什么"): its own words for the past (成效, 成绩,
# 做了哪些), not the aspect words of a speech's sentence (`PAST`: 已, 了), which a question seldom uses.
ASKS_DONE = re.compile(r"取得了?|完成了|做了哪些|做成了|成效|成绩|成就|过去[一五十]?年|回顾|去年|上一年|已经")
# A question that points to the newest speech: 最近, 最新, 上次, 最后一次.
LATEST = re.compile(r"最近|最新|上一次|上次|最后一次")
# Any expression of time, for the check that an answer to "什么时候" says one: a date, an age, a period ("孔雀王朝时期",
# "上白垩纪早期", "唐末"), a time relative to an event ("四国征伐后，"), a season or a dynasty.
TIME_SAID = re.compile(r"[\d一二三四五六七八九十百千两]+\s*(?:年|月|日|号|时|点|岁|世纪|年代)|时期|时代|年代|期间|之后|以后|之前|以前|"
                       r"当天|当日|当年|同年|次年|翌年|早期|晚期|中期|初期|末期|[\u4e00-\u9fff]末|[^，。；]{1,10}后[，,]|季|朝")
# The year a measure is due by, as a plan sets it: “到2007年”, “2010年前”, “2007年底” (not a year that names an
# event: “申办2010年世界博览会”); or a span of years from the
# plan's (“五年内”, “三年内”, a number of years: `DUE_SPAN`).
DUE_YEAR = re.compile(r"(?:到|至)(\d{4})年|(\d{4})年(?:底|前|以前|末|内)")
DUE_SPAN = re.compile(r"([两三四五六七八九十])年(?:内|之内|左右)")
# A paragraph that opens by reviewing a span of years (“过去五年，我国经济社会发展取得新的历史性成就。”, “五年来”,
# “‘十三五’时期”): what it goes on to say is that span's record (“国内生产总值从不到70万亿元增加到超过100万亿元”),
# even in a section that also sets the next plan's targets.
SPAN_REVIEW = re.compile(r"^(?:过去(?:[两二三四五六七八九十]|几)年|[二三四五六七八九十]年来|“?十[一二三四五]五”?(?:时期|期间)"
                         r"(?:[^，。；]{0,6}(?:成就|成绩))?[，,])")
# Where such a paragraph turns to the plan: a sentence opening with the year or years ahead (新的一年, 今后, “十四五”时期).
PLAN_TURN = re.compile(r"[。；！](?:新的一年|今年|明年|今后|未来|下一步|“?十[一二三四五]五”?时期)")
