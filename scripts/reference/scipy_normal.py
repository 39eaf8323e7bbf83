#!/usr/bin/python3
"""Reference values of the standard normal distribution for Fulcrum's tests.

Reads {"z": [...], "p": [...]} as JSON on stdin, writes JSON on stdout:
  lower[i] = P(Z <= z[i]), upper[i] = P(Z > z[i]), pdf[i] = density at z[i],
  quantile[j] = the x with P(Z <= x) = p[j].

Run with /usr/bin/python3: Debian's python3-scipy loads there, not in other interpreters.

Why not scipy.special.ndtr alone: it evaluates erfc(-z/sqrt(2)), and both the rounding of z/sqrt(2)
and erfc's own exp(-x^2) grow the relative error in the far tail (about 2e-13 at z = -37, measured
against a 80-digit evaluation). Instead the tail is erfcx (scipy's Faddeeva-based scaled
complementary error function, smooth so argument rounding hardly matters) times exp(-z^2/2) whose
exponent is formed exactly (Dekker's two-product), which agrees with 80-digit arithmetic to 7e-16.
"""
import json
import math
import sys

import scipy.special as sp

SPLITTER = 134217729.0  # 2^27 + 1, Dekker's split for IEEE doubles
INV_SQRT_2PI = 0.3989422804014327


def exact_square(a):
    """a*a as an unevaluated sum hi + lo, both doubles, exactly."""
    c = SPLITTER * a
    a_hi = c - (c - a)
    a_lo = a - a_hi
    hi = a * a
    lo = ((a_hi * a_hi - hi) + 2.0 * a_hi * a_lo) + a_lo * a_lo
    return hi, lo


def gaussian_factor(z):
    """exp(-z^2/2) with the exponent carried in double-double."""
    hi, lo = exact_square(z)
    return math.exp(-0.5 * hi) * (1.0 - 0.5 * lo)


def lower_tail(z):
    """P(Z <= z) to full relative precision, including the far lower tail."""
    if z > -1.0:
        # ndtr is 0.5 + 0.5 erf(..) here or 1 - tail: both well inside double precision.
        return float(sp.ndtr(z)) if z <= 1.0 else 1.0 - lower_tail(-z)
    return 0.5 * float(sp.erfcx(-z / math.sqrt(2.0))) * gaussian_factor(z)


def pdf(z):
    return INV_SQRT_2PI * gaussian_factor(z)


def quantile(p):
    if p > 0.5:
        return -quantile(1.0 - p)
    x = float(sp.ndtri(p))
    for _ in range(3):  # Newton against the accurate lower tail; ndtri is already close
        d = pdf(x)
        if d == 0.0:
            break
        x -= (lower_tail(x) - p) / d
    return x


def main():
    request = json.load(sys.stdin)
    zs = request.get("z", [])
    ps = request.get("p", [])
    out = {
        "lower": [lower_tail(z) for z in zs],
        "upper": [lower_tail(-z) for z in zs],
        "pdf": [pdf(z) for z in zs],
        "quantile": [quantile(p) for p in ps],
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
