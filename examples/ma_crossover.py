"""Moving-average crossover for tradingd's external-strategy protocol: the same rule as the C++
ma_crossover (strategy/ma_crossover.cpp), so both give the same trades on the same bars.

Params (config strategies[].params, strings): fast (10), slow (30), mode (long_only | long_short),
quantity (absent: entries are unsized and the daemon's sizer decides; exits close the position).
The averages are compared exactly (integer sums of the closes in units of 1e-9), as in C++: a cross is a
change of sign of fast - slow between two non-zero signs; the first sign after warm-up is not a cross.
"""

import os
import sys
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tradingd_strategy import run  # noqa: E402

_last_sign = {}  # instrument key -> sign of fast - slow at the last bar where it was non-zero


def _raw(price):
    return int(Decimal(price).scaleb(9))  # exact: prices carry at most 9 decimals


def _signal(side, quantity, reduce_only):
    return {"side": side, "type": "market", "quantity": quantity, "reduce_only": reduce_only, "tag": "ma_cross"}


def generate_signals(market_data, position_state):
    p = market_data["params"]
    fast = int(p.get("fast", "10"))
    slow = int(p.get("slow", "30"))
    long_short = p.get("mode", "long_only") == "long_short"
    quantity = Decimal(p["quantity"]) if "quantity" in p else None

    bars = market_data["bars"]
    if len(bars) < slow:
        return []
    closes = [_raw(b["close"]) for b in bars[-slow:]]
    lhs = sum(closes[-fast:]) * slow
    rhs = sum(closes) * fast
    sign = (lhs > rhs) - (lhs < rhs)
    if sign == 0:
        return []
    inst = market_data["instrument"]
    key = (inst["venue"], inst["market"], inst["symbol"])
    previous = _last_sign.get(key, 0)
    _last_sign[key] = sign
    if previous in (0, sign):
        return []

    position = position_state["quantity"]
    if quantity is not None:
        target = quantity if sign > 0 else (-quantity if long_short else Decimal(0))
        delta = target - position
        if delta == 0:
            return []
        return [_signal("buy" if delta > 0 else "sell", abs(delta), target == 0)]
    out = []
    if sign > 0:
        if position < 0:
            out.append(_signal("buy", -position, True))
        if position <= 0:
            out.append(_signal("buy", None, False))
    else:
        if position > 0:
            out.append(_signal("sell", position, True))
        if long_short and position >= 0:
            out.append(_signal("sell", None, False))
    return out


if __name__ == "__main__":
    run(generate_signals)
