"""A file over a page's limit gets the GOV.UK 413 page through a real server, not a reset connection.

A server that closes a connection with part of the body unread makes the kernel reset it, and
the browser shows "connection reset" instead of our page: gunicorn (the production server) did
this. The app now reads and throws away the rest of a refused body (up to a limit) first.
"""

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from werkzeug.serving import make_server

from tests.conftest import PASSWORD

ROOT = Path(__file__).parents[1]
CHUNK = 64 * 1024
# (page, form field of the file, bytes sent): each over its page's limit (20 MB and about 1 MB).
UPLOADS = [("/programme/cases/import", "case_file", 30_000_000), ("/invitations/bulk", "file", 3_000_000)]

GUNICORN_APP = """\
import sys
from pathlib import Path

sys.path.insert(0, {root!r})
from qaf.auth.passwords import hash_password
from qaf.extensions import db
from qaf.models import User
from tests.conftest import PASSWORD, make_app

app = make_app(Path({folder!r}))
with app.app_context():
    admin = User(email="qa@example.gov.uk", name="Quinn Admin", role="qa_admin")
    admin.password_hash = hash_password(PASSWORD)
    db.session.add(admin)
    db.session.commit()
"""


def _request(port: int, head: str, body: bytes = b"") -> tuple[bytes, str]:
    """Send the request the way a browser does, a piece at a time; the response, and any send failure."""
    failure = ""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head.encode() + f"Host: 127.0.0.1\r\nContent-Length: {len(body)}\r\n\r\n".encode())
        try:
            for start in range(0, len(body), CHUNK):
                sock.sendall(body[start : start + CHUNK])
        except OSError as error:
            failure = f"{type(error).__name__} after sending part of the body"
        response = b""
        try:
            while b"</html>" not in response and (data := sock.recv(CHUNK)):
                response += data
        except OSError as error:
            failure = failure or f"{type(error).__name__} reading the response"
    return response, failure


def _sign_in(port: int) -> str:
    form = f"email=qa%40example.gov.uk&password={PASSWORD.replace(' ', '+')}".encode()
    response, failure = _request(
        port, "POST /sign-in HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n", form
    )
    assert not failure
    assert response.startswith(b"HTTP/1.1 302"), response[:300]
    cookie = next(line for line in response.decode().split("\r\n") if line.lower().startswith("set-cookie:"))
    return cookie.split(":", 1)[1].split(";")[0].strip()


def _upload(port: int, cookie: str, page: str, field: str, size: int) -> tuple[bytes, str]:
    boundary = "qaf-test-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="big.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    body += b"x" * size + f"\r\n--{boundary}--\r\n".encode()
    head = f"POST {page} HTTP/1.1\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nCookie: {cookie}\r\n"
    return _request(port, head, body)


@pytest.fixture
def werkzeug_port(app, staff) -> Iterator[int]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    thread.join()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def gunicorn_port(tmp_path: Path) -> Iterator[int]:
    """gunicorn, as in production (one sync worker), on its own SQLite database."""
    (tmp_path / "served.py").write_text(GUNICORN_APP.format(root=str(ROOT), folder=str(tmp_path)))
    port = _free_port()
    env = {name: value for name, value in os.environ.items() if name != "TEST_DATABASE_URL"}
    server = subprocess.Popen(  # noqa: S603 (our own command line)
        [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}", "served:app"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, "gunicorn did not start"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start listening"
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize(("page", "field", "size"), UPLOADS)
@pytest.mark.parametrize("server", ["werkzeug_port", "gunicorn_port"])
def test_a_file_over_the_limit_gets_the_too_large_page_not_a_reset_connection(request, server, page, field, size):
    port = request.getfixturevalue(server)
    response, failure = _upload(port, _sign_in(port), page, field, size)
    assert not failure, failure
    assert response.startswith(b"HTTP/1.1 413"), response[:300]
    html = response.split(b"\r\n\r\n", 1)[1].decode()
    page_html = BeautifulSoup(html, "html.parser")
    assert page_html.h1.get_text(strip=True) == "What you sent is too large"
    assert "The file must be smaller than" in page_html.get_text()
