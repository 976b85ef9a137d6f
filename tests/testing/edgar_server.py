#!/usr/bin/env python3
"""A local stand-in for https://www.sec.gov/Archives/edgar/ that injects faults.

Serves ROOT (a directory in the SEC's Archives/edgar layout, as built by
make_mirror.py) over HTTP/1.1 on 127.0.0.1 only. A URL path /Archives/edgar/X
or /X maps to ROOT/X. Supports Range (206, 416), If-Range, ETag /
Last-Modified with If-None-Match / If-Modified-Since (304), Content-Length,
keep-alive, and optional on-the-fly gzip Content-Encoding.

The first line on stdout is the port it listens on (random free port unless
--port is given). Every request is logged to --log as one line:

    <unix time, ms precision> <method> <path> <status> <body bytes sent> <fault or ->

Faults come from a JSON script (--faults FILE) and/or --fault flags. A JSON
script is a list of rules:

    [{"path": "Feed/.*\\.tar\\.gz", "kind": "reset", "after": 0, "times": 1,
      "cut": 0.5, "retry_after": 1, "drip_bytes": 3, "drip_rate": 1}]

`path` is a regular expression searched in the archive-relative path. Each
rule counts the requests that match it; the rule fires for matching requests
number after .. after+times-1 (0-based). The first rule that fires wins.
Kinds:
    429        429 Too Many Requests with Retry-After: retry_after (default 1)
    503        503 Service Unavailable (Retry-After only if retry_after given)
    500        500 Internal Server Error
    404        404 Not Found
    reset      headers + `cut` of the body (fraction < 1 or bytes), then a TCP RST
    short      full Content-Length, `cut` of the body, then a clean close
    drip       the first drip_bytes bytes at drip_rate bytes/s, then the rest
    corrupt    the whole body, same length, with a byte flipped at `cut`
    block200   the SEC's "Request Rate Threshold Exceeded" page with status 200
    block403   the same page with status 403
    block429   the same page with status 429
    undeclared the "Undeclared Automated Tool" page with status 403
--fault takes "REGEX:KIND[:TIMES[:AFTER]]" (times defaults to 1, after to 0).

POST /__control with a JSON object reconfigures a running server: "faults"
(a rule list as above, counters start afresh), "root", "gzip",
"gz_content_encoding", "clear_log". Control requests are not logged.

The server exits on its own after --timeout seconds (default 300) or when its
parent process goes away.
"""

import argparse
import email.utils
import gzip
import json
import os
import re
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BLOCK_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>SEC.gov | Request Rate Threshold Exceeded"
    "</title></head><body>\n<h1>Your Request Originates from an Undeclared Automated"
    " Tool</h1>\n<p>To allow for equitable access to all users, SEC reserves the right"
    " to limit requests originating from undeclared automated tools. Your request has"
    " been identified as part of a network of automated tools outside of the"
    " acceptable policy and will be managed until action is taken to declare your"
    " traffic.</p>\n<p>Request Rate Threshold Exceeded</p>\n</body></html>\n"
)
UNDECLARED_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>SEC.gov | Your Request Originates from an"
    " Undeclared Automated Tool</title></head><body>\n<p>Your Request Originates from"
    " an Undeclared Automated Tool. Please declare your traffic by updating your user"
    " agent to include company specific information.</p>\n</body></html>\n"
)
COMPRESSED_SUFFIXES = (".gz", ".tgz", ".zip", ".Z", ".bz2", ".xz")
KINDS = {"429", "503", "500", "404", "reset", "short", "drip", "corrupt", "block200",
         "block403", "block429", "undeclared"}


class Rule:
    def __init__(self, spec):
        self.pattern = re.compile(spec["path"])
        self.kind = str(spec["kind"])
        if self.kind not in KINDS:
            raise ValueError("unknown fault kind: " + self.kind)
        self.after = int(spec.get("after", 0))
        self.times = int(spec.get("times", 1))
        self.cut = float(spec.get("cut", 0.5))
        self.retry_after = spec.get("retry_after")
        self.drip_bytes = min(int(spec.get("drip_bytes", 3)), 60)
        self.drip_rate = max(float(spec.get("drip_rate", 1.0)), 0.5)
        self.seen = 0


class State:
    def __init__(self, root, rules, log_path, gzip_encoding, gz_content_encoding):
        self.root = os.path.realpath(root)
        self.rules = rules
        self.lock = threading.Lock()
        self.log = open(log_path, "a", buffering=1) if log_path else None
        self.gzip_encoding = gzip_encoding
        self.gz_content_encoding = gz_content_encoding

    def configure(self, spec):
        rules = [Rule(r) for r in spec.get("faults", [])]
        with self.lock:
            self.rules = rules
            if "root" in spec:
                self.root = os.path.realpath(spec["root"])
            if "gzip" in spec:
                self.gzip_encoding = bool(spec["gzip"])
            if "gz_content_encoding" in spec:
                self.gz_content_encoding = bool(spec["gz_content_encoding"])
            if spec.get("clear_log") and self.log is not None:
                self.log.seek(0)
                self.log.truncate()

    def pick_fault(self, rel):
        with self.lock:
            chosen = None
            for rule in self.rules:
                if not rule.pattern.search(rel):
                    continue
                n = rule.seen
                rule.seen += 1
                if chosen is None and rule.after <= n < rule.after + rule.times:
                    chosen = rule
            return chosen

    def write_log(self, t, method, path, status, sent, fault):
        if self.log is None:
            return
        with self.lock:
            self.log.write("%.3f %s %s %d %d %s\n" % (t, method, path, status, sent,
                                                      fault or "-"))


def etag_of(st):
    return '"%x-%x"' % (st.st_mtime_ns, st.st_size)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "edgar-test-server/1"

    def log_message(self, fmt, *args):  # quiet: the request log is ours
        pass

    def do_HEAD(self):
        self.handle_request(head=True)

    def do_GET(self):
        self.handle_request(head=False)

    def do_POST(self):
        # POST /__control {"faults": [...], "root": DIR, "gzip": bool,
        # "gz_content_encoding": bool, "clear_log": bool}: reconfigures a
        # running server (fresh fault counters) so one server can serve many
        # test cases. Not logged.
        if self.path != "/__control":
            return self._simple(405, "Method Not Allowed\n")
        length = int(self.headers.get("Content-Length") or 0)
        try:
            spec = json.loads(self.rfile.read(length) or b"{}")
            self.server.state.configure(spec)
        except (ValueError, KeyError, TypeError, re.error) as e:
            return self._reply_control(400, "bad control request: %s\n" % e)
        return self._reply_control(200, "ok\n")

    def _reply_control(self, status, text):
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    # -- helpers ---------------------------------------------------------
    def _finish(self, status, sent, fault=None):
        self.server.state.write_log(self._t0, self.command, self.path, status, sent,
                                    fault)

    def _simple(self, status, body, ctype="text/plain", extra=None, head=False):
        data = body.encode("utf-8")
        self._finish(status, 0 if head else len(data), self._fault_name)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _rel_path(self):
        path = self.path.split("?", 1)[0]
        path = re.sub(r"%([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), path)
        path = path.lstrip("/")
        if path.startswith("Archives/edgar/"):
            path = path[len("Archives/edgar/"):]
        return path

    def handle_request(self, head):
        self._t0 = time.time()
        self._fault_name = None
        state = self.server.state
        rel = self._rel_path()
        fault = state.pick_fault(rel)
        if fault is not None:
            self._fault_name = fault.kind
            k = fault.kind
            if k == "429":
                ra = fault.retry_after if fault.retry_after is not None else 1
                return self._simple(429, "Too Many Requests\n",
                                    extra={"Retry-After": str(ra)}, head=head)
            if k in ("503", "500"):
                extra = {}
                if fault.retry_after is not None:
                    extra["Retry-After"] = str(fault.retry_after)
                return self._simple(int(k), "Service Unavailable\n", extra=extra,
                                    head=head)
            if k == "404":
                return self._simple(404, "Not Found\n", head=head)
            if k == "block200":
                return self._simple(200, BLOCK_PAGE, "text/html", head=head)
            if k == "block403":
                return self._simple(403, BLOCK_PAGE, "text/html", head=head)
            if k == "block429":
                return self._simple(429, BLOCK_PAGE, "text/html", head=head)
            if k == "undeclared":
                return self._simple(403, UNDECLARED_PAGE, "text/html", head=head)

        full = os.path.realpath(os.path.join(state.root, rel))
        if not (full == state.root or full.startswith(state.root + os.sep)) \
                or not os.path.isfile(full):
            self._fault_name = None if fault is None else fault.kind
            return self._simple(404, "<Error><Code>NoSuchKey</Code></Error>\n",
                                "application/xml", head=head)
        st = os.stat(full)
        size = st.st_size
        etag = etag_of(st)
        last_mod = email.utils.formatdate(int(st.st_mtime), usegmt=True)

        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        not_modified = False
        if inm is not None:
            not_modified = etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
        elif ims is not None:
            try:
                since = email.utils.parsedate_to_datetime(ims).timestamp()
                not_modified = int(st.st_mtime) <= since
            except (TypeError, ValueError):
                not_modified = False
        if not_modified:
            self._finish(304, 0, self._fault_name)
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", last_mod)
            self.end_headers()
            return

        # Range, honoured only when If-Range (if any) still matches.
        start, end = 0, size - 1
        status = 200
        rng = self.headers.get("Range")
        if_range = self.headers.get("If-Range")
        if rng and if_range and if_range.strip() not in (etag, last_mod):
            rng = None
        if rng:
            m = re.fullmatch(r"\s*bytes=(\d*)-(\d*)\s*", rng)
            if m and (m.group(1) or m.group(2)):
                if m.group(1):
                    start = int(m.group(1))
                    end = int(m.group(2)) if m.group(2) else size - 1
                else:
                    start = max(0, size - int(m.group(2)))
                end = min(end, size - 1)
                if start >= size or start > end:
                    return self._simple(416, "Range Not Satisfiable\n",
                                        extra={"Content-Range": "bytes */%d" % size},
                                        head=head)
                status = 206

        with open(full, "rb") as f:
            f.seek(start)
            body = f.read(end - start + 1)

        encoding = None
        compressed_file = rel.endswith(COMPRESSED_SUFFIXES)
        accepts_gzip = "gzip" in (self.headers.get("Accept-Encoding") or "")
        if compressed_file and state.gz_content_encoding and status == 200:
            encoding = "gzip"  # the misconfiguration: labels the file's own gzip
        elif (state.gzip_encoding and accepts_gzip and not compressed_file
              and status == 200):
            body = gzip.compress(body, mtime=0)
            encoding = "gzip"

        ctype = "application/octet-stream"
        if rel.endswith((".idx", ".txt", ".nc")):
            ctype = "text/plain"
        elif rel.endswith((".gz", ".tgz")):
            ctype = "application/x-gzip"

        kind = fault.kind if fault is not None else None
        if kind == "corrupt" and body:
            at = int(fault.cut * len(body)) if fault.cut < 1 else int(fault.cut)
            at = max(0, min(at, len(body) - 1))
            body = body[:at] + bytes([body[at] ^ 0x5A]) + body[at + 1:]
        cut = len(body)
        if kind in ("reset", "short"):
            cut = int(fault.cut * len(body)) if fault.cut < 1 else int(fault.cut)
            cut = max(0, min(cut, len(body) - 1))
        # Logged before the response goes out, so a client that has its
        # answer always finds the line in the log.
        self._finish(status, 0 if head else cut, self._fault_name)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", last_mod)
        self.send_header("Accept-Ranges", "bytes")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        if status == 206:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, end, size))
        self.end_headers()
        if head:
            return
        if kind in ("reset", "short"):
            self.wfile.write(body[:cut])
            self.wfile.flush()
            self.close_connection = True
            try:
                if kind == "reset":
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                               struct.pack("ii", 1, 0))
                else:
                    self.connection.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            return
        sent = 0
        try:
            if kind == "drip":
                n = min(fault.drip_bytes, len(body))
                for i in range(n):
                    self.wfile.write(body[i:i + 1])
                    self.wfile.flush()
                    sent += 1
                    time.sleep(1.0 / fault.drip_rate)
            self.wfile.write(body[sent:])
            sent = len(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


def parse_fault_flag(text):
    # REGEX:KIND[:TIMES[:AFTER]]; the regex itself may contain ':' so split
    # from the right.
    for n in (3, 2, 1):
        head = text.rsplit(":", n)
        if len(head) == n + 1 and head[1] in KINDS and all(p.isdigit() for p in head[2:]):
            spec = {"path": head[0], "kind": head[1]}
            if n >= 2:
                spec["times"] = int(head[2])
            if n >= 3:
                spec["after"] = int(head[3])
            return spec
    raise ValueError("bad --fault %r (want REGEX:KIND[:TIMES[:AFTER]])" % (text,))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", required=True, help="mirror directory (edgar layout)")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--log", help="request log file")
    ap.add_argument("--faults", help="JSON fault script")
    ap.add_argument("--fault", action="append", default=[],
                    help="REGEX:KIND[:TIMES[:AFTER]]")
    ap.add_argument("--timeout", type=float, default=300.0,
                    help="exit after this many seconds")
    ap.add_argument("--gzip", action="store_true",
                    help="gzip Content-Encoding for uncompressed files when accepted")
    ap.add_argument("--gz-content-encoding", action="store_true",
                    help="label .gz files with Content-Encoding: gzip (a misconfigured server)")
    args = ap.parse_args()

    specs = []
    if args.faults:
        with open(args.faults) as f:
            specs.extend(json.load(f))
    for text in args.fault:
        specs.append(parse_fault_flag(text))
    rules = [Rule(s) for s in specs]

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.state = State(args.root, rules, args.log, args.gzip,
                         args.gz_content_encoding)
    print(server.server_address[1], flush=True)

    parent = os.getppid()
    deadline = time.time() + args.timeout

    def watchdog():
        while time.time() < deadline and os.getppid() == parent:
            time.sleep(0.2)
        os._exit(0)

    threading.Thread(target=watchdog, daemon=True).start()
    server.serve_forever(poll_interval=0.1)


if __name__ == "__main__":
    main()
