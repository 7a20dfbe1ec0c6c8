"""The 承诺 tab: pledges by speaker, words and year, the Markdown list and the 督办台账 in Excel and Word."""

from __future__ import annotations

from qa import QA, STATUS_LABELS, QAError, safe_name, write_docx, write_xlsx

from ._choices import Choices, working
from ._render import PLEDGES_SHOWN, esc, pledges_html, pledges_markdown
from ._rundir import export_file, export_path
from ._targets_view import targets_view

__all__ = ["pledges_tab", "ledger_files"]

def ledger_files(qa: QA, who: str, year: str = "") -> tuple[str, str | None, str | None]:
    """The 督办台账 of a speaker (or all) and year as (status HTML, .xlsx path, .docx path); file names and the
    sheet title are made safe, whatever the speaker's name holds (区委/区政府, a very long name)."""
    try:
        rows = qa.ledger(speaker=who or None, since=year or None, until=year or None)
        title = f"{who or '全部讲话人'}{f'{year}年' if year else ''}督办台账"
        xlsx = write_xlsx(rows, export_path(safe_name(f"{title}.xlsx", "督办台账")), title)
        docx = write_docx(rows, export_path(safe_name(f"{title}.docx", "督办台账")), title)
    except QAError as e:
        return f'<div class="qa-warn">{esc(str(e))}</div>', None, None
    return f'<div class="qa-count">已生成“{esc(title)}”：{len(rows)} 项，请点右侧按钮下载。</div>', str(xlsx), str(docx)


# The 落实情况 filter: its label → the status (“未见下文” is what a 督办 office acts on).
STATUS_CHOICES = [("全部", "")] + [(label, status) for status, label in STATUS_LABELS.items()]


def followed_pledges(qa: QA, found: list, status: str = "") -> tuple[list, dict, str, set[str]]:
    """The pledges with what `qa follow` found of each one's targets, narrowed to those with a target of `status`,
    and a note when some pledges cannot be followed (their document has no date). Without a status only the pledges
    shown are followed (following every document of a large archive the first time takes minutes; it is cached)."""
    report = qa.follower.follow(found if status else found[:PLEDGES_SHOWN], strict=False)
    by_pledge = report.by_pledge()
    docs = qa.index.docs
    undated = sum(not (p.doc in docs and docs[p.doc].date) for p in found)
    note = (f"{undated} 条承诺所在的讲话没有日期，无法判断哪份文件在后，未追踪落实情况"
            "（可在文件名或 metadata.csv 中注明日期）。") if undated else ""
    if status:
        found = [p for p in found if any(f.status == status for f in by_pledge.get((p.doc, p.start), ()))]
    return found, by_pledge, note, set(report.latest)


def pledges_tab(gr, qa: QA, choices: Choices):
    def show(who: str, words: str, year: str, status: str):
        try:
            found = qa.pledges(speaker=who or None, query=(words or "").strip() or None, since=year or None,
                               until=year or None)
            found, by_pledge, note, latest = followed_pledges(qa, found, status or "")
        except QAError as e:
            return f'<div class="qa-warn">{esc(str(e))}</div>', None
        return (pledges_html(found, followed=by_pledge, note=note, latest=latest),
                export_file("承诺清单.md", pledges_markdown(found, who)))

    with gr.Tab("承诺", id="pledges"):
        with gr.Row():
            who = gr.Dropdown(choices=choices.speakers(), value="", label="讲话人或单位", scale=2)
            words = gr.Textbox(label="按词语或意思查找（可留空）", placeholder="如：人才、稳就业", scale=3)
            year = gr.Dropdown(choices=choices.years()[:-1], value="", label="年份", scale=1, elem_id="qa-pledge-year")
            status = gr.Dropdown(choices=STATUS_CHOICES, value="", label="落实情况", scale=1, elem_id="qa-follow-status")
            button = gr.Button("查看承诺", variant="primary", scale=1)
        with gr.Row():
            download = gr.DownloadButton("下载承诺清单（.md）", value=None)
            make_ledger = gr.Button("生成督办台账（Excel 和 Word）", elem_id="qa-ledger-btn")
            ledger_xlsx = gr.DownloadButton("下载台账（Excel）", value=None, elem_id="qa-ledger-xlsx")
            ledger_docx = gr.DownloadButton("下载台账（Word）", value=None, elem_id="qa-ledger-docx")
        ledger_status = gr.HTML(elem_id="qa-ledger-status")
        gr.Markdown("台账每条承诺一行：序号、讲话人、讲话/场合、专题、工作内容（原文）、牵头/责任单位、时限、出处、"
                    "落实情况、落实出处。牵头单位和时限只在原文写明时填写，不作推测。落实情况读此后同一讲话人或单位的"
                    "文件：已落实、未落实（数字对照或原文明说）、在推进、再次部署、未见下文、待核实，并引出后文原句。")
        view = gr.HTML()
        for trigger in (button.click, words.submit, who.change, year.change, status.change):
            working(trigger, show, [who, words, year, status], [view, download], "正在查找承诺……")
        working(make_ledger.click, lambda w, y: ledger_files(qa, w, y), [who, year],
                [ledger_status, ledger_xlsx, ledger_docx], "正在生成督办台账……")
        targets_view(gr, qa, who)
    return who, year
