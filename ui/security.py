"""Login hardening for the web app: user names compared exactly, failed logins throttled per user name and per
client address, failures logged without the password.

Gradio checks the password itself but strips the user name and never slows down a guesser, so every POST to
`/login` passes through `LoginGuard` first: it answers a locked-out or wrong login itself and hands only a correct
one on to Gradio, which then sets its session cookie as usual."""

from __future__ import annotations

import hmac
import json
import logging
import threading
import time
from collections.abc import Callable

from starlette.requests import Request

__all__ = ["LoginGuard", "Throttle"]

log = logging.getLogger("qa.ui")

MAX_LOCKOUT_S = 3600.0


class Throttle:
    """After `attempts` failed logins in a row for one user name (or from one address), that name (or address) is
    refused for `lockout` seconds, doubled for every further failure up to an hour; a successful login clears the
    user's and the address's counts."""

    def __init__(self, attempts: int, lockout: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.attempts, self.lockout, self.clock = attempts, lockout, clock
        self._failures: dict[tuple[str, str], int] = {}
        self._until: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def wait(self, user: str, address: str) -> float:
        """Seconds before this user name and address may try again (0: now)."""
        now = self.clock()
        with self._lock:
            return max(0.0, *(self._until.get(key, 0.0) - now for key in self._keys(user, address)))

    def failed(self, user: str, address: str) -> int:
        """Record a failure; returns the consecutive failures of the user name."""
        now = self.clock()
        with self._lock:
            for key in self._keys(user, address):
                n = self._failures[key] = self._failures.get(key, 0) + 1
                if n >= self.attempts:
                    self._until[key] = now + min(MAX_LOCKOUT_S, self.lockout * 2 ** (n - self.attempts))
            return self._failures[("user", user)]

    def succeeded(self, user: str, address: str) -> None:
        with self._lock:
            for key in self._keys(user, address):
                self._failures.pop(key, None)
                self._until.pop(key, None)

    @staticmethod
    def _keys(user: str, address: str) -> tuple[tuple[str, str], tuple[str, str]]:
        return ("user", user), ("address", address)


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
        form = await request.form()
        user, password = str(form.get("username") or ""), str(form.get("password") or "")
        address = scope["client"][0] if scope.get("client") else "?"
        if (wait := self.throttle.wait(user, address)) > 0:
            log.warning("登录被暂时拒绝（失败次数过多）：用户名 %r，来自 %s，还需等待 %.0f 秒", user, address, wait)
            await _reply(send, 429, f"登录失败次数过多，请 {wait:.0f} 秒后再试。", {"retry-after": f"{wait:.0f}"})
            return
        expected = self.users.get(user)
        if expected is None or not hmac.compare_digest(password.encode(), expected.encode()):
            n = self.throttle.failed(user, address)
            log.warning("登录失败：用户名 %r，来自 %s（该用户名连续第 %d 次）", user, address, n)
            await _reply(send, 400, "用户名或密码不正确。")
            return
        self.throttle.succeeded(user, address)
        log.info("登录成功：用户名 %r，来自 %s", user, address)
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _reply(send, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
    payload = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    raw = [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(payload)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": payload})
