"""Login hardening for the web app: user names compared exactly, failed logins throttled per user name and per
client address (see `Throttle`), failures logged with the client's real address and without the password.

Gradio checks the password itself but strips the user name and never slows down a guesser, so every POST to
`/login` passes through `LoginGuard` first: it answers a locked-out or wrong login itself and hands only a correct
one on to Gradio, which then sets its session cookie as usual."""

from __future__ import annotations

import hmac
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from starlette.requests import Request

__all__ = ["LoginGuard", "Throttle", "forward", "reply"]

log = logging.getLogger("qa.ui")

MAX_LOCKOUT_S = 3600.0
MAX_NAME_CHARS = 100  # a longer user name is refused at once (no user has one)
MAX_TRACKED = 10_000  # user names and addresses whose failures are remembered; the oldest are forgotten first


class Throttle:
    """Failed logins counted per user name and per client address, separately, so that one guesser does not lock
    out colleagues (behind one reverse proxy, everybody shares an address unless QA_TRUSTED_PROXIES names it).

    - A user name with `attempts` failures in a row is refused for `lockout` seconds from every address, doubled
      for every further failure up to an hour.
    - An address with `address_attempts` failures (a guesser trying many names) is refused for every name that has
      failed and not logged in since, for as long; a name with no failure on record still gets its try, so a
      colleague behind the same address logs in.
    A successful login clears its user name's record, not the address's: logging in with one's own account does not
    reset a guesser's count. At most MAX_TRACKED names and addresses are remembered (the oldest go first)."""

    def __init__(self, attempts: int, lockout: float, address_attempts: int | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.attempts, self.lockout, self.clock = attempts, lockout, clock
        self.address_attempts = address_attempts or 6 * attempts
        self._failures: OrderedDict[tuple[str, str], int] = OrderedDict()
        self._until: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def wait(self, user: str, address: str) -> float:
        """Seconds before this user name may try again from this address (0: now)."""
        now = self.clock()
        with self._lock:
            wait = self._until.get(("user", user), 0.0) - now
            if ("user", user) in self._failures:
                wait = max(wait, self._until.get(("address", address), 0.0) - now)
            return max(0.0, wait)

    def failed(self, user: str, address: str) -> int:
        """Record a failure; returns the consecutive failures of the user name."""
        now = self.clock()
        with self._lock:
            for key, limit in ((("user", user), self.attempts), (("address", address), self.address_attempts)):
                n = self._failures[key] = self._failures.pop(key, 0) + 1  # to the end: the newest
                if n >= limit:
                    self._until[key] = now + min(MAX_LOCKOUT_S, self.lockout * 2 ** (n - limit))
            while len(self._failures) > MAX_TRACKED:
                self._until.pop(self._failures.popitem(last=False)[0], None)
            return self._failures[("user", user)]

    def succeeded(self, user: str, address: str) -> None:  # noqa: ARG002 - the address's count stands
        with self._lock:
            self._failures.pop(("user", user), None)
            self._until.pop(("user", user), None)


class LoginGuard:
    """ASGI middleware in front of Gradio's `/login` (see the module docstring)."""

    def __init__(self, app, users: list[tuple[str, str]], throttle: Throttle) -> None:
        self.app, self.users, self.throttle = app, dict(users), throttle

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].rstrip("/").endswith("/login"):
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        body = await request.body()
        try:
            form = await request.form()
        except Exception:  # noqa: BLE001 - a form Starlette cannot read (no boundary, a field over 1 MB…)
            await reply(send, 400, "登录请求的格式不对。")
            return
        user, password = str(form.get("username") or ""), str(form.get("password") or "")
        address, shown = _address(scope)
        if len(user) > MAX_NAME_CHARS:  # no user has such a name: neither counted nor logged whole
            log.warning("登录失败：用户名过长（%d 字），来自 %s", len(user), shown)
            await reply(send, 400, "用户名或密码不正确。")
            return
        if (wait := self.throttle.wait(user, address)) > 0:
            log.warning("登录被暂时拒绝（失败次数过多）：用户名 %r，来自 %s，还需等待 %.0f 秒", user, shown, wait)
            await reply(send, 429, f"登录失败次数过多，请 {wait:.0f} 秒后再试。", {"retry-after": f"{wait:.0f}"})
            return
        expected = self.users.get(user)
        if expected is None or not hmac.compare_digest(password.encode(), expected.encode()):
            n = self.throttle.failed(user, address)
            log.warning("登录失败：用户名 %r，来自 %s（该用户名连续第 %d 次）", user, shown, n)
            await reply(send, 400, "用户名或密码不正确。")
            return
        self.throttle.succeeded(user, address)
        log.info("登录成功：用户名 %r，来自 %s", user, shown)
        await forward(self.app, scope, receive, send, body)


async def forward(app, scope, receive, send, body: bytes) -> None:
    """Hand a request whose body a middleware has read (and perhaps rewritten) on to `app`."""
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"content-length"]
    await app({**scope, "headers": [*headers, (b"content-length", str(len(body)).encode())]}, replay, send)


def _address(scope) -> tuple[str, str]:
    """(the client's address, as the log shows it). uvicorn has replaced the peer's address by the one it forwards
    only when the peer is a proxy QA_TRUSTED_PROXIES names; a forwarded-for header it did not trust is logged."""
    address = scope["client"][0] if scope.get("client") else "?"
    claimed = ", ".join(v.decode("latin1") for k, v in scope.get("headers", []) if k == b"x-forwarded-for")
    if claimed and address not in [c.strip() for c in claimed.split(",")]:
        return address, f"{address}（请求头 X-Forwarded-For 称 {claimed[:100]!r}，未采信）"
    return address, address


async def reply(send, status: int, detail: str, headers: dict[str, str] | None = None, **extra: str) -> None:
    """Answer a request with `{"detail": detail, **extra}` as JSON."""
    payload = json.dumps({"detail": detail, **extra}, ensure_ascii=False).encode()
    raw = [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(payload)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": payload})
