"""The web API for scripts (`/ask`, `/search`, `/quote`, `/follow`, `/targets`, `/digest`, `/trend`, `/import`), and `ApiGuard`, which checks every API call
against those functions' parameters before Gradio sees it.

Gradio answers a wrong type with `{"error": null}` and a traceback in the log, and an unknown endpoint, an extra
argument or an unknown `fn_index` with HTTP 500. Behind the guard each of these is a 4xx whose JSON carries a Chinese
message (`{"detail": "错误：…", "error": "错误：…"}`): 404 for an endpoint that does not exist, 400 for a body that is
not JSON or names no function, 422 for a missing, extra or mistyped argument. Optional arguments left out are
filled with their defaults. Errors the functions raise (`QAError`) reach the caller as `错误：…` and the log as one
line (the traceback only with `QA_DEBUG=1`)."""

from __future__ import annotations

import inspect
import json
import logging
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.requests import Request

from qa import QA, QAError, listed

from ._render import plain_text
from ._security import forward, reply
from ._uploads import import_lane, upload_files, upload_root, uploaded_path, who

__all__ = ["ApiGuard", "register_api", "PUBLIC"]

log = logging.getLogger("qa.ui")
_PREFIX = "/gradio_api/"
# what each parameter of the endpoints takes
_KINDS = {"question": "text", "speaker": "text", "doc": "text", "since": "text", "until": "text", "quote": "text",
          "status": "text", "topic": "text", "terms": "text", "by": "text",
          "k": "int", "files": "files"}


def _api_functions(qa: QA, gr) -> dict[str, Callable]:
    """The public endpoints by name. Their signatures are the API: `ApiGuard` checks calls against them."""

    def fail(what: str, e: QAError):
        message = str(e) if str(e).startswith("错误") else f"错误：{e}"
        log.warning("接口 /%s：%s", what, message[:300])
        return gr.Error(message[:1000], print_exception=qa.settings.debug)

    def ask(question: str, speaker: str = "", doc: str = "", since: str = "", until: str = "") -> dict:
        """The JSON of `qa ask --json`."""
        try:
            return qa.ask(question, speaker=speaker or None, doc=doc or None, since=since or None,
                          until=until or None).to_dict()
        except QAError as e:
            raise fail("ask", e) from None

    def search(question: str, k: int = 5, speaker: str = "", doc: str = "", since: str = "", until: str = "") -> dict:
        """The JSON of `qa search --json`."""
        try:
            return qa.search(question, k=k, speaker=speaker or None, doc=doc or None, since=since or None,
                             until=until or None).to_dict()
        except QAError as e:
            raise fail("search", e) from None

    def quote(quote: str) -> dict:
        """The JSON of `qa quote --json`."""
        try:
            return qa.check_quote(quote).to_dict()
        except QAError as e:
            raise fail("quote", e) from None

    def follow(speaker: str = "", doc: str = "", since: str = "", until: str = "", status: str = "") -> dict:
        """The JSON of `qa follow --json`."""
        try:
            return qa.follow(speaker=speaker or None, doc=doc or None, since=since or None, until=until or None,
                             status=status or None).to_dict()
        except QAError as e:
            raise fail("follow", e) from None

    def targets(terms: str, speaker: str = "", since: str = "", until: str = "") -> dict:
        """The JSON of `qa targets --json` (`terms`: one indicator, or several separated by 、)."""
        try:
            return qa.targets(terms, speaker=speaker or None, since=since or None, until=until or None).to_dict()
        except QAError as e:
            raise fail("targets", e) from None

    def digest(topic: str, speaker: str = "", since: str = "", until: str = "", by: str = "") -> dict:
        """The JSON of `qa digest --json` (`speaker`: one name, or several separated by 、)."""
        try:
            names = listed(speaker) or None
            return qa.digest(topic, names, since or None, until or None, by or None).to_dict()
        except QAError as e:
            raise fail("digest", e) from None

    def trend(terms: str, by: str = "year") -> dict:
        """The JSON of `qa trend --json` (`terms`: one formulation, or several separated by 、)."""
        try:
            return qa.trend(terms, by=by or "year").to_dict()
        except QAError as e:
            raise fail("trend", e) from None

    def import_(files: list, request=None) -> list[str]:
        """Import speeches as the 讲话 tab does (in the caller's reading lane); one message per file."""
        return [plain_text(m) for m in upload_files(qa, files, user=who(request))]

    # Gradio reads the hints at run time; this module's annotations are strings (`from __future__ import annotations`)
    types = {"text": str, "int": int, "files": list[gr.FileData]}
    for fn, returns in ((ask, dict), (search, dict), (quote, dict), (follow, dict), (targets, dict), (digest, dict),
                        (trend, dict), (import_, list[str])):
        fn.__annotations__ = {p: gr.Request if p == "request" else types[_KINDS[p]]
                              for p in inspect.signature(fn).parameters} | {"return": returns}
    return {"ask": ask, "search": search, "quote": quote, "follow": follow, "targets": targets, "digest": digest,
            "trend": trend, "import": import_}


PUBLIC = ("ask", "search", "quote", "follow", "targets", "digest", "trend", "import")


def register_api(gr, qa: QA) -> None:
    for name, fn in _api_functions(qa, gr).items():
        extra = import_lane(qa.settings) if name == "import" else {}
        gr.api(fn, api_name=name, **extra)


# -- checking calls ----------------------------------------------------------------------------------------------
class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message.encode("utf-8", "backslashreplace").decode("utf-8"))  # shown values may not be UTF-8
        self.status = status


_KIND_SAYS = {"text": "文字（UTF-8）", "int": "整数", "files": "文件列表"}
_LONG_TEXT = ("question", "quote")  # the library bounds these (QA_MAX_QUESTION_CHARS, QA_MAX_QUOTE_CHARS)
_MAX_NAME_CHARS = 200  # a speaker, a file name or a date is never longer


def _encodable(text: str) -> bool:
    """No lone surrogate (JSON can carry one; no text of ours can hold it)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_value(endpoint: str, param: str, value: Any) -> None:
    kind = _KINDS[param]
    ok = {"text": lambda v: isinstance(v, str) and _encodable(v),
          "int": lambda v: (isinstance(v, int) and not isinstance(v, bool))
          or (isinstance(v, float) and math.isfinite(v) and v.is_integer()),
          "files": lambda v: isinstance(v, list) and all(
              isinstance(f, str) or (isinstance(f, dict) and isinstance(f.get("path"), str)) for f in v)}[kind](value)
    if not ok:
        shown = json.dumps(value, ensure_ascii=False)[:60] if _jsonable(value) else type(value).__name__
        raise _Refused(422, f"错误：接口 /{endpoint} 的参数 {param} 应为{_KIND_SAYS[kind]}，收到的是 {shown}。")
    if kind == "text" and param not in _LONG_TEXT and len(value) > _MAX_NAME_CHARS:
        raise _Refused(422, f"错误：接口 /{endpoint} 的参数 {param} 太长（{len(value)} 字，最多 {_MAX_NAME_CHARS} 字）。")
    if kind == "files":  # only what was uploaded to this server: never a path of the server's own files
        root = upload_root()
        if foreign := [f for f in value if uploaded_path(f, root) is None]:
            name = foreign[0]["path"] if isinstance(foreign[0], dict) else foreign[0]
            raise _Refused(422, f"错误：{Path(str(name)).name[:100]} 不是通过本服务上传的文件，拒绝导入"
                                "（请先上传到 /gradio_api/upload，再把返回的路径交给 /import）。")


def _jsonable(value: Any) -> bool:
    try:
        json.dumps(value, allow_nan=True)
        return True
    except (TypeError, ValueError):
        return False


def check_call(endpoint: str, fn: Callable, data: Any) -> list:
    """The arguments of a call of `fn` in order, defaults filled in; `_Refused` when they do not fit it."""
    params = _params(fn)
    names = [p for p, _ in params]
    if isinstance(data, dict):  # named, as /call/v2 takes them
        extra = [k for k in data if k not in names]
        if extra:
            raise _Refused(422, f"错误：接口 /{endpoint} 没有参数 {'、'.join(map(str, extra))}（参数：{'、'.join(names)}）。")
        values = [data.get(p, d) for p, d in params]
    elif isinstance(data, list):
        if len(data) > len(params):
            raise _Refused(422, f"错误：接口 /{endpoint} 最多接受 {len(params)} 个参数（{'、'.join(names)}），"
                                f"收到 {len(data)} 个。")
        values = list(data) + [d for _, d in params[len(data):]]
    else:
        raise _Refused(422, f"错误：接口 /{endpoint} 的参数应为列表 data 或按名称给出。")
    missing = [p for (p, _), v in zip(params, values, strict=True) if v is inspect.Parameter.empty]
    if missing:
        raise _Refused(422, f"错误：接口 /{endpoint} 缺少参数 {'、'.join(missing)}。")
    values = [_one_or_many(_KINDS[p], v) for (p, _), v in zip(params, values, strict=True)]
    for (p, _), v in zip(params, values, strict=True):
        _check_value(endpoint, p, v)
    return [int(v) if _KINDS[p] == "int" else v for (p, _), v in zip(params, values, strict=True)]


def _one_or_many(kind: str, value: Any) -> Any:
    """A single file where a list of files is taken (`predict(handle_file(p), api_name="/import")`) is that list."""
    return [value] if kind == "files" and isinstance(value, str | dict) else value


def _params(fn: Callable) -> list[tuple[str, Any]]:
    """(parameter, default or `inspect.Parameter.empty`) of an endpoint's function."""
    return [(p.name, p.default) for p in inspect.signature(fn).parameters.values() if p.name != "request"]


class ApiGuard:
    """ASGI middleware in front of Gradio's API routes (see the module docstring). `blocks`: the app, whose
    functions (`fn_index`) the queue takes."""

    def __init__(self, app, blocks) -> None:
        self.app, self.blocks = app, blocks

    async def __call__(self, scope, receive, send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        route = path[len(_PREFIX):].strip("/").split("/") if path.startswith(_PREFIX) else []
        if route and route[0] == "stream":  # streamed inputs (webcam, microphone): this app has none
            await reply(send, 404, "错误：本服务不接受流式输入。", error="错误：本服务不接受流式输入。")
            return
        if (scope.get("method") != "POST" or not route or route[0] not in ("call", "run", "api", "queue")
                or not self._signed_in(scope)):  # Gradio itself answers a caller who has not logged in (401)
            await self.app(scope, receive, send)
            return
        body = await Request(scope, receive).body()
        try:
            body = self._checked(route, body)
        except _Refused as e:
            log.warning("接口调用被拒绝（%s %s）：%s", scope.get("method"), path[:100], str(e)[:300])
            await reply(send, e.status, str(e), error=str(e))
            return
        headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"content-type"]
        scope = {**scope, "headers": [*headers, (b"content-type", b"application/json")]}  # as checked: JSON
        await forward(self.app, scope, receive, send, body)

    def _signed_in(self, scope) -> bool:
        """True without a login, or when the request carries the session cookie of a logged-in user."""
        app = getattr(self.blocks, "server_app", None)
        if app is None or (app.auth is None and app.auth_dependency is None):
            return True
        cookies = Request(scope).cookies
        token = cookies.get(f"access-token-{app.cookie_id}") or cookies.get(f"access-token-unsecure-{app.cookie_id}")
        return token is not None and token in app.tokens

    def _checked(self, route: list[str], raw: bytes) -> bytes:
        """The body to hand on (arguments completed), or `_Refused`."""
        if route[0] == "queue" and route[1:] != ["join"]:
            return raw
        if route[0] in ("run", "api"):  # direct calls would skip the queue, its limits and the import lane
            raise _Refused(404, "错误：接口经队列调用：POST /gradio_api/call/<名称>，或用 gradio_client。")
        if route[0] == "call" and len(route) >= 2 and route[1] == "v2":
            route = ["call", *route[2:]]
            named = True
        else:
            named = False
        try:
            body = json.loads(raw or b"null")
        except (ValueError, RecursionError):  # not JSON, or nested deeper than any call needs
            raise _Refused(400, "错误：请求内容不是可读的 JSON。") from None
        if not isinstance(body, dict):
            raise _Refused(400, "错误：请求内容应为 JSON 对象。")
        if route[0] == "queue":
            endpoint, fn = self._queued(body.get("fn_index"))
            if fn is None:  # one of the page's own events: Gradio's components check the values, not their count
                inputs = len(self.blocks.fns[body["fn_index"]].inputs)
                if not isinstance(body.get("data"), list) or len(body["data"]) != inputs:
                    raise _Refused(422, f"错误：这个功能需要 {inputs} 个参数。")
                return raw
        else:
            endpoint = route[1] if len(route) == 2 else ""
            fn = self._public().get(endpoint)
            if fn is None:
                raise _Refused(404, f"错误：没有接口 /{endpoint}（可用：{'、'.join('/' + p for p in PUBLIC)}）。")
            if "fn_index" in body:  # Gradio would run the function it names, not the one checked here
                raise _Refused(400, f"错误：接口 /{endpoint} 不接受 fn_index（它由名称决定）。")
        if named:
            args = {k: v for k, v in body.items() if k != "oauth_token"}
            return json.dumps(dict(zip([p for p, _ in _params(fn)], check_call(endpoint, fn, args), strict=True)),
                              ensure_ascii=False).encode()
        body["data"] = check_call(endpoint, fn, body.get("data", []))
        return json.dumps(body, ensure_ascii=False).encode()

    def _public(self) -> dict[str, Callable]:
        return {f.api_name: f.fn for f in self.blocks.fns.values() if f.api_name in PUBLIC}

    def _queued(self, fn_index) -> tuple[str, Callable | None]:
        """(endpoint, function) a queued call names; no function for the page's own events; `_Refused` for none."""
        if not isinstance(fn_index, int) or isinstance(fn_index, bool) or fn_index not in self.blocks.fns:
            raise _Refused(400, f"错误：没有编号为 {json.dumps(fn_index, ensure_ascii=False)[:30]} 的功能（fn_index）。")
        f = self.blocks.fns[fn_index]
        return (f.api_name, f.fn) if f.api_name in PUBLIC else ("", None)
