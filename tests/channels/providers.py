"""Local stand-ins for the providers, speaking their documented wire formats over real HTTP on
loopback (http.server in a thread): the WhatsApp Cloud API (Graph API) and a generic SMS
gateway. Plus builders of the webhook payloads the providers post to us."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from PIL import Image

GRAPH_TOKEN = "graph-token-for-tests"
PHONE_NUMBER_ID = "106540352242922"
APP_SECRET = "app-secret-for-tests"
VERIFY_TOKEN = "verify-token-for-tests"
SMS_SEND_TOKEN = "gateway-send-token"
SMS_INBOUND_TOKEN = "gateway-inbound-token"


def jpeg(size: tuple[int, int] = (32, 24), color: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG")
    return out.getvalue()


@dataclass
class Scripted:
    status: int
    body: dict[str, Any]
    delay: float = 0.0


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64


class _Base:
    """An http.server on 127.0.0.1 in a thread; ``script`` answers the next POSTs."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.script: list[Scripted] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                provider.handle(self, "GET", b"")

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", "0"))
                provider.handle(self, "POST", self.rfile.read(length))

            def log_message(self, *args: Any) -> None:
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def handle(self, request: BaseHTTPRequestHandler, method: str, body: bytes) -> None:
        raise NotImplementedError

    @staticmethod
    def answer(
        request: BaseHTTPRequestHandler,
        status: int,
        body: bytes | dict[str, Any],
        content_type: str = "application/json",
    ) -> None:
        data = json.dumps(body).encode() if isinstance(body, dict) else body
        try:
            request.send_response(status)
            request.send_header("Content-Type", content_type)
            request.send_header("Content-Length", str(len(data)))
            request.end_headers()
            request.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def scripted(self) -> Scripted | None:
        with self.lock:
            return self.script.pop(0) if self.script else None


def _graph_error(status: int, code: int, message: str) -> tuple[int, dict[str, Any]]:
    return status, {
        "error": {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "x"}
    }


@dataclass
class Media:
    content: bytes
    mime_type: str = "image/jpeg"
    #: What GET /{media-id} claims as ``file_size`` (the real size when None).
    claimed_size: int | None = None


class FakeGraph(_Base):
    """The WhatsApp Cloud API's ``/{phone-number-id}/messages``, ``/{media-id}`` and the media
    URLs it hands out; every call must carry the bearer token."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[dict[str, Any]] = []
        self.media: dict[str, Media] = {}
        self.media_downloads: list[str] = []

    def add_media(self, media_id: str, content: bytes, **kwargs: Any) -> None:
        self.media[media_id] = Media(content, **kwargs)

    def texts_to(self, wa_id: str) -> list[str]:
        return [m["text"]["body"] for m in self.sent if m["to"] == wa_id and m["type"] == "text"]

    def handle(self, request: BaseHTTPRequestHandler, method: str, body: bytes) -> None:
        if request.headers.get("Authorization") != f"Bearer {GRAPH_TOKEN}":
            self.answer(request, *_graph_error(401, 190, "Invalid OAuth access token."))
            return
        path = request.path.split("?")[0]
        if method == "POST" and path == f"/{PHONE_NUMBER_ID}/messages":
            self._send(request, body)
        elif method == "GET" and path.startswith("/media-files/"):
            media_id = path.removeprefix("/media-files/")
            found = self.media.get(media_id)
            if found is None:
                self.answer(request, 404, b"gone", "text/plain")
                return
            with self.lock:
                self.media_downloads.append(media_id)
            self.answer(request, 200, found.content, found.mime_type)
        elif method == "GET" and path.count("/") == 1:
            media_id = path[1:]
            found = self.media.get(media_id)
            if found is None:
                self.answer(request, *_graph_error(400, 100, "Unsupported get request."))
                return
            self.answer(
                request,
                200,
                {
                    "messaging_product": "whatsapp",
                    "url": f"{self.url}/media-files/{media_id}",
                    "mime_type": found.mime_type,
                    "sha256": hashlib.sha256(found.content).hexdigest(),
                    "file_size": found.claimed_size or len(found.content),
                    "id": media_id,
                },
            )
        else:
            self.answer(request, *_graph_error(400, 100, f"Unknown path {path}"))

    def _send(self, request: BaseHTTPRequestHandler, body: bytes) -> None:
        try:
            data = json.loads(body)
            assert data["messaging_product"] == "whatsapp"
            assert data["recipient_type"] == "individual"
            assert isinstance(data["to"], str) and data["to"]
            assert data["biz_opaque_callback_data"].startswith("satupintu-")
            if data["type"] == "text":
                assert isinstance(data["text"]["body"], str) and data["text"]["body"]
            else:
                assert data["type"] == "template"
                assert data["template"]["name"] and data["template"]["language"]["code"]
        except (ValueError, KeyError, TypeError, AssertionError) as exc:
            self.answer(request, *_graph_error(400, 100, f"(#100) Invalid parameter: {exc!r}"))
            return
        scripted = self.scripted()
        if scripted is not None:
            if scripted.delay:
                time.sleep(scripted.delay)
            self.answer(request, scripted.status, scripted.body)
            return
        with self.lock:
            self.sent.append(data)
            wamid = f"wamid.OUT{len(self.sent)}"
        self.answer(
            request,
            200,
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": data["to"], "wa_id": data["to"]}],
                "messages": [{"id": wamid}],
            },
        )


@dataclass
class Delivered:
    to: str
    text: str
    id: str


class FakeSmsGateway(_Base):
    """A gateway with ``POST /send`` ``{to, text, id}``: one SMS per ``id``, however often it
    is posted (as a real gateway with idempotent ids does)."""

    def __init__(self) -> None:
        super().__init__()
        self.delivered: list[Delivered] = []
        self.posts = 0
        self._ids: dict[str, str] = {}

    @property
    def send_url(self) -> str:
        return f"{self.url}/send"

    def texts_to(self, number: str) -> list[str]:
        return [d.text for d in self.delivered if d.to == number]

    def handle(self, request: BaseHTTPRequestHandler, method: str, body: bytes) -> None:
        if request.headers.get("Authorization") != f"Bearer {SMS_SEND_TOKEN}":
            self.answer(request, 401, {"error": "bad token"})
            return
        if method != "POST" or request.path != "/send":
            self.answer(request, 404, {"error": "not found"})
            return
        try:
            data = json.loads(body)
            to, text, our_id = data["to"], data["text"], data["id"]
            assert all(isinstance(v, str) and v for v in (to, text, our_id))
        except (ValueError, KeyError, TypeError, AssertionError):
            self.answer(request, 400, {"error": "to, text and id are required"})
            return
        with self.lock:
            self.posts += 1
        scripted = self.scripted()
        if scripted is not None:
            if scripted.delay:
                time.sleep(scripted.delay)
            self.answer(request, scripted.status, scripted.body)
            return
        with self.lock:
            if our_id not in self._ids:
                self._ids[our_id] = f"gw-{len(self._ids) + 1}"
                self.delivered.append(Delivered(to, text, our_id))
            gateway_id = self._ids[our_id]
        self.answer(request, 200, {"id": gateway_id, "status": "queued"})


@contextmanager
def running(provider: _Base) -> Iterator[Any]:
    provider.thread.start()
    try:
        yield provider
    finally:
        provider.server.shutdown()
        provider.server.server_close()
        provider.thread.join(timeout=5)


# --------------------------------------------------------------------------- webhook payloads


def sign(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


_counter = iter(range(1, 10**9))


def wamid() -> str:
    return f"wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYIDN{next(_counter):08d}"


@dataclass
class WaMessage:
    """One ``messages[]`` entry as the Cloud API documents it."""

    sender: str
    type: str
    content: dict[str, Any] = field(default_factory=dict)
    id: str = field(default_factory=wamid)
    timestamp: int = field(default_factory=lambda: int(time.time()))

    def as_dict(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            "from": self.sender,
            "id": self.id,
            "timestamp": str(self.timestamp),
            "type": self.type,
        }
        if self.content:
            item[self.type] = self.content
        return item


def text(sender: str, body: str, **kwargs: Any) -> WaMessage:
    return WaMessage(sender, "text", {"body": body}, **kwargs)


def image(sender: str, media_id: str, caption: str = "", **kwargs: Any) -> WaMessage:
    content = {"id": media_id, "mime_type": "image/jpeg", "sha256": "x"}
    if caption:
        content["caption"] = caption
    return WaMessage(sender, "image", content, **kwargs)


def location(sender: str, lat: float, lon: float, name: str = "", address: str = "") -> WaMessage:
    content: dict[str, Any] = {"latitude": lat, "longitude": lon}
    if name:
        content["name"] = name
    if address:
        content["address"] = address
    return WaMessage(sender, "location", content)


def sticker(sender: str) -> WaMessage:
    return WaMessage(sender, "sticker", {"id": "sticker-1", "mime_type": "image/webp"})


def notification(
    *messages: WaMessage,
    statuses: list[dict[str, Any]] | None = None,
    name: str = "Budi Santoso",
    phone_number_id: str = PHONE_NUMBER_ID,
) -> dict[str, Any]:
    """A webhook notification (``object: whatsapp_business_account``)."""
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281100001708", "phone_number_id": phone_number_id},
    }
    if messages:
        value["contacts"] = [
            {"profile": {"name": name}, "wa_id": sender}
            for sender in dict.fromkeys(m.sender for m in messages)
        ]
        value["messages"] = [m.as_dict() for m in messages]
    if statuses:
        value["statuses"] = statuses
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}],
    }


def status(wamid_out: str, state: str, *, errors: list[dict[str, Any]] | None = None) -> dict:
    item: dict[str, Any] = {
        "id": wamid_out,
        "status": state,
        "timestamp": str(int(time.time())),
        "recipient_id": "6281234567890",
    }
    if errors:
        item["errors"] = errors
    return item
