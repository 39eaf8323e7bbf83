"""Independent reference for historical and parametric VaR/ES (portfolio-format.md), in numpy/scipy.

Reads a portfolio document (JSON) and prints, as JSON, historical and delta-normal VaR and ES for
the total book and per account. Written from the contract's text, sharing no code with the engine:
its own equity function, its own Black-Scholes and delta, numpy's sample covariance and scipy's
normal quantile. Supports what the reference fixtures hold: spot, linear and inverse perpetuals and
futures, linear and inverse options (Black-Scholes on spot), USD-like quotes, coin collateral with
haircuts.

usage: /usr/bin/python3 var_reference.py DOCUMENT.json
"""
import json
import math
import sys
from datetime import datetime
from fractions import Fraction

import numpy as np
from scipy.stats import norm

USD = {"USD", "USDT", "USDC"}


def parse_time(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def bs(is_call, S, K, T, r, vol):
    """Black-Scholes value and delta of one option on one unit."""
    if T <= 0:
        itm = S - K if is_call else K - S
        return max(itm, 0.0), (1.0 if is_call else -1.0) if itm > 0 else 0.0
    sq = vol * math.sqrt(T)
    d1 = (math.log(S / K) + (r + 0.5 * vol * vol) * T) / sq
    d2 = d1 - sq
    if is_call:
        return S * norm.cdf(d1) - K * math.exp(-r * T) * norm.cdf(d2), norm.cdf(d1)
    return K * math.exp(-r * T) * norm.cdf(-d2) - S * norm.cdf(-d1), norm.cdf(d1) - 1.0


def main(path):
    doc = json.load(open(path))
    as_of = parse_time(doc["asOf"])
    market = doc["market"]
    und = market["underlyings"]
    inst = market.get("instruments", {})
    rates = market.get("rates", {})
    settings = doc.get("settings", {})
    conf = settings.get("varConfidence", 0.99)
    h = settings.get("varHorizonDays", 1)
    spot = {k: float(v["price"]) for k, v in und.items()}

    # --- the book as closures: equity contribution(prices) and d(contribution)/dS per factor ---
    items = []  # (account, factor, value_fn(prices), delta_fn(prices) -> dict factor->dE/dS)
    for acc in doc["accounts"]:
        for c in acc.get("collateral", []):
            a = c["asset"]
            amt = float(c["amount"])
            hc = c.get("haircut", 0.0)
            if a in USD:
                items.append((acc["id"], None, (lambda p, amt=amt, hc=hc: amt * (1 - hc)), (lambda p: {})))
            else:
                items.append((acc["id"], a, (lambda p, a=a, amt=amt, hc=hc: amt * p[a] * (1 - hc)), (lambda p, a=a, amt=amt, hc=hc: {a: amt * (1 - hc)})))
    for pos in doc["positions"]:
        if pos.get("closedAt"):
            continue
        ins = pos["instrument"]
        u = ins["underlying"]
        q = float(pos["quantity"]) * float(ins.get("contractSize", "1"))
        entry = float(pos["entryPrice"])
        m = inst.get(pos["id"], {})
        kind = ins["kind"]
        inverse = ins.get("settlement", "linear") == "inverse"
        if kind == "option":
            is_call = ins["optionType"] == "call"
            K = float(ins["strike"])
            T = (parse_time(ins["expiry"]) - as_of).total_seconds() / (365 * 86400)
            vol = m.get("iv", und[u].get("vol"))
            r = rates.get(ins["quote"], rates.get("USD", 0.0) if ins["quote"] in USD else 0.0)
            v0, _ = bs(is_call, spot[u], K, T, r, vol)
            offset = 0.0
            if "mark" in m:
                mark_usd = float(m["mark"]) * spot[u] if inverse else float(m["mark"])
                offset = mark_usd - v0

            def value(p, u=u, q=q, entry=entry, is_call=is_call, K=K, T=T, r=r, vol=vol, offset=offset, inverse=inverse):
                v = bs(is_call, p[u], K, T, r, vol)[0] + (offset if T > 0 else 0.0)
                return q * (v - entry * p[u]) if inverse else q * (v - entry)

            def delta(p, u=u, q=q, entry=entry, is_call=is_call, K=K, T=T, r=r, vol=vol, inverse=inverse):
                d = bs(is_call, p[u], K, T, r, vol)[1]
                return {u: q * (d - entry) if inverse else q * d}

            items.append((pos["account"], u, value, delta))
        else:
            ratio = float(m["mark"]) / spot[u] if "mark" in m and kind != "spot" else 1.0
            if kind == "spot":
                items.append((pos["account"], u, (lambda p, u=u, q=q, e=entry: q * (p[u] - e)), (lambda p, u=u, q=q: {u: q})))
            elif inverse:
                items.append((pos["account"], u, (lambda p, u=u, q=q, e=entry, k=ratio: q * (p[u] * k / e - 1)), (lambda p, u=u, q=q, e=entry, k=ratio: {u: q * k / e})))
            else:
                items.append((pos["account"], u, (lambda p, u=u, q=q, e=entry, k=ratio: q * (p[u] * k - e)), (lambda p, u=u, q=q, k=ratio: {u: q * k})))

    factors = sorted({f for (_, f, _, _) in items if f is not None})
    accounts = [a["id"] for a in doc["accounts"]]

    def equity(p, account=None):
        return sum(fn(p) for (a, _, fn, _) in items if account is None or a == account)

    # --- history: dates common to every factor, simple returns, overlapping h-day returns ---
    series = {f: dict((d, float(c)) for d, c in und[f]["history"]) for f in factors}
    dates = sorted(set.intersection(*(set(s) for s in series.values())))
    closes = np.array([[series[f][d] for f in factors] for d in dates])
    daily = closes[1:] / closes[:-1] - 1
    horizon = closes[h:] / closes[:-h] - 1
    n = horizon.shape[0]
    k = math.ceil(n * (1 - Fraction(str(conf))))
    k = max(k, 1)

    def tail(losses):
        s = np.sort(np.asarray(losses))[::-1]
        return {"var": float(s[k - 1]), "es": float(np.mean(s[:k]))}

    base = {f: spot[f] for f in factors}
    base_eq = {a: equity(base, a) for a in accounts}
    losses_total = []
    losses_acc = {a: [] for a in accounts}
    for row in horizon:
        p = {f: spot[f] * (1 + row[j]) for j, f in enumerate(factors)}
        tot = 0.0
        for a in accounts:
            la = base_eq[a] - equity(p, a)
            losses_acc[a].append(la)
            tot += la
        losses_total.append(tot)

    cov = np.cov(daily, rowvar=False, ddof=1).reshape(len(factors), len(factors))
    z = norm.ppf(conf)

    def parametric(account=None):
        e = np.zeros(len(factors))
        for (a, _, _, dfn) in items:
            if account is not None and a != account:
                continue
            for f, d in dfn(base).items():
                e[factors.index(f)] += d * base[f]
        sigma = math.sqrt(max(float(e @ cov @ e), 0.0) * h)
        return {"var": z * sigma, "es": sigma * norm.pdf(z) / (1 - conf), "sigma": sigma}

    out = {
        "n": n,
        "k": k,
        "factors": factors,
        "historical": tail(losses_total),
        "parametric": parametric(),
        "accounts": {a: {"historical": tail(losses_acc[a]), "parametric": parametric(a)} for a in accounts},
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
