"""The words staff use for what speeches say in their own register: "老百姓" is "群众" in a speech, "眼下" is
"当前", "反腐败" is "防腐", "对上号" is "对接". 《同义词词林》 (qa/synonyms.py) joins words of one meaning that share a
character; these pairs share none, or 词林 does not have them, and they are what a question in everyday words
misses most. tests/data/heldout2.jsonl (such questions, written before the list; their refusals then informed it)
and tests/data/heldout4.jsonl (written after it, its unseen check) measure it: docs/BENCHMARKS.md.

Curated for the genre (officials' speeches, work reports), one way: the everyday word a question uses → the words
a speech uses for it. Only pairs a reader of such speeches would call the same thing; no single characters (they
are parts of too many words), no verbs that every sentence has (搞, 抓, 干).
"""

from __future__ import annotations

from qa.core.lexical import BM25
from qa.core.text import tokenize

__all__ = ["REGISTER", "said_instead"]

_GROUPS = """
老百姓 百姓 民众 市民 大家伙 普通人 | 群众 人民群众 居民 人民
眼下 现在 如今 当下 时下 这会儿 | 当前 目前 现阶段
本市 咱们市 咱市 这个市 | 我市 全市
咱们国家 我们国家 | 我国
全国各地 | 全国
老板 企业主 生意人 | 企业家 经营者 市场主体
工人 打工的 打工者 | 职工 劳动者 农民工
技术工人 技工 手艺人 | 技能人才 工匠 高技能人才
年轻人 小年轻 | 青年 年轻干部
当官的 官员 领导们 | 领导干部 党员干部
公务员 | 干部
旅游 旅行 游玩 | 文旅 旅游业
反腐败 反腐 腐败 贪污 | 防腐 廉洁 廉政 清廉 纠风
环保 环境保护 | 生态环境 生态保护 污染防治
空气 雾霾 | 大气 蓝天
河流 河道 小河 | 水体 河湖 岸线
垃圾 废料 | 固体废物 废弃物
农村 乡下 | 乡村 农业农村
看病 | 医疗 就医 卫生健康
上学 读书难 | 教育 入学
房子 居住 住的地方 | 住房 小区 安居
找工作 饭碗 工作机会 | 就业
挣钱 收入 工资 | 增收 收入
做生意 | 营商 经营
办手续 手续 | 审批 政务服务
比赛 | 竞赛 大赛
打分 | 考核 评价 考评
毛病 缺点 | 不足 短板 差距 问题
检讨 反思 找毛病 | 查摆 检视 剖析 对照
老一套 老办法 老路子 | 老框框 老套路
硬骨头 难题 难关 | 攻坚 难题 瓶颈 短板 卡脖子
窗口期 | 机遇期 机遇
对上号 挂钩 配上 | 对接 衔接 对标
盯住 盯紧 瞄准 | 聚焦 紧盯 锚定
需求 想要的 | 诉求 期盼 所盼 急难愁盼
奔头 | 奋斗目标 目标
规划 | 蓝图
领头 龙头 带头的 | 龙头 领军 头雁 链主
大企业 | 龙头企业 领军企业
小企业 小公司 | 中小企业 小微企业
公司 厂子 工厂 | 企业
开会 会上 | 会议
学习班 培训班 | 读书班 专题培训
"""


def _parse(text: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for line in text.strip().splitlines():
        everyday, said = (part.split() for part in line.split("|"))
        for word in everyday:
            out.setdefault(word, []).extend(w for w in said if w != word and w not in out[word])
    return {w: tuple(s) for w, s in out.items()}


REGISTER: dict[str, tuple[str, ...]] = _parse(_GROUPS)


def said_instead(tokens: list[str], corpus: BM25) -> list[str]:
    """The search tokens of the speeches' words for the question's everyday ones that no speech uses ("老百姓" →
    群众, 居民, …), to search by as well: the lexical retriever finds "群众" where the question said "老百姓"."""
    out: list[str] = []
    for t in dict.fromkeys(tokens):
        if t in REGISTER and not corpus.df(t):
            out += [w for form in REGISTER[t] for w in tokenize(form) if corpus.df(w)]
    return list(dict.fromkeys(out))
