"""Real HTTP servers on loopback that speak the wire formats of the remotes we integrate with:
OpenAI chat completions (JSON and SSE) and Ollama /api/chat (NDJSON). They record every request.

The "model" behind them is a script: by default it quotes the first sentence of passage 1 from the prompt it
receives and cites [1], which is what a well-behaved model does."""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def quote_first_passage(prompt: str) -> str:
    m = re.search(r'<资料 编号="1"[^>]*>\n(.*?)\n</资料>', prompt, re.S)
    first = re.split(r"(?<=[。；！？])", m.group(1))[0] if m else "？"
    return f"{first}[1]"


class LLMServer:
    def __init__(self, kind: str) -> None:
        self.kind = kind  # "openai" | "ollama"
        self.requests: list[dict] = []
        self.mode = "ok"  # ok | error | hang
        self.reply = quote_first_passage  # prompt -> answer text
        self.hang_seconds = 10.0
        self.hanging = 0  # requests being held right now (mode "hang")
        self.release = threading.Event()  # ends every hang at once (set when the server stops)
        self.error_status, self.error_message = 500, "internal error"  # what mode "error" answers
        self.delay = 0.0  # seconds between streamed pieces, so a browser can watch them arrive
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):  # noqa: N802 - http.server's naming
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                server.requests.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
                if server.mode == "hang":
                    server.hanging += 1
                    server.release.wait(server.hang_seconds)
                    server.hanging -= 1
                if server.mode == "error":
                    payload = json.dumps({"error": {"message": server.error_message, "type": "server_error"}}).encode()
                    self.send_response(server.error_status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                prompt = "\n".join(str(m.get("content")) for m in body.get("messages", []))
                text = server.reply(prompt)
                pieces = [text[i : i + 7] for i in range(0, len(text), 7)] or [""]
                if server.kind == "openai":
                    self._openai(body, text, pieces)
                else:
                    self._ollama(body, text, pieces)

            def _send(self, content_type: str, chunks: list[bytes]) -> None:
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(sum(len(c) for c in chunks)))
                self.end_headers()
                for c in chunks:
                    self.wfile.write(c)
                    self.wfile.flush()
                    if server.delay:
                        time.sleep(server.delay)

            def _openai(self, body, text, pieces):
                model = body.get("model", "m")
                if not body.get("stream"):
                    msg = {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": model,
                           "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                        "finish_reason": "stop"}],
                           "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
                    self._send("application/json", [json.dumps(msg).encode()])
                    return
                events = []
                for i, p in enumerate(pieces):
                    delta = {"role": "assistant", "content": p} if i == 0 else {"content": p}
                    events.append({"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 0, "model": model,
                                   "choices": [{"index": 0, "delta": delta, "finish_reason": None}]})
                events.append({"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 0, "model": model,
                               "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
                chunks = [f"data: {json.dumps(e, ensure_ascii=False)}\n\n".encode() for e in events]
                self._send("text/event-stream", [*chunks, b"data: [DONE]\n\n"])

            def _ollama(self, body, text, pieces):
                model = body.get("model", "m")
                stamp = "2026-01-01T00:00:00Z"
                done = {"model": model, "created_at": stamp, "message": {"role": "assistant", "content": ""},
                        "done": True, "done_reason": "stop", "total_duration": 1, "load_duration": 1,
                        "prompt_eval_count": 1, "prompt_eval_duration": 1, "eval_count": 1, "eval_duration": 1}
                if body.get("stream") is False:
                    done["message"]["content"] = text
                    self._send("application/json", [json.dumps(done, ensure_ascii=False).encode()])
                    return
                lines = [{"model": model, "created_at": stamp, "message": {"role": "assistant", "content": p}, "done": False}
                         for p in pieces] + [done]
                self._send("application/x-ndjson", [(json.dumps(x, ensure_ascii=False) + "\n").encode() for x in lines])

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}" + ("/v1" if self.kind == "openai" else "")

    def __enter__(self) -> LLMServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
