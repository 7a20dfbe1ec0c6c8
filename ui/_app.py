"""The web interface staff use: the tabs composed into one Gradio app, and its launch behind the login and API
guards. Presentation only: answers, passages and pledges all come from the `qa` package."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from starlette.middleware import Middleware

from ingest import isolation_note
from qa import QA, ConfigError, get_qa

from ._ask_tab import ask_tab
from ._choices import Choices
from ._compare_tab import compare_tab
from ._compile_tabs import digest_tab, trend_tab
from ._endpoints import ApiGuard, register_api
from ._pledges_tab import pledges_tab
from ._quote_tab import quote_tab
from ._rundir import RunFolder, use_run_folder
from ._security import LoginGuard, Throttle
from ._speeches_tab import save_metadata, speeches_tab
from ._uploads import import_lane, upload_files, who

__all__ = ["build_app", "launch", "parse_auth", "CSS"]


CSS = """
.gradio-container { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; }
.qa-answer { font-size: 1.02rem; line-height: 1.8; }
.qa-found { border-left: 4px solid #2e7d32; padding-left: .6rem; }
.qa-close { border-left: 4px solid #ef6c00; padding-left: .6rem; }
.qa-notfound { border-left: 4px solid #9e9e9e; padding-left: .6rem; color: #555; }
.qa-related { border-left: 4px solid #f9a825; padding-left: .6rem; background: #fffdf3; white-space: pre-line; }
.qa-follow { margin-top: .35rem; padding: .2rem .5rem; border-left: 4px solid #bdbdbd; background: #fafafa; }
.qa-follow-met { border-left-color: #2e7d32; } .qa-follow-not_met { border-left-color: #c62828; }
.qa-follow-progress, .qa-follow-restated { border-left-color: #1565c0; }
.qa-follow-no_account { border-left-color: #f9a825; background: #fffdf3; }
.qa-badge { background: #eeeeee; color: #424242; border-radius: 4px; padding: 0 .4rem; font-weight: 600; }
.qa-cite { color: #1565c0; text-decoration: none; font-weight: 600; }
.qa-warn { background: #fff8e1; border: 1px solid #ffcc80; border-radius: 6px; padding: .3rem .6rem; margin: .4rem 0; }
.qa-sources-title { font-weight: 700; margin: .6rem 0 .3rem; }
.qa-targets { border-collapse: collapse; width: 100%; }
.qa-targets th, .qa-targets td { border: 1px solid #e0e0e0; padding: .25rem .45rem; vertical-align: top; }
.qa-targets .qa-met td:nth-child(5) { color: #2e7d32; font-weight: 700; }
.qa-targets .qa-not-met td:nth-child(5) { color: #c62828; font-weight: 700; }
.qa-targets .qa-undecided td:nth-child(5) { color: #757575; }
.qa-source { color: #616161; font-size: .85rem; }
.qa-card { border: 1px solid #e0e0e0; border-radius: 8px; padding: .5rem .7rem; margin: .4rem 0; background: #fafafa; }
.qa-card-head { font-size: .92rem; color: #37474f; margin-bottom: .2rem; }
.qa-quote { line-height: 1.8; }
.qa-quote mark { background: #fff59d; }
.qa-card-doc, .qa-backend, .qa-count { font-size: .8rem; color: #757575; }
.qa-topic { font-weight: 700; margin: .8rem 0 .2rem; color: #1a237e; }
.qa-para { display: flex; gap: .8rem; line-height: 1.8; margin: .3rem 0; }
.qa-pno { flex: 0 0 4.5rem; color: #9e9e9e; text-align: right; }
.qa-compare { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: .8rem; }
.qa-speech-title { font-size: 1.15rem; font-weight: 700; margin-bottom: .5rem; }
/* Gradio's own timer and queue text (“processing | 2.1s”, “queue: 1/3 |”) is English: the tabs say 正在…… instead */
.progress-text.meta-text, .meta-text-center { display: none !important; }
"""


# Gradio's own words for screen readers and icon buttons are English whatever the browser's language (“Copy
# message”, “chatbot conversation”, “user's message: <div …>”, “Click to upload or drop files”, “Table actions”):
# relabel them, and read a chat message by its text, not its HTML.
RELABEL_JS = """() => {
  const zh = {"Copy message": "复制这条消息", "Copy conversation": "复制整段对话", "Copy": "复制", "Copied": "已复制",
    "Share": "分享", "Delete": "删除", "Retry": "重新回答", "Undo": "撤销", "Edit": "编辑", "Like": "有用",
    "Dislike": "没用", "Download": "下载", "Clear": "清空", "Fullscreen": "全屏", "Exit fullscreen": "退出全屏",
    "chatbot conversation": "问答记录", "Click to upload or drop files": "点击选择文件，或把文件拖到这里",
    "Table actions": "表格操作", "Copy table data": "复制表格内容", "Copied to clipboard": "已复制",
    "Empty value": "空", "No value": "空", "Close": "关闭", "Scroll down": "滚动到底部", "Textbox": "文本框"};
  const who = {"user": "问：", "bot": "答："};
  const fix = () => document.querySelectorAll("[aria-label], [title]").forEach((b) => {
    for (const a of ["aria-label", "title"]) {
      const v = b.getAttribute(a);
      if (!v) continue;
      if (zh[v]) { b.setAttribute(a, zh[v]); continue; }
      const m = v.match(/^(user|bot)'s message: /);
      if (m) b.setAttribute(a, who[m[1]] + (b.querySelector(".qa-answer") || b).innerText.trim().slice(0, 300));
    }
  });
  fix();
  new MutationObserver(fix).observe(document.body, {subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: ["aria-label", "title"]});
}"""


def parse_auth(value: str | None) -> list[tuple[str, str]] | None:
    """'user:pass,user2:pass2', or the path of a file with one 'user:pass' per line."""
    if not value:
        return None
    text = Path(value).read_text(encoding="utf-8") if os.path.isfile(value) else value.replace(",", "\n")
    pairs = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        user, sep, password = line.partition(":")
        if not sep or not user or not password:
            raise ConfigError("QA_UI_AUTH 格式应为 user:password（多个用逗号分隔），或一个每行一对的文件路径。")
        pairs.append((user.strip(), password))
    return pairs or None


def build_app(qa: QA | None = None):
    import gradio as gr

    qa = qa or get_qa()
    choices = Choices(qa)
    # Gradio's copies of uploads and downloads are dropped once a day, when older than a day
    with gr.Blocks(title="讲话材料问答", analytics_enabled=False, delete_cache=(86400, 86400)) as app:
        gr.Markdown("## 讲话材料问答\n回答逐字引用讲话原文，每句注明出处；资料里没有的内容会直接说明找不到。")
        with gr.Tabs():
            speaker, doc = ask_tab(gr, qa, choices)
            files, upload_btn, status, (filters, page, listing), editor, pickers = speeches_tab(gr, qa, choices)
            pledge_who, pledge_year = pledges_tab(gr, qa, choices)
            compare_who = compare_tab(gr, qa, choices)
            digest_who = digest_tab(gr, qa, choices)
            trend_tab(gr, qa)
            quote_tab(gr, qa)

        def lists(*shown):
            """The lists as the index has them now (another process may have changed it); the 讲话 tab keeps its
            filters and page."""
            docs, speakers, years = choices.docs(), choices.speakers(), choices.years()
            rows, info, page_docs, p = choices.page(*shown)
            return (rows, info, gr.update(choices=page_docs), p, gr.update(choices=docs), gr.update(choices=speakers),
                    gr.update(choices=speakers), gr.update(choices=speakers[1:]), gr.update(choices=speakers[1:]),
                    gr.update(choices=speakers),
                    gr.update(choices=choices.types()), gr.update(choices=years), gr.update(choices=years[:-1]))

        def upload(files, *shown, progress=gr.Progress(track_tqdm=True), request=None):  # noqa: B008 - Gradio's way
            messages = upload_files(qa, files, progress, who(request))
            return ("<br>".join(messages) or "请选择文件。", *lists(*shown))

        upload.__annotations__ = {"request": gr.Request}  # how Gradio knows to pass the request

        def save(*values):
            return (save_metadata(qa, *values[:6]), *lists(*values[6:]))

        refreshed = [*listing, doc, speaker, pledge_who, compare_who, digest_who, *pickers, pledge_year]
        shown = [*filters, page]
        # several imports at once: each user's files are read in their own lane (`ingest.Lanes`), the index written
        # one import at a time (`ingest.ingest_lock`); metadata saves have workers of their own
        upload_btn.click(upload, [files, *shown], [status, *refreshed], api_visibility="private",
                         **import_lane(qa.settings))
        m_save, m_status, m_inputs = editor
        m_save.click(save, [*m_inputs, *shown], [m_status, *refreshed], api_visibility="private",
                     concurrency_limit=qa.settings.ui_concurrency, concurrency_id="save")
        app.load(lists, shown, refreshed, api_visibility="private")
        register_api(gr, qa)
    return app


# Gradio's own words on the upload box follow the browser's language: staff whose browser is set to English saw
# "Drop File Here - or - Click to Upload". The app speaks Chinese whatever the browser says.
CHINESE_CHROME = {"upload_text.drop_file": "把文件拖到这里", "upload_text.click_to_upload": "点击选择文件",
                  "common.or": "或", "common.clear": "清除", "common.remove": "移除", "common.loading": "加载中",
                  "common.complete": "已完成", "common.error": "出错了"}


def launch(qa: QA, host: str = "127.0.0.1", port: int = 7860, start_up: Callable[[], None] | None = None) -> None:
    """Serve the app until stopped, behind the API guard (and the login guard when QA_UI_AUTH is set). `start_up`
    runs in a thread once the settings are read and the server's folder and stop handler are in place."""
    import gradio as gr

    settings = qa.settings
    auth = parse_auth(settings.ui_auth.get_secret_value() if settings.ui_auth else None)
    # Uploads, exports and Gradio's copies live in a folder this server owns (removed at stop, or at the next start
    # after a kill); uvicorn believes X-Forwarded-For only from the proxies the operator names.
    run = RunFolder.claim(settings.home)
    use_run_folder(run)
    os.environ["GRADIO_TEMP_DIR"] = str(run.gradio.resolve())  # absolute: the paths /gradio_api/upload returns are
    os.environ["FORWARDED_ALLOW_IPS"] = settings.trusted_proxies
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # a stopped server still removes its folder
    if start_up is not None:
        threading.Thread(target=start_up, name="start-up", daemon=True).start()
    app = build_app(qa)
    # api_open=False: a direct POST to /run or /api would skip the queue, its limits and the import lane
    app.queue(default_concurrency_limit=settings.ui_concurrency, max_size=settings.ui_queue, api_open=False)
    middleware = [Middleware(ApiGuard, blocks=app)]
    if auth:
        throttle = Throttle(settings.login_attempts, settings.login_lockout, settings.login_address_attempts)
        middleware.append(Middleware(LoginGuard, users=auth, throttle=throttle))
    app.launch(server_name=host, server_port=port, share=False, show_error=False, ssr_mode=False, auth=auth,
               auth_message="请登录后使用讲话材料问答。" if auth else None, css=CSS, footer_links=[],
               max_file_size=int(settings.max_file_mb * 1e6), app_kwargs={"middleware": middleware},
               quiet=True, prevent_thread_lock=True, js=RELABEL_JS, i18n=gr.I18n(en=CHINESE_CHROME))
    print(f"讲话材料问答已启动：http://{host}:{port}/（按 Ctrl+C 停止）。{isolation_note()}。", flush=True)
    try:
        app.block_thread()
    finally:
        run.close()
