#!/usr/bin/python3
"""80-digit reference values of Black-Scholes / Black-76 prices and Greeks, for the far tails.

QuantLib's own normal cdf is good to ~1e-17 absolute, so it cannot judge an option worth 1e-30 of
its strike. This script evaluates the same closed forms as Fulcrum's engine (see
electron/engine/options/black-scholes.ts for the conventions: Greeks with respect to S, F/S held
fixed, theta = -dV/dT per year with the carry rate fixed) in Python's decimal arithmetic at 80
significant digits, with its own normal cdf: the erf power series for |z| < 3 and erfc's continued
fraction beyond (evaluated backward), each with far more digits than a double has.

Reads {"cases": [{"isCall", "spot", "strike", "yearFraction", "rate", "vol", "forward" or null}]}
on stdin; writes {"results": [{"price", "delta", "gamma", "vega", "theta", "d1", "stdDev",
"thetaTerms"}]} (thetaTerms: the sum of the absolute values of theta's terms), each
figure correctly rounded to the nearest double. The inputs are taken as the exact doubles given.
"""
import json
import sys
from decimal import Decimal, getcontext

getcontext().prec = 80
# pi to 90 digits; Decimal has no built-in constant.
PI = Decimal(
    "3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534"
)
SQRT_PI = PI.sqrt()
SQRT_2 = Decimal(2).sqrt()
TINY = Decimal(10) ** -85


def erfc(z):
    if z < 0:
        return 2 - erfc(-z)
    if z < 3:
        z2 = z * z
        power, total, n = z, z, 0
        while True:
            n += 1
            power = -power * z2 / n
            term = power / (2 * n + 1)
            total += term
            if abs(term) < TINY:
                break
        return 1 - 2 * total / SQRT_PI
    # Backward evaluation of z + (1/2)/(z + 1/(z + (3/2)/(z + ...))); 600 levels are ample for
    # 80 digits at z >= 3 and converge faster as z grows.
    f = z
    for k in range(600, 0, -1):
        f = z + Decimal(k) / 2 / f
    return (-z * z).exp() / SQRT_PI / f


def cdf(x):
    return erfc(-x / SQRT_2) / 2


def pdf(x):
    return (-x * x / 2).exp() / (2 * PI).sqrt()


def figures(case):
    s = Decimal(case["spot"])
    k = Decimal(case["strike"])
    t = Decimal(case["yearFraction"])
    r = Decimal(case["rate"])
    vol = Decimal(case["vol"])
    sqrt_t = t.sqrt()
    std_dev = vol * sqrt_t
    discount = (-r * t).exp()
    if case.get("forward") is None:
        forward = s / discount
        q = Decimal(0)
    else:
        forward = Decimal(case["forward"])
        q = r - (forward / s).ln() / t
    disc_fwd = discount * forward
    disc_strike = discount * k
    d1 = (forward / k).ln() / std_dev + std_dev / 2
    d2 = d1 - std_dev
    density = pdf(d1)
    per_spot = disc_fwd / s
    gamma = per_spot * density / (s * std_dev)
    vega = disc_fwd * density * sqrt_t
    decay = -disc_fwd * density * vol / (2 * sqrt_t)
    if case["isCall"]:
        n1, n2 = cdf(d1), cdf(d2)
        price = disc_fwd * n1 - disc_strike * n2
        delta = per_spot * n1
        theta = decay - r * disc_strike * n2 + q * disc_fwd * n1
    else:
        n1, n2 = cdf(-d1), cdf(-d2)
        price = disc_strike * n2 - disc_fwd * n1
        delta = -per_spot * n1
        theta = decay + r * disc_strike * n2 - q * disc_fwd * n1
    # theta is a sum of terms of both signs; their total size is what its rounding scales with.
    theta_terms = abs(decay) + abs(r * disc_strike * n2) + abs(q * disc_fwd * n1)
    out = dict(
        price=price, delta=delta, gamma=gamma, vega=vega, theta=theta, d1=d1, stdDev=std_dev, thetaTerms=theta_terms
    )
    return {key: float(value) for key, value in out.items()}


def main():
    request = json.load(sys.stdin)
    json.dump({"results": [figures(case) for case in request["cases"]]}, sys.stdout)


if __name__ == "__main__":
    main()
