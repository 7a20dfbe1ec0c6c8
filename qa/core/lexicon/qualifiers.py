"""Qualifiers that make a different thing of the same head noun: official Chinese distinguishes statistics,
budgets and populations by one word before the head — 调查失业率 and 登记失业率 are two statistics, 中央财政 and
地方财政 two budgets, 城镇居民 and 农村居民 two populations. A sentence saying another qualifier of the group with the
same head states another thing, not the one asked for."""

from __future__ import annotations

__all__ = ["QUALIFIERS"]

# Groups of qualifiers that make different things of one head noun (each with each other of its group).
QUALIFIERS: tuple[frozenset[str], ...] = (
    frozenset({"调查", "登记"}),  # 调查失业率 / 登记失业率
    frozenset({"中央", "地方"}),  # 中央财政, 中央预算内投资 / 地方财政, 地方政府专项债
    frozenset({"城镇", "农村", "乡村"}),  # 城镇居民 / 农村居民, 城镇新增就业
    frozenset({"城市", "农村"}),
    frozenset({"进口", "出口"}),
    frozenset({"名义", "实际"}),  # 名义增长 / 实际增长
    frozenset({"国有", "民营"}),  # 国有企业 / 民营企业
)
