#!/usr/bin/env python3
"""A small client of the tradingd control API, standard library only.

Submits a signal, polls its order until it is done, and streams the events WebSocket (/v1/events), so an
external strategy can see its fills. Use it as a library (ApiClient, EventStream) or run it:

    TRADINGD_API_TOKEN=... python3 examples/api_client.py demo --symbol BTCUSDT --quantity 0.001
    python3 examples/api_client.py events          # print every event until Ctrl-C

The address comes from --listen or TRADINGD_API_LISTEN (default 127.0.0.1:8787), the token from --token or
TRADINGD_API_TOKEN. Exit codes: 0 success, 1 the daemon refused or the order did not fill, 2 usage, 3 the
daemon could not be reached. See daemon/api/openapi.yaml for every endpoint.
"""

import argparse
import base64
import http.client
import json
import os
import socket
import struct
import sys
import time

DEFAULT_LISTEN = "127.0.0.1:8787"
TERMINAL = {"filled", "canceled", "rejected", "expired"}


class ApiError(Exception):
    """The daemon answered with an error status; .status and .body (the JSON error) say why."""

    def __init__(self, status, body):
        super().__init__(f"HTTP {status}: {body.get('error', '?')}: {body.get('detail', '')}")
        self.status = status
        self.body = body


def split_listen(listen):
    host, _, port = listen.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"listen address {listen!r} is not host:port")
    return host.strip("[]"), int(port)


class ApiClient:
    def __init__(self, listen=None, token=None, timeout=10.0):
        self.listen = listen or os.environ.get("TRADINGD_API_LISTEN") or DEFAULT_LISTEN
        self.token = token if token is not None else os.environ.get("TRADINGD_API_TOKEN", "")
        self.host, self.port = split_listen(self.listen)
        self.timeout = timeout

    def request(self, method, path, body=None):
        """Returns the decoded JSON answer of a 2xx; raises ApiError otherwise (OSError if unreachable)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            data = None if body is None else json.dumps(body).encode()
            headers = {"Authorization": f"Bearer {self.token}"}
            if data is not None:
                headers["Content-Type"] = "application/json"
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            text = resp.read().decode() or "{}"
            try:
                decoded = json.loads(text)
            except json.JSONDecodeError:
                decoded = {"error": "not_json", "detail": text}
            if not 200 <= resp.status < 300:
                raise ApiError(resp.status, decoded)
            return decoded
        finally:
            conn.close()

    def status(self):
        return self.request("GET", "/v1/status")

    def submit_signal(self, signal):
        return self.request("POST", "/v1/signals", signal)

    def order(self, order_id):
        return self.request("GET", f"/v1/orders/{order_id}")

    def wait_order(self, order_id, timeout=10.0, interval=0.05):
        """Polls the order until it is terminal (filled, canceled, ...) or the timeout passes."""
        deadline = time.monotonic() + timeout
        order = self.order(order_id)
        while order["status"] not in TERMINAL and time.monotonic() < deadline:
            time.sleep(interval)
            order = self.order(order_id)
        return order

    def events(self, timeout=10.0):
        return EventStream(self.host, self.port, self.token, timeout)


class EventStream:
    """The /v1/events WebSocket: iterate to get one decoded event (a dict) per message."""

    def __init__(self, host, port, token, timeout=10.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET /v1/events HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                   f"Authorization: Bearer {token}\r\n\r\n")
        self.sock.sendall(request.encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("the daemon closed the connection during the WebSocket handshake")
            self.buf += chunk
        head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        status_line = head.split(b"\r\n", 1)[0].decode()
        if " 101 " not in status_line + " ":
            raise ConnectionError(f"WebSocket upgrade refused: {status_line}")

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("events stream closed by the daemon")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def _send(self, opcode, payload=b""):
        mask = os.urandom(4)  # clients must mask their frames
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked)

    def next(self):
        """The next event (blocks up to the socket timeout; raises socket.timeout then)."""
        message = b""
        while True:
            b0, b1 = self._read(2)
            opcode, length = b0 & 0x0F, b1 & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(length)
            if opcode == 0x8:
                raise ConnectionError("events stream closed by the daemon")
            if opcode == 0x9:
                self._send(0xA, payload[:125])
                continue
            if opcode in (0x1, 0x0):
                message += payload
                if b0 & 0x80:
                    return json.loads(message.decode())

    def __iter__(self):
        while True:
            yield self.next()

    def close(self):
        try:
            self._send(0x8, struct.pack(">H", 1000))
        except OSError:
            pass
        self.sock.close()


def demo(client, args):
    """Subscribe, submit a market signal, poll its order, and wait for its fill on the stream."""
    events = client.events(timeout=args.timeout)
    hello = events.next()
    print(f"subscribed: events from seq {hello['seq'] + 1}")
    signal = {"venue": args.venue, "symbol": args.symbol, "side": args.side, "type": "market",
              "quantity": args.quantity, "strategy_id": args.strategy_id, "tag": "api_client.py"}
    order = client.submit_signal(signal)
    print(f"order id={order['id']} client_order_id={order['client_order_id']} status={order['status']}")
    order = client.wait_order(order["id"], timeout=args.timeout)
    print(f"order id={order['id']} status={order['status']} filled={order['filled_quantity']} "
          f"avg_price={order['avg_price']} fees={order['fees']}")
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        event = events.next()
        if event["type"] == "fill" and event["fill"]["order_id"] == order["id"]:
            f = event["fill"]
            print(f"fill event seq={event['seq']} order_id={f['order_id']} quantity={f['quantity']} "
                  f"price={f['price']} fee={f['fee']} {f['fee_asset']}")
            events.close()
            return 0 if order["status"] == "filled" else 1
    print("no fill event arrived in time", file=sys.stderr)
    return 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listen", help="host:port of the API (default: $TRADINGD_API_LISTEN or 127.0.0.1:8787)")
    parser.add_argument("--token", help="bearer token (default: $TRADINGD_API_TOKEN)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for answers, fills and events")
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("demo", help="submit a market signal, poll the order, wait for its fill event")
    d.add_argument("--venue", default="binance")
    d.add_argument("--symbol", default="BTCUSDT")
    d.add_argument("--side", default="buy", choices=["buy", "sell"])
    d.add_argument("--quantity", default="0.001", help="a decimal string (sent exactly)")
    d.add_argument("--strategy-id", default="api_client")
    sub.add_parser("events", help="print every event as one JSON line until interrupted")
    args = parser.parse_args(argv)
    try:
        client = ApiClient(args.listen, args.token, timeout=args.timeout)
    except ValueError as e:
        print(f"api_client: {e}", file=sys.stderr)
        return 2
    if not client.token:
        print("api_client: no token: set TRADINGD_API_TOKEN or pass --token", file=sys.stderr)
        return 2
    try:
        if args.command == "demo":
            return demo(client, args)
        stream = client.events(timeout=None)
        for event in stream:
            print(json.dumps(event), flush=True)
        return 0
    except ApiError as e:
        print(f"api_client: the daemon refused: {e}", file=sys.stderr)
        return 1
    except TimeoutError:
        print(f"api_client: timed out after {args.timeout} s waiting for the daemon", file=sys.stderr)
        return 1
    except (ConnectionError, OSError) as e:
        print(f"api_client: cannot reach the daemon at {client.listen}: {e}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
