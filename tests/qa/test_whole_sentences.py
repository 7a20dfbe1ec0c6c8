"""Answers quote whole sentences (issue 11, item 4: complete answers): a clause the splitter cut at a semicolon
brings the rest of its sentence unless one figure, year or name is asked; sentences quoted one after the other read
as one quotation with one citation mark; a semicolon inside brackets or an ASCII mark inside a Latin name ends no
sentence."""

from qa import QA
from qa.core.text import split_sentences
from tests.conftest import indexed

HERB = """短叶水蜈蚣
短叶水蜈蚣是莎草科水蜈蚣属的植物，多生长在山坡荒地、路旁草丛和田边草地。
中医上以全草入药，性平、味辛，功能发汗退热、消肿解毒，主治感冒发热、疟疾、痢疾、皮肤瘙痒、蛇虫咬伤等症；近年又用于乳糜尿。
它的茎秆高二十厘米左右；叶片狭长，呈条形。
"""

GRASS = """白花水蜈蚣
白花水蜈蚣是莎草科的多年生草本植物。
白花水蜈蚣在民间叫做金钮草；全草晒干后可以入药，常用来治疗感冒和咳嗽。
"""

GENERAL = """成公英
成公英是东汉末年金城人，韩遂的心腹部将。
后来夏侯渊回到汉中，只留下阎行守城，成公英于是集结羌胡兵众数万人攻打阎行，阎行抵挡不住，有意撤退。此时韩遂逝世，成公英唯有投降曹操。
曹操任命他为军师，封列侯。
"""

STREET = """牛车水
牛车水（；）是新加坡的唐人街，是新加坡历史上重要的华人聚集地，为新加坡的著名旅游景点之一。
早年岛上没有自来水，居民的用水都由牛车从水井运来，这个地区因此得名。
"""


def test_a_clause_cut_at_its_semicolon_is_quoted_with_the_rest_of_its_sentence(tmp_path):
    herb = HERB.split("\n", 1)[1]
    qa = QA(indexed(tmp_path, {"herb.txt": HERB}))
    ans = qa.ask("短叶水蜈蚣主治哪些问题？")
    assert ans.found and "蛇虫咬伤等症；近年又用于乳糜尿。[1]" in ans.answer  # one quotation, one mark
    highlighted = [HERB[s:e] for s, e in ans.citations[0].highlights]
    assert highlighted[0].endswith("等症；近年又用于乳糜尿。") and highlighted[0] in herb
    # asked for one figure, the clause that gives it is the answer, not the rest of the sentence
    tall = qa.ask("短叶水蜈蚣的茎秆有多高？")
    assert tall.found and "它的茎秆高二十厘米左右；[1]" in tall.answer and "叶片狭长" not in tall.answer
    # asked what something is called, likewise
    (tmp_path / "named").mkdir()
    named = QA(indexed(tmp_path / "named", {"grass.txt": GRASS})).ask("白花水蜈蚣在民间叫什么？")
    assert named.found and "在民间叫做金钮草；[1]" in named.answer and "晒干" not in named.answer


def test_sentences_quoted_one_after_the_other_read_as_one_quotation(tmp_path):
    qa = QA(indexed(tmp_path, {"general.txt": GENERAL}))
    ans = qa.ask("成公英后来为什么投降曹操？")
    assert ans.found and "有意撤退。此时韩遂逝世，成公英唯有投降曹操。[1]" in ans.answer
    assert "[1]此时" not in ans.answer
    (start, end), = ans.citations[0].highlights
    assert GENERAL[start:end].startswith("后来夏侯渊") and GENERAL[start:end].endswith("投降曹操。")


def test_a_mark_inside_brackets_or_a_latin_name_ends_no_sentence(tmp_path):
    cut = lambda text: [s.text for s in split_sentences(text)]  # noqa: E731
    assert cut("牛车水（；）是唐人街。它很老。") == ["牛车水（；）是唐人街。", "它很老。"]
    assert cut("又称作-{zh-cn:宽叶毛毡苔;zh-hk:锦地罗}-，是植物。") == ["又称作-{zh-cn:宽叶毛毡苔;zh-hk:锦地罗}-，是植物。"]
    assert cut("《卡拉OK.LIVE！‧台北‧我》是第六张专辑。") == ["《卡拉OK.LIVE！‧台北‧我》是第六张专辑。"]
    assert cut("组合包括岚及Hey! Say! JUMP。下一句。") == ["组合包括岚及Hey! Say! JUMP。", "下一句。"]
    # a clipping's ASCII full stop after a Chinese character and before a space ends a sentence; 3.14 and Mr. do not
    assert cut("新增就业752万人. 2018-07-23 来源：新华社. 字号") == ["新增就业752万人.", "2018-07-23 来源：新华社.", "字号"]
    assert cut("约为3.14 左右。Mr. Smith 来了。") == ["约为3.14 左右。", "Mr. Smith 来了。"]
    assert cut("一是稳；二是进。（未闭合的括号；\n下一行。") == ["一是稳；", "二是进。", "（未闭合的括号；", "下一行。"]
    ans = QA(indexed(tmp_path, {"street.txt": STREET})).ask("什么是牛车水？")
    assert ans.found and ans.answer.startswith("牛车水（；）是新加坡的唐人街")


PARK = """泰国的热带植物园
东芭乐园（又名：萱侬律；英文：Nong Nooch Tropical Botanical Garden）位于泰国春武里府素坤逸路163公里处。它是一个占地约两平方公里的热带植物公园。
园主夫妇在1954年买下这片土地，原本打算开发成果园，后来决定保留园中的热带植物，并在1980年对公众开放。
"""


def test_the_words_that_ask_for_a_measure_are_no_topic(tmp_path):
    """“多大”, “多长” ask for a figure, like 多少: a passage never says them, and weighing them as a key term refused
    the sentence that gives the area."""
    ans = QA(indexed(tmp_path, {"park.txt": PARK})).ask("东芭乐园占地多大？")
    assert ans.found and "占地约两平方公里" in ans.answer


MUGWORT = """五月艾
五月艾是菊科蒿属的植物。
分布于越南、老挝、缅甸、泰国、尼泊尔、菲律宾、印度、不丹、斯里兰卡、印度尼西亚、日本、马来西亚、巴基斯坦、朝鲜、柬埔寨以及中国大陆的四川、浙江、江西、西藏、陕西、山西、内蒙古、云南、辽宁、河北、福建、广西等地，生长于海拔100米至2,800米的地区，见于灌丛处、坡地、路旁、林缘及森林草原，目前尚未由人工引种栽培。
"""


def test_a_long_sentence_quoted_for_one_figure_leads_with_the_clause_that_gives_it(tmp_path):
    """Item 4: the clause that holds the figure asked for, the clauses left out marked “……”, the highlight on the
    clause; a shorter sentence, or a question that is not about one figure, quotes the sentence whole."""
    qa = QA(indexed(tmp_path, {"mugwort.txt": MUGWORT}))
    ans = qa.ask("五月艾生长的地区海拔约是多少米？")
    assert ans.found and ans.answer.startswith("……生长于海拔100米至2,800米的地区") and ans.answer.endswith("……[1]")
    assert "老挝" not in ans.answer and "人工引种" not in ans.answer
    for s, e in ans.citations[0].highlights:
        assert MUGWORT[s:e] in ans.answer and not MUGWORT[s:e].endswith("，")
    whole = qa.ask("五月艾分布于哪些地方？")
    assert whole.found and "分布于越南、老挝" in whole.answer and "……" not in whole.answer
