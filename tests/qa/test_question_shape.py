"""The structure of the question chooses the sentence (issue 11, items 1 and 2): the part of the topic asked about
("X的花有什么特点"), the topic given like a title, a count answered by the things enumerated, a share in words;
words that only shape the question (interrogatives, pointers, prepositions, the noun an interrogative asks for)
are never named as missing; a sentence that only restates the question answers nothing; the passage between two
retrieved passages of the best text is read too."""

from dataclasses import replace

from qa import QA
from qa.answer.question import analyse, gives_figure
from tests.conftest import indexed

PLANT = ("软枝黄蝉\n软枝黄蝉（学名：），别称黄莺、小黄蝉、软枝花蝉，为夹竹桃科黄蝉属植物，原生于巴西。"
         "因花蕾的形状及颜色貌似即将羽化的蝉蛹，且枝条柔软，故而得名软枝黄蝉。软枝黄蝉是一种攀缘性常绿灌木。\n"
         "叶3-4片轮生，披针形。花为聚繖花序顶生，金黄色，花冠呈漏斗形五裂，冠筒细长基部不膨大。花期为3-8月，果期10-12月。\n")


def test_the_sentence_about_the_part_asked_answers(tmp_path):
    qa = QA(indexed(tmp_path, {"plant.txt": PLANT}))
    ans = qa.ask("软枝黄蝉的花有什么特点？")
    assert ans.found and "聚繖花序" in ans.answer
    assert "别称" not in ans.answer and "花期" not in ans.answer  # the name's sentence, the flowering months
    assert analyse("软枝黄蝉的花有什么特点？").aspect == "花"
    assert analyse("斯氏腔吻鳕的外形是怎样的？").aspect == "外形"


TOWN = ("瓦士本市\n瓦士本市是美国威斯康辛州贝菲县内的一座城市，以一名前州长命名。\n瓦士本市的地理位置为。"
        "它位于威斯康辛州的北部，地理上属苏必利尔湖畔的港湾。\n目前瓦士本市最主要的经济是旅游业。\n")


def test_a_sentence_that_only_restates_the_question_is_not_the_answer(tmp_path):
    qa = QA(indexed(tmp_path, {"town.txt": TOWN}))
    ans = qa.ask("瓦士本市的地理位置在哪儿？")
    assert ans.found and "苏必利尔湖畔" in ans.answer
    assert "地理位置为。" not in ans.answer  # the source left the place out of that sentence


EVENT = ("香港羽毛球公开赛\n香港羽毛球公开赛，官方名称为「香港公开羽毛球锦标赛」，是从1982年开始一年一度在香港举行的羽毛球比赛。"
         "本赛事由世界羽毛球联会认可，香港羽毛球总会主办，一般在每年的11月举行。\n")


def test_the_topic_is_given_and_the_other_words_decide(tmp_path):
    qa = QA(indexed(tmp_path, {"event.txt": EVENT}))
    ans = qa.ask("香港公开羽毛球锦标赛的主办方是？")
    assert ans.found and "香港羽毛球总会主办" in ans.answer


ORDERS = ("卡洛王子\n卡洛王子是两西西里王室的成员，生于罗马。\n"
          "卡洛还是圣乔治骑士团、圣斐迪南骑士团和圣真纳罗骑士团的大团长。\n他在罗马完成了学业。\n")
ILLNESS = ("羊水栓塞\n羊水栓塞是分娩时的一种罕见并发症。\n一半以上病人在征状出现的首个小时内死亡。\n")


def test_a_count_is_answered_by_the_things_enumerated_and_a_share_in_words(tmp_path):
    qa = QA(indexed(tmp_path, {"orders.txt": ORDERS, "illness.txt": ILLNESS}))
    ans = qa.ask("卡洛身兼几家骑士团的大团长职位？")
    assert ans.found and "圣斐迪南骑士团" in ans.answer
    ans = qa.ask("有多少病人在征状出现的首个小时内死亡？")
    assert ans.found and "一半以上" in ans.answer
    # a mask is no enumeration: "**条产业链产业集群" still gives no figure
    assert not gives_figure("围绕“11+7”任务以及**条产业链产业集群，统筹整合力量、精准发力", "条", None)
    assert not gives_figure("圣乔治骑士团的大团长", "家", "骑士团")  # one named is no count


def test_words_that_shape_the_question_are_not_named_as_missing(tmp_path):
    qa = QA(indexed(tmp_path, {"plant.txt": PLANT}))
    ans = qa.ask("纽西兰鸡毛松通过什么办法传播种子？")
    said = ans.answer + "".join(ans.warnings)
    assert ans.outcome == "none" and "纽西兰" in said and said.count("“") <= 3  # at most three words named
    assert "通过" not in said and "办法" not in said
    q = analyse("此鱼由谁来命名？")
    assert {"此鱼", "由谁来"} <= q.never
    assert {"通过", "办法"} <= analyse("市工信局打算通过什么办法识别干部？").unnamed


def test_the_passage_between_two_retrieved_passages_is_read(tmp_path):
    settings = indexed(tmp_path, {"plant.txt": PLANT * 6})
    qa = QA(settings)
    qa._ready()
    retrieval = qa.retriever.retrieve("软枝黄蝉的花有什么特点？")
    chunks = qa.answerer.speech("plant.txt")
    assert len(chunks) >= 3
    two = replace(retrieval, chunks=[chunks[0], chunks[2]])
    filled = qa.answerer._fill_gaps(two)
    assert [c.index for c in filled.chunks] == [chunks[0].index, chunks[2].index, chunks[1].index]
    assert len(two.chunks) == 2  # a stage makes a new record; the one it read is unchanged
    apart = replace(retrieval, chunks=[chunks[0], chunks[-1]] if len(chunks) > 3 else [chunks[0]])
    filled = qa.answerer._fill_gaps(apart)  # more than one passage between them: the retriever's choice stands
    assert len(filled.chunks) == (2 if len(chunks) > 3 else 1)
