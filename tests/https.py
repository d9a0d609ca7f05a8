"""The deployment's shape for tests: the site served over TLS, or behind a TLS-terminating proxy.

A plain-HTTP test suite once passed while every answer sent over HTTPS was refused, so the
tests serve the app the two ways a council runs it:

- directly over TLS, as gunicorn does with ``--certfile``/``--keyfile``;
- behind a reverse proxy that ends TLS and forwards plain HTTP with ``X-Forwarded-For``,
  ``X-Forwarded-Proto`` and ``X-Forwarded-Host`` (nginx, a load balancer), the app trusting
  it with ``TRUSTED_PROXIES=1``.

The certificate comes from a throwaway certificate authority made for the test run (trustme).
"""

import http.client
import socketserver
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import trustme
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

# Headers that belong to one connection, not to the request or the response (RFC 9110 7.6.1).
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"}


class QuietRequestHandler(WSGIRequestHandler):
    """No access log line for every page and asset; errors are still logged."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class Certificates:
    """A certificate authority trusted by the test clients, and the site's certificate for 127.0.0.1."""

    def __init__(self) -> None:
        self.authority = trustme.CA()
        self.site = self.authority.issue_cert("127.0.0.1", "localhost")

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.site.configure_cert(context)
        return context

    def client_context(self) -> ssl.SSLContext:
        """A client that checks the certificate and the host name, as a browser does."""
        context = ssl.create_default_context()
        self.authority.configure_trust(context)
        return context


@contextmanager
def _running(server: socketserver.BaseServer, name: str) -> Iterator[None]:
    """Serve from a thread until the block ends, then stop and close the server."""
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@contextmanager
def serve(app: object, ssl_context: ssl.SSLContext | None = None) -> Iterator[str]:
    """Serve the WSGI app from a thread on a free local port; yield its base URL."""
    server: BaseWSGIServer = make_server(
        "127.0.0.1", 0, app, threaded=True, ssl_context=ssl_context, request_handler=QuietRequestHandler
    )
    with _running(server, "qaf-test-site"):
        yield f"{'https' if ssl_context else 'http'}://127.0.0.1:{server.server_port}"


def _proxy_handler(backend: str) -> type[BaseHTTPRequestHandler]:
    target = urlsplit(backend)

    class ForwardingHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
            pass

        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP}
            headers["X-Forwarded-For"] = self.client_address[0]
            headers["X-Forwarded-Proto"] = "https"
            headers["X-Forwarded-Host"] = self.headers.get("Host", "")
            upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            try:
                upstream.request(self.command, self.path, body=body, headers=headers)
                reply = upstream.getresponse()
                content = reply.read()
            finally:
                upstream.close()
            self.send_response_only(reply.status, reply.reason)
            for name, value in reply.getheaders():
                if name.lower() not in HOP_BY_HOP | {"content-length"}:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(content)

        do_GET = do_POST = do_HEAD = _forward

    return ForwardingHandler


@contextmanager
def tls_proxy(backend: str, ssl_context: ssl.SSLContext) -> Iterator[str]:
    """A reverse proxy that ends TLS and forwards to ``backend`` over plain HTTP; yield its https URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _proxy_handler(backend))
    server.daemon_threads = True
    server.socket = ssl_context.wrap_socket(server.socket, server_side=True)
    with _running(server, "qaf-test-proxy"):
        yield f"https://127.0.0.1:{server.server_port}"


@contextmanager
def deployed(app: object, certificates: Certificates, *, behind_proxy: bool) -> Iterator[str]:
    """The app served over HTTPS: directly over TLS, or over HTTP behind a TLS-terminating proxy."""
    if not behind_proxy:
        with serve(app, certificates.server_context()) as url:
            yield url
        return
    with serve(app) as backend, tls_proxy(backend, certificates.server_context()) as url:
        yield url
