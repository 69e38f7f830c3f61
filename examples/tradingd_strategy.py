"""tradingd external-strategy adapter (Python standard library only).

Wraps a function ``generate_signals(market_data, position_state)`` and speaks tradingd's JSON-lines
protocol on stdin/stdout (see strategy/README.md). Point a strategy at it in the config::

    strategies:
      - name: my_py
        command: ["python3", "/opt/strategies/my_strategy.py"]
        instruments: ["binance:spot:BTCUSDT"]
        params: {fast: "10", slow: "30"}

and in my_strategy.py::

    from tradingd_strategy import run
    def generate_signals(market_data, position_state):
        return [{"side": "buy", "quantity": "0.01"}]   # or [] for nothing
    if __name__ == "__main__":
        run(generate_signals)

generate_signals is called once per closed bar. market_data holds:
  "instrument": {"venue", "symbol", "market"} of the bar,
  "bar": the bar (open/high/low/close/volume as Decimal, ts_open_ns, interval_s),
  "bars": the last max_bars bars of that instrument, oldest first (the current one last),
  "params": the strategy's config params (strings), "strategy_id", "mode".
position_state holds "quantity" (Decimal, signed: this instrument's position), "positions" (every
instrument's position by "venue:market:symbol") and "fills" (fills since the previous call).
It returns a list of signal dicts with the fields of POST /v1/signals; venue, symbol and market default
to the bar's instrument and type to "market"; quantity None (or absent) leaves the size to the daemon's
sizer. Decimals may be Decimal, int or str (floats are converted through their shortest repr).
Exceptions in generate_signals are reported as error logs; the adapter keeps running. Write debug output
to stderr (it goes to the daemon's log), never to stdout, which carries the protocol.
"""

import json
import sys
import traceback
from collections import deque
from decimal import Decimal

__all__ = ["run"]

_SIGNAL_FIELDS = ("venue", "symbol", "market", "side", "type", "quantity", "notional", "price", "stop_price",
                  "time_in_force", "reduce_only", "stop_loss", "take_profit", "strategy_id", "tag")
_DECIMAL_FIELDS = ("quantity", "notional", "price", "stop_price", "stop_loss", "take_profit")


def _key(msg):
    return "%s:%s:%s" % (msg["venue"], msg["market"], msg["symbol"])


def _decimal_text(value):
    if value is None:
        return None
    if isinstance(value, float):
        value = Decimal(repr(value))
    return format(Decimal(value), "f")


def _signal_line(signal, instrument):
    body = {"venue": instrument["venue"], "symbol": instrument["symbol"], "market": instrument["market"],
            "type": "market"}
    for name, value in signal.items():
        if name not in _SIGNAL_FIELDS:
            raise ValueError("unknown signal field %r" % name)
        body[name] = _decimal_text(value) if name in _DECIMAL_FIELDS else value
    return {"type": "signal", "signal": body}


class _Adapter:
    def __init__(self, generate_signals, max_bars, out):
        self.generate_signals = generate_signals
        self.max_bars = max_bars
        self.out = out
        self.params = {}
        self.strategy_id = ""
        self.mode = ""
        self.bars = {}
        self.positions = {}
        self.fills = []

    def write(self, obj):
        self.out.write(json.dumps(obj, separators=(",", ":")) + "\n")

    def log(self, level, message):
        self.write({"type": "log", "level": level, "message": message})

    def handle(self, msg):
        kind = msg.get("type")
        if kind == "start":
            self.params = msg.get("params", {})
            self.strategy_id = msg.get("strategy_id", "")
            self.mode = msg.get("mode", "")
        elif kind == "position":
            self.positions[_key(msg)] = Decimal(msg["quantity"])
        elif kind == "fill":
            self.fills.append(msg)
        elif kind == "bar":
            self.on_bar(msg)
        # trades and unknown types are accepted and ignored: generate_signals runs on bars

    def on_bar(self, msg):
        bar = dict(msg)
        for name in ("open", "high", "low", "close", "volume"):
            bar[name] = Decimal(msg[name])
        key = _key(msg)
        history = self.bars.setdefault(key, deque(maxlen=self.max_bars))
        history.append(bar)
        instrument = {"venue": msg["venue"], "symbol": msg["symbol"], "market": msg["market"]}
        market_data = {"instrument": instrument, "bar": bar, "bars": list(history), "params": self.params,
                       "strategy_id": self.strategy_id, "mode": self.mode}
        position_state = {"quantity": self.positions.get(key, Decimal(0)), "positions": dict(self.positions),
                          "fills": self.fills}
        self.fills = []
        try:
            signals = self.generate_signals(market_data, position_state) or []
            lines = [_signal_line(s, instrument) for s in signals]
        except Exception:  # the user's code: report it and keep serving
            self.log("error", "generate_signals failed: " + traceback.format_exc(limit=5))
            return
        for line in lines:
            self.write(line)


def run(generate_signals, max_bars=10000, stdin=None, stdout=None):
    """Serves the protocol until stdin closes or a stop line arrives. Every input line is answered with
    zero or more lines and then {"type":"done"} (the daemon's backtests wait for it)."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    adapter = _Adapter(generate_signals, max_bars, stdout)
    for raw in stdin:
        raw = raw.strip()
        if not raw:
            continue
        try:
            msg = json.loads(raw)
        except ValueError as e:
            adapter.log("error", "bad input line: %s" % e)
            msg = None
        if isinstance(msg, dict):
            try:
                adapter.handle(msg)
            except (KeyError, ValueError, ArithmeticError) as e:  # a malformed line: report, keep serving
                adapter.log("error", "bad %s line: %r" % (msg.get("type"), e))
        adapter.write({"type": "done"})
        stdout.flush()
        if isinstance(msg, dict) and msg.get("type") == "stop":
            break
