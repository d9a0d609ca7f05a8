"""Mail servers for tests, each a real socket in a thread: one that receives, one that never answers."""

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough of SMTP (RFC 5321) to receive one message at a time."""

    def handle(self) -> None:
        self.wfile.write(b"220 test ESMTP\r\n")
        while line := self.rfile.readline():
            command = line.decode().strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.wfile.write(b"250 test\r\n")
            elif command == "DATA":
                self.wfile.write(b"354 go ahead\r\n")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data)
                with self.server.lock:  # type: ignore[attr-defined]
                    self.server.received.append(b"".join(lines).decode())  # type: ignore[attr-defined]
                self.wfile.write(b"250 queued\r\n")
            elif command == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


class _SilentHandler(socketserver.BaseRequestHandler):
    """Accepts the connection and never says a word: a mail server that is stuck."""

    def handle(self) -> None:
        self.server.connected.set()  # type: ignore[attr-defined]
        self.server.release.wait(timeout=60)  # type: ignore[attr-defined]


@contextmanager
def _serving(handler: type[socketserver.BaseRequestHandler], **attributes: Any) -> Iterator[Any]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    for name, value in attributes.items():
        setattr(server, name, value)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        if "release" in attributes:
            server.release.set()  # type: ignore[attr-defined]
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def receiving_mail_server() -> Iterator[Any]:
    """``.received`` holds each message's text, headers included."""
    with _serving(_SMTPHandler, received=[], lock=threading.Lock()) as server:
        yield server


@contextmanager
def stuck_mail_server() -> Iterator[Any]:
    """``.connected`` is set once someone has connected and is waiting for the greeting."""
    with _serving(_SilentHandler, connected=threading.Event(), release=threading.Event()) as server:
        yield server


def use_mail_server(app: Flask, server: Any) -> None:
    """Send the app's mail to ``server``, giving up after a second of silence."""
    app.config |= {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": server.server_address[1],
        "MAIL_USE_TLS": False,
        "MAIL_TIMEOUT_SECONDS": 1,
    }
