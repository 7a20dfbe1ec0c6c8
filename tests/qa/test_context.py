"""A quotation at the very edge of its passage is cited with the sentence beside it (issue 11: verifiable answers):
whoever checks the quote sees what follows it, here a "但" that qualifies it. The passage stays verbatim and the
highlight stays on the quoted sentence; a sentence on another line is not pulled in."""

from qa import QA
from tests.conftest import indexed

S1 = "青石水库位于青石县北部山区，始建于一九五八年，是一座以灌溉和防洪为主、兼顾发电和养殖的中型水库，库区群山环抱。"
S1B = "水库控制流域面积二百六十平方公里，总库容一点八亿立方米，设计灌溉面积十二万亩，是全县最大的水利工程。"
S2 = "水库大坝为黏土心墙堆石坝，坝顶高程一百二十三米，最大坝高四十六米，坝顶长度三百一十米，坝顶宽度八米。"
S3 = "二〇二一年汛期，青石水库按照县防汛指挥部的统一调度，先后开闸泄洪七次，累计下泄洪水一点二亿立方米，保障了下游群众的生命财产安全。"
S4 = "但泄洪期间下游两座漫水桥被冲毁，沿河三个村庄的部分农田被淹，事后由县财政安排专项资金予以补偿。"
S5 = "青石水库库区现有鱼类四十余种，其中以鲢鱼、鳙鱼和草鱼为主，每年举办开湖节。"


def test_a_quote_at_the_end_of_its_passage_is_cited_with_the_sentence_that_follows(tmp_path):
    text = f"青石水库\n{S1}{S1B}{S2}{S3}{S4}\n{S5}\n"
    qa = QA(indexed(tmp_path, {"dam.txt": text}))
    passages = qa.search("青石水库二〇二一年汛期开闸泄洪几次？", k=10).results
    assert any(h.text.endswith(S3) for h in passages) and not any(S3 + S4 in h.text for h in passages)
    ans = qa.ask("青石水库二〇二一年汛期开闸泄洪几次？")
    assert ans.found and "七次" in ans.answer and "漫水桥" not in ans.answer  # the answer itself stays focused
    c = ans.citations[0]
    assert S3 + S4 in c.text and text[c.start : c.end] == c.text  # the passage shows what follows, verbatim
    assert [text[s:e] for s, e in c.highlights] == [S3]  # and marks only what the answer quotes
    assert S5 not in c.text  # the next paragraph is not context of this sentence


def test_a_quote_inside_its_passage_keeps_the_passage_as_retrieved(tmp_path):
    text = f"青石水库\n{S1}{S1B}{S2}{S3}{S4}\n{S5}\n"
    qa = QA(indexed(tmp_path, {"dam.txt": text}))
    ans = qa.ask("青石水库的坝顶高程是多少？")
    assert ans.found and "一百二十三米" in ans.answer
    c = ans.citations[0]
    assert c.text == next(h.text for h in qa.search("青石水库的坝顶高程是多少？", k=10).results if S2 in h.text)


def test_one_quotation_across_two_touching_passages_is_one_citation(tmp_path):
    clause = S3.replace("。", "；")  # the splitter cuts at the semicolon, and the chunker after it
    text = f"青石水库\n{S1}{S1B}{S2}{clause}{S4[1:]}\n{S5}\n"
    qa = QA(indexed(tmp_path, {"dam.txt": text}))
    assert not any(clause + S4[1:] in h.text for h in qa.search("青石水库二〇二一年汛期是怎样调度的？", k=10).results)
    ans = qa.ask("青石水库二〇二一年汛期是怎样调度的？")
    assert ans.found and f"{clause}{S4[1:]}[1]" in ans.answer and "[2]" not in ans.answer
    (c,) = ans.citations
    assert clause + S4[1:] in c.text and text[c.start : c.end] == c.text
    assert [text[s:e] for s, e in c.highlights] == [clause + S4[1:]]
