#!/usr/bin/env python3
"""Many registered SIP clients on TCP or WebSocket connections for connection-bench.sh (standard library only).

  conn_clients.py --server HOST:PORT --source ADDR --first N --count C [options]

Opens C connections from source address ADDR to the server, each registering one user
(PREFIX<N>..PREFIX<N+C-1>, password pw-<user>, MD5 digest: REGISTER -> 401 -> REGISTER -> 200) and
then keeping its connection alive: RFC 5626 double-CRLF pings over TCP, WebSocket ping frames over
WebSocket (RFC 7118 has no CRLF keep-alive), every --keepalive seconds. Every MESSAGE a client
receives is answered 200. Prints one JSON status line per --status-every seconds to stdout
({"registered": n, "failed": n, "connected": n, "messages": n}).

With --probe, once every connection is registered (or has failed), the first registered client sends
--probe-count MESSAGEs at --probe-rate per second to the second registered one, over its registered
(hence trusted) connection, relayed over the recipient's, and prints {"probe": {"sent": n, "ok": n, "p50_ms": x, "p99_ms": y, "max_ms": z}} before going on.
"""
import argparse
import asyncio
import base64
import hashlib
import json
import os
import re
import sys
import time

CRLF = b"\r\n"


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def parse_challenge(value):
    return dict(re.findall(r'(\w+)="?([^",]*)"?', value))


class Framing:
    """Reads SIP messages from a TCP stream (Content-Length framing, keep-alive CRLFs skipped)."""

    def __init__(self, reader):
        self.reader = reader

    async def message(self):
        head = b""
        while True:
            line = await self.reader.readline()
            if not line:
                raise ConnectionError("closed by the server")
            if not head and line in (b"\r\n", b"\n"):
                continue  # a keep-alive pong (RFC 5626 §4.4.1)
            head += line
            if line in (b"\r\n", b"\n"):
                break
        match = re.search(rb"(?im)^(?:content-length|l)\s*:\s*(\d+)", head)
        body = await self.reader.readexactly(int(match.group(1))) if match and int(match.group(1)) else b""
        return head.decode("utf-8", "replace"), body


class WebSocketFraming:
    """RFC 6455 client side, enough for RFC 7118: masked text frames out, one SIP message per frame in."""

    def __init__(self, reader, writer):
        self.reader = reader
        self.writer = writer

    async def handshake(self, host, port):
        key = base64.b64encode(os.urandom(16)).decode()
        self.writer.write((f"GET / HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                           f"Sec-WebSocket-Protocol: sip\r\n\r\n").encode())
        status = await self.reader.readline()
        if b" 101 " not in status:
            raise ConnectionError("WebSocket handshake refused: " + status.decode(errors="replace").strip())
        while (await self.reader.readline()) not in (b"\r\n", b"\n", b""):
            pass

    def frame(self, opcode, payload):
        mask = os.urandom(4)
        n = len(payload)
        header = bytes([0x80 | opcode])
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + n.to_bytes(2, "big")
        else:
            header += bytes([0x80 | 127]) + n.to_bytes(8, "big")
        return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))

    async def message(self):
        while True:
            b0, b1 = await self.reader.readexactly(2)
            n = b1 & 0x7F
            if n == 126:
                n = int.from_bytes(await self.reader.readexactly(2), "big")
            elif n == 127:
                n = int.from_bytes(await self.reader.readexactly(8), "big")
            payload = await self.reader.readexactly(n)
            opcode = b0 & 0x0F
            if opcode == 0x8:
                raise ConnectionError("closed by the server")
            if opcode in (0x1, 0x2):
                text = payload.decode("utf-8", "replace")
                head, _, body = text.partition("\r\n\r\n")
                return head + "\r\n\r\n", body.encode()
            # pong or ping: nothing to hand up (Netty answers our pings)


class Client:
    def __init__(self, args, user, stats):
        self.args = args
        self.user = user
        self.stats = stats
        self.cseq = 0
        self.call_id = f"{user}-{os.getpid()}-{time.monotonic_ns()}"
        self.pending = {}  # Call-ID of our own MESSAGEs -> future of the final status
        self.writer = None
        self.framing = None
        self.local = None
        self.registered = False

    def send(self, text):
        data = text.encode()
        if self.args.transport == "ws":
            self.writer.write(self.framing.frame(0x1, data))
        else:
            self.writer.write(data)

    def via(self, branch):
        proto = "WS" if self.args.transport == "ws" else "TCP"
        return f"SIP/2.0/{proto} {self.local[0]}:{self.local[1]};branch=z9hG4bK-{branch};rport"

    def register_request(self, auth=None):
        self.cseq += 1
        a = self.args
        proto = "ws" if a.transport == "ws" else "tcp"
        lines = [f"REGISTER sip:{a.domain} SIP/2.0", "Via: " + self.via(f"r{self.cseq}-{self.user}"),
                 f"From: <sip:{self.user}@{a.domain}>;tag=t{self.user}", f"To: <sip:{self.user}@{a.domain}>",
                 f"Call-ID: {self.call_id}", f"CSeq: {self.cseq} REGISTER", "Max-Forwards: 70",
                 f"Contact: <sip:{self.user}@{self.local[0]}:{self.local[1]};transport={proto};ob>",
                 f"Expires: {a.expires}"]
        if auth:
            lines.append("Authorization: " + auth)
        lines += ["Content-Length: 0", "", ""]
        return "\r\n".join(lines)

    def authorization(self, challenge_header):
        c = parse_challenge(challenge_header)
        a = self.args
        uri = f"sip:{a.domain}"
        ha1 = md5(f"{self.user}:{c['realm']}:pw-{self.user}")
        ha2 = md5(f"REGISTER:{uri}")
        nc, cnonce = "00000001", os.urandom(4).hex()
        response = md5(f"{ha1}:{c['nonce']}:{nc}:{cnonce}:auth:{ha2}")
        return (f'Digest username="{self.user}",realm="{c["realm"]}",nonce="{c["nonce"]}",uri="{uri}",'
                f'response="{response}",algorithm=MD5,qop=auth,nc={nc},cnonce="{cnonce}"')

    async def run(self, registered_event):
        a = self.args
        try:
            reader, self.writer = await asyncio.open_connection(a.host, a.port, local_addr=(a.source, 0))
            self.local = self.writer.get_extra_info("sockname")
            if a.transport == "ws":
                self.framing = WebSocketFraming(reader, self.writer)
                await self.framing.handshake(a.host, a.port)
            else:
                self.framing = Framing(reader)
            self.stats["connected"] += 1
            self.send(self.register_request())
            head, _ = await asyncio.wait_for(self.framing.message(), 30)
            if " 401 " not in head.split("\r\n", 1)[0]:
                raise ConnectionError("expected 401: " + head.split("\r\n", 1)[0])
            challenge = re.search(r"(?im)^WWW-Authenticate:\s*(Digest .*algorithm=MD5.*)$", head)
            if not challenge:
                raise ConnectionError("no MD5 challenge")
            self.send(self.register_request(self.authorization(challenge.group(1).strip())))
            head, _ = await asyncio.wait_for(self.framing.message(), 30)
            if " 200 " not in head.split("\r\n", 1)[0]:
                raise ConnectionError("REGISTER answered " + head.split("\r\n", 1)[0])
            self.stats["registered"] += 1
            self.registered = True
        except (OSError, ConnectionError, asyncio.TimeoutError, asyncio.IncompleteReadError) as e:
            self.stats["failed"] += 1
            self.stats.setdefault("errors", {}).setdefault(type(e).__name__ + ": " + str(e)[:80], 0)
            self.stats["errors"][type(e).__name__ + ": " + str(e)[:80]] += 1
            if self.writer:
                self.writer.close()
            return
        finally:
            registered_event()
        await asyncio.gather(self.keepalive(), self.receive())

    async def keepalive(self):
        while True:
            await asyncio.sleep(self.args.keepalive)
            if self.args.transport == "ws":
                self.writer.write(self.framing.frame(0x9, b"k"))
            else:
                self.writer.write(CRLF + CRLF)

    async def receive(self):
        try:
            while True:
                head, body = await self.framing.message()
                first = head.split("\r\n", 1)[0]
                if first.startswith("SIP/2.0"):
                    call_id = re.search(r"(?im)^(?:Call-ID|i)\s*:\s*(\S+)", head).group(1)
                    status = int(first.split()[1])
                    future = self.pending.get(call_id)
                    if future and status >= 200 and not future.done():
                        future.set_result(status)
                    continue
                if first.startswith("MESSAGE"):
                    self.stats["messages"] += 1
                    self.send(self.response(head, 200, "OK"))
        except (OSError, ConnectionError, asyncio.IncompleteReadError):
            self.stats["connected"] -= 1

    @staticmethod
    def response(request_head, status, reason):
        keep = [l for l in request_head.split("\r\n")[1:]
                if re.match(r"(?i)^(via|v|from|f|call-id|i|cseq)\s*:", l)]
        to = re.search(r"(?im)^(?:To|t)\s*:(.*)$", request_head).group(1).strip()
        if ";tag=" not in to:
            to += ";tag=uas" + os.urandom(3).hex()
        return "\r\n".join([f"SIP/2.0 {status} {reason}"] + keep + ["To: " + to, "Content-Length: 0", "", ""])

    async def message_to(self, recipient, n):
        a = self.args
        call_id = f"probe-{n}-{self.call_id}"
        body = f"probe {n}"
        future = asyncio.get_running_loop().create_future()
        self.pending[call_id] = future
        text = "\r\n".join([f"MESSAGE sip:{recipient}@{a.domain} SIP/2.0", "Via: " + self.via(f"m{n}-{self.user}"),
                            f"From: <sip:{self.user}@{a.domain}>;tag=p{n}", f"To: <sip:{recipient}@{a.domain}>",
                            f"Call-ID: {call_id}", "CSeq: 1 MESSAGE", "Max-Forwards: 70",
                            "Content-Type: text/plain", f"Content-Length: {len(body)}", "", body])
        started = time.monotonic()
        self.send(text)
        try:
            status = await asyncio.wait_for(future, 10)
        except asyncio.TimeoutError:
            status = 0
        finally:
            self.pending.pop(call_id, None)
        return status, (time.monotonic() - started) * 1000


async def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--server", required=True)
    p.add_argument("--source", default="127.0.0.1")
    p.add_argument("--transport", choices=["tcp", "ws"], default="tcp")
    p.add_argument("--prefix", default="conn")
    p.add_argument("--first", type=int, required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--domain", default="localhost")
    p.add_argument("--expires", type=int, default=3600)
    p.add_argument("--keepalive", type=float, default=30)
    p.add_argument("--rate", type=float, default=300, help="new connections per second")
    p.add_argument("--status-every", type=float, default=2)
    p.add_argument("--probe", action="store_true")
    p.add_argument("--probe-count", type=int, default=1000)
    p.add_argument("--probe-rate", type=float, default=50)
    a = p.parse_args()
    a.host, a.port = a.server.rsplit(":", 1)[0], int(a.server.rsplit(":", 1)[1])
    stats = {"registered": 0, "failed": 0, "connected": 0, "messages": 0}
    done = [0]

    def registered():
        done[0] += 1

    def status():
        print(json.dumps(stats), flush=True)

    clients, tasks = [], []
    start = time.monotonic()
    last_status = start
    for i in range(a.count):
        c = Client(a, f"{a.prefix}{a.first + i:05d}", stats)
        clients.append(c)
        tasks.append(asyncio.create_task(c.run(registered)))
        delay = start + (i + 1) / a.rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        if time.monotonic() - last_status >= a.status_every:
            status()
            last_status = time.monotonic()
    while done[0] < a.count:
        await asyncio.sleep(0.5)
        if time.monotonic() - last_status >= a.status_every:
            status()
            last_status = time.monotonic()
    status()
    ready = [c for c in clients if c.registered]
    if a.probe and len(ready) >= 2:
        sender, recipient = ready[0], ready[1].user
        latencies, ok, others = [], 0, {}
        for n in range(a.probe_count):
            tick = time.monotonic()
            code, ms = await sender.message_to(recipient, n)
            latencies.append(ms)
            ok += code == 200
            if code != 200:
                others[str(code or "no answer")] = others.get(str(code or "no answer"), 0) + 1
            await asyncio.sleep(max(0.0, 1 / a.probe_rate - (time.monotonic() - tick)))
        latencies.sort()
        pick = lambda q: round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 2)
        print(json.dumps({"probe": {"from": sender.user, "to": recipient, "sent": len(latencies), "ok": ok, "other": others, "p50_ms": pick(0.5), "p99_ms": pick(0.99),
                                    "max_ms": round(latencies[-1], 2)}}), flush=True)
    while True:
        await asyncio.sleep(a.status_every)
        status()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(130)
