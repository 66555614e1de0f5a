#!/usr/bin/env python3
"""tests/lib/replay.py: serve RECORDED engine replies on a private unix
socket.  It is not an engine: it answers the few GET requests a test
names, with the bytes of fixture files, for engine shapes no engine on
these machines can produce (Docker 29's containerd image store; Debian
12's dockerd is 20.10).

  replay.py SOCKET LOG ROW [NAME=VALUE...]

SOCKET  the unix socket to listen on (created; removed on exit)
LOG     every request line is appended here ("GET /v1.54/info")
ROW     fixture prefix in $DS_TESTDATA, e.g. row-docker-29.4: serves
        /_ping (ROW-ping.txt: status line and headers, body "OK"),
        /version, /info, /system/df, /images/json (ROW-*.json; Podman
        rows have images.json), any /vX.Y prefix
NAME=VALUE  one substitution in /info: the JSON member NAME (top level)
        replaced by the string VALUE (a test points DockerRootDir at its
        own directory); the only change made to a recorded reply.
Anything else: 404 {"message":"page not found"}, as Docker answers.

Not a recording but a rule: for a Docker row, a /vX.Y prefix below the
row's MinAPIVersion or above its ApiVersion (ROW-version.json) gets the
400 every Docker daemon sends then (moby daemon/server/middleware/
version.go, docker-v29.0.0): {"message":"client version X is too old.
Minimum supported API version is M, please upgrade your client to a
newer version"} (or "is too new. Maximum supported API version is N").
Podman rows accept any version, as Podman does.
"""
import json
import os
import re
import socketserver
import sys
from http.server import BaseHTTPRequestHandler

SOCK, LOG, ROW = sys.argv[1], sys.argv[2], sys.argv[3]
SUBST = dict(a.split("=", 1) for a in sys.argv[4:])
DATA = os.environ.get("DS_TESTDATA", "tests/data")


def fixture(what):
    with open(os.path.join(DATA, "%s-%s" % (ROW, what)), "rb") as f:
        return f.read()


def ping_headers():
    head = fixture("ping.txt").decode().split("\r\n\r\n")[0].split("\r\n")
    out = []
    for line in head[1:]:
        name, _, value = line.partition(":")
        if name.lower() not in ("content-length", "date"):
            out.append((name, value.strip()))
    return out


def version_refusal(path):
    """The daemon's 400 message for an unsupported /vX.Y, or None."""
    m = re.match(r"^/v([0-9]+)\.([0-9]+)/", path)
    doc = json.loads(fixture("version.json"))
    if not m or "Podman" in json.dumps(doc.get("Components", [])):
        return None
    asked = (int(m.group(1)), int(m.group(2)))
    lo = tuple(int(x) for x in doc["MinAPIVersion"].split("."))
    hi = tuple(int(x) for x in doc["ApiVersion"].split("."))
    v = "%d.%d" % asked
    if asked < lo:
        return ("client version %s is too old. Minimum supported API "
                "version is %s, please upgrade your client to a newer "
                "version" % (v, doc["MinAPIVersion"]))
    if asked > hi:
        return ("client version %s is too new. Maximum supported API "
                "version is %s" % (v, doc["ApiVersion"]))
    return None


def info():
    doc = json.loads(fixture("info.json"))
    doc.update(SUBST)
    return json.dumps(doc).encode()


ROUTES = {
    "/images/json": lambda: fixture("images.json"),
    "/_ping": lambda: b"OK",
    "/version": lambda: fixture("version.json"),
    "/info": info,
    "/system/df": lambda: fixture("system-df.json"),
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        with open(LOG, "a") as f:
            f.write("%s %s\n" % (self.command, self.path))
        path = re.sub(r"^/v[0-9]+\.[0-9]+", "", self.path.split("?")[0])
        route = ROUTES.get(path)
        refused = version_refusal(self.path)
        if refused:
            route = None
            body = json.dumps({"message": refused}).encode()
        else:
            try:
                body = route() if route else None
            except FileNotFoundError:
                route = body = None
            body = body or b'{"message":"page not found"}'
        self.send_response(400 if refused else 200 if route else 404)
        if path == "/_ping":
            for name, value in ping_headers():
                self.send_header(name, value)
            ctype = "text/plain; charset=utf-8"
        else:
            api = dict(ping_headers()).get("Api-Version", "")
            self.send_header("Api-Version", api)
            ctype = "application/json"
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class Server(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True

    def get_request(self):
        conn, _ = self.socket.accept()
        return conn, ("replay", 0)


if os.path.exists(SOCK):
    os.unlink(SOCK)
try:
    Server(SOCK, Handler).serve_forever()
finally:
    if os.path.exists(SOCK):
        os.unlink(SOCK)
