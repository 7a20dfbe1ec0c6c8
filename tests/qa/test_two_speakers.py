"""A question that names two speakers apart ("甲和乙都…") is answered from both (issue 11, item 4: "no sentence from
another speech unless the question asks for more than one speaker", and then from each one asked): every speaker
named gets a share of the passages read, and each answers with their own best sentence when it answers on its own.
The sample's d022 ("工信局长和市委书记都提到了…总要求") lost the second speaker this way."""

from qa import QA
from tests.conftest import indexed

TOPICS = ["政务服务", "市场准入", "企业开办", "工程建设审批", "跨部门协同", "涉企收费", "信用监管", "法治保障",
          "政策兑现", "数据共享", "窗口服务", "企业诉求办理", "要素保障", "融资服务", "知识产权保护", "招投标"]
CROWDING = ("市发展改革委主任在全市优化营商环境推进会上的讲话\n同志们：\n"
            + "".join(f"在优化营商环境的{t}方面，各部门都谈到了优化营商环境的新要求，{t}的改革成效在全省评价中位居前列。\n"
                      for t in TOPICS)
            + "优化营商环境，我提出三点要求：各部门要做到“一网通办、一次办好”，企业开办时间压缩到一个工作日以内。\n")
ONE_SENTENCE = ("市商务局局长在全市开放型经济工作会议上的讲话\n同志们：\n今年全市外贸进出口总额增长百分之八，实际使用外资创历史新高。\n"
                "下一步，我们将扩大跨境电商综合试验区的覆盖范围，培育外贸新业态新模式。\n"
                "对外资企业，营商环境要做到“准入更宽、服务更优、成本更低”，让外资企业安心发展。\n"
                "各县区要压实责任，确保全年目标任务圆满完成。\n")


def test_each_speaker_the_question_names_answers_with_their_own_sentence(tmp_path):
    qa = QA(indexed(tmp_path, {"fgw.txt": CROWDING, "sw.txt": ONE_SENTENCE}))
    question = "市发展改革委主任和市商务局局长都谈到了优化营商环境，各自提出了什么要求？"
    top = qa.search(question).results
    assert {h.doc for h in top} == {"fgw.txt"}  # the first speech crowds the second out of the top passages
    ans = qa.ask(question)
    assert ans.found and {c.doc for c in ans.citations} == {"fgw.txt", "sw.txt"}
    assert "准入更宽、服务更优、成本更低" in ans.answer
    assert "外贸进出口总额" not in ans.answer  # the second speaker's sentence on the topic, not any of theirs


def test_a_question_about_one_speaker_stays_with_that_speaker(tmp_path):
    qa = QA(indexed(tmp_path, {"fgw.txt": CROWDING, "sw.txt": ONE_SENTENCE}))
    ans = qa.ask("市发展改革委主任对优化营商环境提出了什么要求？")
    assert ans.found and {c.doc for c in ans.citations} == {"fgw.txt"}


def test_two_speakers_of_the_sample_each_give_their_wording(sample_qa):
    ans = sample_qa.ask("工信局长、市委书记讲到主题教育的总要求时各说了什么？")
    assert ans.found and {c.speaker for c in ans.citations} == {"工信局长", "市委书记"}
    assert "必须牢牢把握“学思想、强党性、重实践、建新功”的总要求" in ans.answer  # 市委书记's own sentence
    assert "“学思想、强党性、重实践、建新功”的总要求，着力" in ans.answer or "全面贯彻“学思想" in ans.answer
