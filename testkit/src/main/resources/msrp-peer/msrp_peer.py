#!/usr/bin/env python3
"""An independent MSRP test peer for Parley's tests.

Written from the text of RFC 4975 (MSRP), RFC 4976 (relays: AUTH with digest, Use-Path),
RFC 7977 (MSRP over WebSocket), RFC 6455 (the WebSocket client side) and RFC 7616/2617
(HTTP digest, as RFC 4976 section 5 uses it) alone. It shares no code with the server, on
purpose: a bug copied into both sides of a test would hide itself. Python 3 standard library only.

The peer is driven by a test over stdin/stdout, one command a line, one answer a line:

    <command> [name=value ...]        values percent-encoded (urllib.parse.quote_plus)
    ok [name=value ...]               or:  error message=...

Commands (see PythonMsrpPeer.java for the Java side):
    connect transport=tcp|tls|ws|wss host= port= [cafile=] [uri=]   open the connection; uri is
                                      our own MSRP URI (one is made up when absent)
    auth relay= user= password= [expires=]     AUTH, answer the 401 challenge; answers
                                      status= use-path= expires= (RFC 4976 section 5)
    send to-path= body= (base64) [content-type=] [message-id=] [chunk=] [success-report=]
         [failure-report=] [delay-ms=] [total=star]    SEND in chunks; answers tids= message-id=
    next [timeout=]                   the next message received that nobody waited for:
                                      kind=request|response|closed|timeout tid= method= status=
                                      comment= flag= headers= (CRLF-joined) body= (base64)
    receive [timeout=] [answer=200] [report=yes] [progress=no]   take SEND chunks until one
                                      message is complete, answering each (per its Failure-Report)
                                      and sending a success REPORT when asked for (with progress=yes
                                      also one per chunk, covering the bytes so far: section 7.1.2
                                      lets a receiver report parts); answers message-id=
                                      content-type= body= chunks= from-path=
    respond tid= status= [comment=]   answer a request received earlier
    report tid= status=               send a REPORT about a message received (tid of its last chunk)
    raw data= (base64) [pace-ms=]     write bytes as they are (malformed input); pace-ms writes
                                      them one at a time with a pause (a slow sender)
    closed [timeout=]                 wait until the other side closes: closed=true|false
    close                             close the connection
    quit                              end the process
"""

import base64
import hashlib
import os
import queue
import secrets
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.parse

CRLF = b"\r\n"


def log(*args):
    print("msrp_peer:", *args, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- transport

class TlsSocket:
    """The client side of a TLS connection (RFC 8446) over a socket, with what the links use of a
    socket: sendall, recv, shutdown, close, getsockname.

    The reader thread and the commands' writes share the connection, and OpenSSL allows one thread
    at a time in it: a TLS 1.3 server's post-handshake messages (the NewSessionTicket the JDK sends
    as the handshake ends, a KeyUpdate that asks for one back) are taken in by the reader, and an
    ssl.SSLSocket read on one thread while written on another breaks ("[SSL] internal error", bad
    record MACs at the server). So OpenSSL only ever works on memory buffers here, under one lock,
    and the socket itself is read and written outside it; records leave in the order they were made.
    """

    def __init__(self, sock, context, server_hostname):
        self.sock = sock
        self.incoming = ssl.MemoryBIO()
        self.outgoing = ssl.MemoryBIO()
        self.tls = context.wrap_bio(self.incoming, self.outgoing, server_hostname=server_hostname)
        self.state = threading.Lock()    # OpenSSL's state of the connection
        self.sending = threading.Lock()  # the socket's write side, taken before state
        self.unsent = bytearray()        # records made, not yet written (under state)
        try:
            while True:
                try:
                    self.tls.do_handshake()
                    break
                except ssl.SSLWantReadError:
                    self._flush()
                    data = sock.recv(65536)
                    if not data:
                        raise ConnectionError("the server closed during the TLS handshake")
                    self.incoming.write(data)
            self._flush()
        except OSError:
            sock.close()
            raise

    def _take(self):
        """Every record made so far, in order (state held)."""
        self.unsent += self.outgoing.read()
        data, self.unsent = bytes(self.unsent), bytearray()
        return data

    def _flush(self):
        with self.sending:
            with self.state:
                data = self._take()
            if data:
                self.sock.sendall(data)

    def sendall(self, data):
        with self.sending:
            with self.state:
                view = memoryview(data)
                while view:
                    view = view[self.tls.write(view):]
                records = self._take()
            self.sock.sendall(records)

    def recv(self, size):
        """Some application bytes; b'' when the server has closed."""
        while True:
            with self.state:
                try:
                    data = self.tls.read(size)
                except ssl.SSLWantReadError:
                    data = None
                # what reading made (a KeyUpdate in answer) waits its turn behind records being written
                self.unsent += self.outgoing.read()
                answer = bool(self.unsent)
            if answer:
                self._flush()
            if data is not None:
                return data
            got = self.sock.recv(65536)
            if not got:
                return b""
            with self.state:
                self.incoming.write(got)

    def shutdown(self, how):
        self.sock.shutdown(how)

    def close(self):
        self.sock.close()

    def getsockname(self):
        return self.sock.getsockname()


class StreamLink:
    """MSRP over a TCP or TLS byte stream (RFC 4975 section 6)."""

    def __init__(self, sock):
        self.sock = sock
        self.lock = threading.Lock()

    def write(self, data):
        with self.lock:
            self.sock.sendall(data)

    def write_paced(self, data, pace):
        with self.lock:
            for i in range(len(data)):
                self.sock.sendall(data[i:i + 1])
                time.sleep(pace)

    def read(self):
        """Some bytes, or b'' when the other side has closed."""
        try:
            return self.sock.recv(65536)
        except (OSError, ssl.SSLError):
            return b""

    def shutdown(self):
        """Ends the connection both ways; a reader blocked in it wakes up."""
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def close(self):
        self.shutdown()
        self.sock.close()


class WebSocketLink:
    """The client side of RFC 6455 with subprotocol 'msrp' (RFC 7977): one MSRP message per
    WebSocket message, text frames when the message is UTF-8, binary otherwise; every frame
    from a client is masked (RFC 6455 section 5.3)."""

    GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    def __init__(self, sock, host, port):
        self.sock = sock
        self.lock = threading.Lock()
        self.pending = b""
        self.fragments = b""
        self.shut = False
        key = base64.b64encode(os.urandom(16))
        request = (b"GET / HTTP/1.1\r\nHost: " + ("%s:%d" % (host, port)).encode()
                   + b"\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                   + b"\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: msrp\r\n\r\n")
        sock.sendall(request)
        head = b""
        while b"\r\n\r\n" not in head:
            got = sock.recv(4096)
            if not got:
                raise IOError("the server closed during the WebSocket handshake")
            head += got
        head, _, self.pending = head.partition(b"\r\n\r\n")
        lines = head.split(CRLF)
        if not lines[0].startswith(b"HTTP/1.1 101"):
            raise IOError("WebSocket handshake refused: " + lines[0].decode("latin-1"))
        fields = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            fields[name.strip().lower()] = value.strip()
        accept = base64.b64encode(hashlib.sha1(key + self.GUID).digest())
        if fields.get(b"sec-websocket-accept") != accept:
            raise IOError("wrong Sec-WebSocket-Accept")
        if fields.get(b"sec-websocket-protocol", b"").lower() != b"msrp":
            raise IOError("the server did not choose the msrp subprotocol")

    def _frame(self, opcode, payload):
        header = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack("!H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack("!Q", n)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        return header + mask + masked

    def write(self, data):
        try:
            data.decode("utf-8")
            opcode = 0x1
        except UnicodeDecodeError:
            opcode = 0x2
        with self.lock:
            self.sock.sendall(self._frame(opcode, data))

    def write_paced(self, data, pace):
        # A WebSocket message cannot be paced byte by byte without breaking it: the frame is
        # written one byte at a time instead, which is what a slow sender looks like on the wire.
        frame = self._frame(0x2, data)
        with self.lock:
            for i in range(len(frame)):
                self.sock.sendall(frame[i:i + 1])
                time.sleep(pace)

    def _need(self, n):
        while len(self.pending) < n:
            try:
                got = self.sock.recv(65536)
            except (OSError, ssl.SSLError):
                got = b""
            if not got:
                return False
            self.pending += got
        return True

    def read(self):
        """The payload of the next complete WebSocket message, or b'' at close."""
        while True:
            if not self._need(2):
                return b""
            b0, b1 = self.pending[0], self.pending[1]
            fin, opcode, length, at = b0 & 0x80, b0 & 0x0F, b1 & 0x7F, 2
            if b1 & 0x80:
                return b""  # a server must not mask (RFC 6455 section 5.1): give up on it
            if length == 126:
                if not self._need(4):
                    return b""
                length, at = struct.unpack("!H", self.pending[2:4])[0], 4
            elif length == 127:
                if not self._need(10):
                    return b""
                length, at = struct.unpack("!Q", self.pending[2:10])[0], 10
            if not self._need(at + length):
                return b""
            payload, self.pending = self.pending[at:at + length], self.pending[at + length:]
            if opcode == 0x8:
                return b""
            if opcode == 0x9:
                with self.lock:
                    self.sock.sendall(self._frame(0xA, payload))
                continue
            if opcode == 0xA:
                continue
            self.fragments += payload
            if fin:
                message, self.fragments = self.fragments, b""
                return message

    def shutdown(self):
        """A close frame, then ends the connection both ways; a reader blocked in it wakes up."""
        if not self.shut:
            self.shut = True
            try:
                with self.lock:
                    self.sock.sendall(self._frame(0x8, struct.pack("!H", 1000)))
            except OSError:
                pass
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def close(self):
        self.shutdown()
        self.sock.close()


# ---------------------------------------------------------------- MSRP framing (RFC 4975 section 9)

class Message:
    def __init__(self, tid, method=None, status=None, comment="", headers=None, body=b"", flag="$"):
        self.tid = tid
        self.method = method
        self.status = status
        self.comment = comment
        self.headers = headers or []
        self.body = body
        self.flag = flag

    def header(self, name, default=None):
        for n, v in self.headers:
            if n.lower() == name.lower():
                return v
        return default

    def is_request(self):
        return self.method is not None


class Parser:
    """Cuts a byte stream into MSRP messages. A message ends with CRLF '-------' tid flag CRLF;
    without a body the end-line follows the header fields directly."""

    def __init__(self):
        self.buf = b""

    def feed(self, data):
        self.buf += data

    def next(self):
        head_end = self.buf.find(CRLF)
        if head_end < 0:
            return None
        start = self.buf[:head_end].decode("utf-8", "replace").split(" ", 3)
        if len(start) < 3 or start[0] != "MSRP":
            raise ValueError("not an MSRP start line: %r" % self.buf[:head_end][:80])
        tid = start[1]
        end_marker = b"-------" + tid.encode()
        # header fields: lines up to an empty line (a body follows) or the end-line
        at = head_end + 2
        headers = []
        while True:
            eol = self.buf.find(CRLF, at)
            if eol < 0:
                return None
            line = self.buf[at:eol]
            if line.startswith(end_marker) and len(line) == len(end_marker) + 1:
                flag = chr(line[-1])
                body = b""
                consumed = eol + 2
                break
            if line == b"":
                body_start = eol + 2
                closing = CRLF + end_marker
                end = self.buf.find(closing, body_start)
                while end >= 0:
                    after = end + len(closing)
                    if len(self.buf) < after + 3:
                        return None
                    if self.buf[after:after + 1] in (b"$", b"+", b"#") and self.buf[after + 1:after + 3] == CRLF:
                        break
                    end = self.buf.find(closing, end + 1)
                if end < 0:
                    return None
                body = self.buf[body_start:end]
                flag = chr(self.buf[end + len(closing)])
                consumed = end + len(closing) + 3
                break
            name, _, value = line.decode("utf-8", "replace").partition(":")
            headers.append((name.strip(), value.strip()))
            at = eol + 2
        self.buf = self.buf[consumed:]
        if start[2].isdigit() and len(start[2]) == 3:
            return Message(tid, status=int(start[2]), comment=start[3] if len(start) > 3 else "",
                           headers=headers, body=body, flag=flag)
        return Message(tid, method=start[2], headers=headers, body=body, flag=flag)


def encode(start, headers, body=None, content_type=None, tid="", flag="$"):
    out = (start + "\r\n").encode()
    for name, value in headers:
        out += ("%s: %s\r\n" % (name, value)).encode()
    if body is not None:
        out += ("Content-Type: %s\r\n\r\n" % content_type).encode() + body + CRLF
    out += ("-------%s%s\r\n" % (tid, flag)).encode()
    return out


def new_tid():
    return secrets.token_hex(8)


# ---------------------------------------------------------------- digest (RFC 4976 section 5)

def parse_challenge(value):
    scheme, _, rest = value.partition(" ")
    params = {}
    i = 0
    while i < len(rest):
        while i < len(rest) and rest[i] in " ,":
            i += 1
        eq = rest.find("=", i)
        if eq < 0:
            break
        name = rest[i:eq].strip().lower()
        i = eq + 1
        if i < len(rest) and rest[i] == '"':
            end = rest.find('"', i + 1)
            params[name] = rest[i + 1:end]
            i = end + 1
        else:
            end = rest.find(",", i)
            end = len(rest) if end < 0 else end
            params[name] = rest[i:end].strip()
            i = end
    return scheme, params


def digest_authorization(challenge, user, password, uri):
    _, p = parse_challenge(challenge)
    algorithm = p.get("algorithm", "MD5")
    h = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}[algorithm.upper()]

    def H(text):
        return h(text.encode()).hexdigest()

    cnonce = secrets.token_hex(8)
    nc = "00000001"
    ha1 = H("%s:%s:%s" % (user, p["realm"], password))
    ha2 = H("AUTH:%s" % uri)
    response = H("%s:%s:%s:%s:auth:%s" % (ha1, p["nonce"], nc, cnonce, ha2))
    fields = ['username="%s"' % user, 'realm="%s"' % p["realm"], 'nonce="%s"' % p["nonce"],
              'uri="%s"' % uri, 'response="%s"' % response, "algorithm=%s" % algorithm,
              'cnonce="%s"' % cnonce, "qop=auth", "nc=" + nc]
    if "opaque" in p:
        fields.append('opaque="%s"' % p["opaque"])
    return "Digest " + ", ".join(fields)


# ---------------------------------------------------------------- the peer

class Peer:
    def __init__(self):
        self.link = None
        self.reader = None
        self.uri = None
        self.inbox = queue.Queue()
        self.waiting = {}          # tid -> queue for the response a command waits for
        self.received = {}         # tid -> request received, to answer or report on
        self.closed = threading.Event()

    def connect(self, transport, host, port, cafile=None, uri=None):
        self.close()
        self.inbox = queue.Queue()  # nothing of an earlier connection is taken for this one's
        self.waiting = {}
        self.received = {}
        port = int(port)
        sock = socket.create_connection((host, port), timeout=10)
        sock.settimeout(None)
        if transport in ("tls", "wss"):
            context = ssl.create_default_context(cafile=cafile)
            context.check_hostname = False  # the test certificate names 127.0.0.1 and localhost only
            sock = TlsSocket(sock, context, host)
        if transport in ("ws", "wss"):
            self.link = WebSocketLink(sock, host, port)
            uri_transport, own_host = "ws", secrets.token_hex(6) + ".invalid"
        else:
            self.link = StreamLink(sock)
            uri_transport, own_host = "tcp", "127.0.0.1"
        self.uri = uri or "msrp://%s:%d/%s;%s" % (own_host, sock.getsockname()[1], secrets.token_hex(8),
                                                   uri_transport)
        self.closed.clear()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        return {"uri": self.uri}

    def _read(self):
        parser = Parser()
        link = self.link
        while True:
            data = link.read()
            if not data:
                break
            parser.feed(data)
            try:
                while True:
                    m = parser.next()
                    if m is None:
                        break
                    self._dispatch(m)
            except ValueError as e:
                log("unparseable input, closing:", e)
                link.close()
                break
        self.closed.set()
        self.inbox.put(None)

    def _dispatch(self, m):
        if not m.is_request() and m.tid in self.waiting:
            self.waiting.pop(m.tid).put(m)
            return
        if m.is_request():
            self.received[m.tid] = m
        self.inbox.put(m)

    def _transact(self, request_bytes, tid, timeout=10):
        q = queue.Queue()
        self.waiting[tid] = q
        self.link.write(request_bytes)
        try:
            return q.get(timeout=timeout)
        except queue.Empty:
            self.waiting.pop(tid, None)
            raise IOError("no response to %s within %ss" % (tid, timeout))

    def auth(self, relay, user, password, expires=None):
        def attempt(authorization):
            tid = new_tid()
            headers = [("To-Path", relay), ("From-Path", self.uri)]
            if authorization:
                headers.append(("Authorization", authorization))
            if expires:
                headers.append(("Expires", expires))
            return self._transact(encode("MSRP %s AUTH" % tid, headers, tid=tid), tid)

        first = attempt(None)
        answer = first
        if first.status == 401:
            challenges = [v for n, v in first.headers if n.lower() == "www-authenticate"]
            chosen = next((c for c in challenges if "SHA-256" in c), challenges[0])
            answer = attempt(digest_authorization(chosen, user, password, relay))
        return {"status": answer.status, "comment": answer.comment, "use-path": answer.header("Use-Path", ""),
                "expires": answer.header("Expires", ""), "min-expires": answer.header("Min-Expires", ""),
                "max-expires": answer.header("Max-Expires", "")}

    def send(self, to_path, body, content_type="text/plain", message_id=None, chunk=2048,
             success_report="no", failure_report="yes", delay_ms=0, total=None):
        body = base64.b64decode(body)
        chunk = max(1, int(chunk))
        message_id = message_id or secrets.token_hex(8)
        tids = []
        pieces = [body[i:i + chunk] for i in range(0, len(body), chunk)] or [b""]
        offset = 0
        for i, piece in enumerate(pieces):
            tid = new_tid()
            last = i == len(pieces) - 1
            size = "*" if total == "star" and not last else str(len(body))
            headers = [("To-Path", to_path), ("From-Path", self.uri), ("Message-ID", message_id),
                       ("Success-Report", success_report), ("Failure-Report", failure_report),
                       ("Byte-Range", "%d-%d/%s" % (offset + 1, offset + len(piece), size))]
            self.link.write(encode("MSRP %s SEND" % tid, headers, piece, content_type, tid, "$" if last else "+"))
            tids.append(tid)
            offset += len(piece)
            if delay_ms and not last:
                time.sleep(int(delay_ms) / 1000)
        return {"tids": " ".join(tids), "message-id": message_id}

    def next(self, timeout=10):
        try:
            m = self.inbox.get(timeout=float(timeout))
        except queue.Empty:
            return {"kind": "timeout"}
        if m is None:
            self.inbox.put(None)  # stays closed for whoever asks next
            return {"kind": "closed"}
        return describe(m)

    def respond(self, tid, status, comment="OK"):
        request = self.received[tid]
        self._answer(request, int(status), comment)
        return {}

    def _answer(self, request, status, comment):
        # a response goes back one hop: To-Path is the previous hop, From-Path is us (RFC 4975 section 7.2)
        previous = request.header("From-Path", "").split(" ")[0]
        headers = [("To-Path", previous), ("From-Path", self.uri)]
        self.link.write(encode("MSRP %s %03d %s" % (request.tid, status, comment), headers, tid=request.tid))

    def report(self, tid, status):
        request = self.received[tid]
        self._report(request, status)
        return {}

    def _report(self, last_chunk, status, total=None, upto=None):
        # REPORT goes to the sender's From-Path as a whole (RFC 4975 section 7.1.2); it covers
        # bytes 1 to upto of total (the whole message unless upto is given)
        if total is None:
            total = last_chunk.header("Byte-Range", "1-0/0").split("/")[1]
        tid = new_tid()
        headers = [("To-Path", last_chunk.header("From-Path")), ("From-Path", self.uri),
                   ("Message-ID", last_chunk.header("Message-ID")),
                   ("Byte-Range", "1-%s/%s" % (total if upto is None else upto, total)), ("Status", status)]
        self.link.write(encode("MSRP %s REPORT" % tid, headers, tid=tid))

    def receive(self, timeout=10, answer="200", report="yes", progress="no"):
        deadline = time.monotonic() + float(timeout)
        parts = {}
        skipped = []
        while True:
            left = deadline - time.monotonic()
            try:
                m = self.inbox.get(timeout=max(0.01, left))
            except queue.Empty:
                m = False
            if m is None or m is False:
                for s in skipped:
                    self.inbox.put(s)
                if m is None:
                    self.inbox.put(None)
                return {"kind": "closed" if m is None else "timeout"}
            if not (m.is_request() and m.method == "SEND"):
                skipped.append(m)
                continue
            failure_report = m.header("Failure-Report", "yes")
            status = int(answer)
            if failure_report == "yes" or (failure_report == "partial" and status != 200):
                self._answer(m, status, "OK" if status == 200 else "Refused")
            start = int(m.header("Byte-Range", "1-*/*").split("-")[0])
            parts[start] = m.body
            if m.flag != "$":
                if progress == "yes" and status == 200 and m.header("Success-Report", "no") == "yes":
                    self._report(m, "000 200 OK", upto=sum(len(p) for p in parts.values()))
                continue
            body = b"".join(parts[k] for k in sorted(parts))
            if report == "yes" and status == 200 and m.header("Success-Report", "no") == "yes":
                self._report(m, "000 200 OK", len(body))
            for s in skipped:
                self.inbox.put(s)
            return {"kind": "message", "message-id": m.header("Message-ID", ""),
                    "content-type": m.header("Content-Type", ""), "body": base64.b64encode(body).decode(),
                    "chunks": str(len(parts)), "from-path": m.header("From-Path", ""),
                    "to-path": m.header("To-Path", ""), "tid": m.tid}

    def raw(self, data, pace_ms=0):
        data = base64.b64decode(data)
        if int(pace_ms):
            self.link.write_paced(data, int(pace_ms) / 1000)
        else:
            self.link.write(data)
        return {}

    def wait_closed(self, timeout=10):
        return {"closed": "true" if self.closed.wait(float(timeout)) else "false"}

    def close(self):
        # the reader ends before its socket is closed: a socket closed under a thread blocked in it
        # leaves that thread its number, which the next connection may get
        if self.link:
            self.link.shutdown()
            if self.reader is not threading.current_thread():
                self.reader.join(10)
            self.link.close()
            self.link = None
        return {}


def describe(m):
    out = {"kind": "request" if m.is_request() else "response", "tid": m.tid, "flag": m.flag,
           "headers": "\r\n".join("%s: %s" % h for h in m.headers), "body": base64.b64encode(m.body).decode()}
    if m.is_request():
        out["method"] = m.method
    else:
        out["status"] = str(m.status)
        out["comment"] = m.comment
    return out


def reply(fields):
    print(" ".join(["ok"] + ["%s=%s" % (k, urllib.parse.quote_plus(str(v))) for k, v in fields.items()]),
          flush=True)


def main():
    peer = Peer()
    commands = {"connect": peer.connect, "auth": peer.auth, "send": peer.send, "next": peer.next,
                "receive": peer.receive, "respond": peer.respond, "report": peer.report, "raw": peer.raw,
                "closed": peer.wait_closed, "close": peer.close}
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            break
        args = {}
        for w in words[1:]:
            name, _, value = w.partition("=")
            args[name.replace("-", "_")] = urllib.parse.unquote_plus(value)
        try:
            reply(commands[words[0]](**args))
        except Exception as e:  # the test must hear about it, not wait for an answer that never comes
            print("error message=" + urllib.parse.quote_plus("%s: %s" % (type(e).__name__, e)), flush=True)
    peer.close()


if __name__ == "__main__":
    main()
