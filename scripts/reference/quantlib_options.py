#!/usr/bin/python3
"""QuantLib reference values for Fulcrum's option tests.

Reads {"asOf": "2026-11-24T08:00:00Z", "cases": [...]} as JSON on stdin; each case is
  {"isCall": bool, "spot": S, "strike": K, "seconds": expiry - asOf in whole seconds,
   "rate": r (continuously compounded), "vol": sigma, "forward": F or null}
and writes {"quantlib": "1.29", "results": [...]} on stdout, one result per case:
  {"yearFraction", "price", "delta", "gamma", "vega", "theta", "thetaPerDay"}
in QuantLib's own units: vega per 1.00 of vol, theta per year (thetaPerDay = theta / 365).

- Without a forward: a VanillaOption priced by AnalyticEuropeanEngine on a BlackScholesProcess with
  flat Actual365Fixed curves. QuantLib here is built with intraday dates, so an expiry hours away
  gets its exact year fraction, (expiry - asOf) seconds / (365 * 86400), which is echoed back.
- With a forward: BlackCalculator(payoff(type, K), F, sigma*sqrt(T), exp(-rT)), the Black-76 core that
  AnalyticEuropeanEngine itself uses. delta(S) and gamma(S) are taken with F/S fixed, and theta(S, T)
  with the carry rate ln(F/S)/T fixed - the same conventions as Fulcrum's engine.

Run with /usr/bin/python3 (Debian's quantlib-python). Exits 3 with a message on stderr when QuantLib
cannot be imported, so the calling test fails loudly rather than skipping.
"""
import json
import math
import sys
from datetime import datetime, timedelta, timezone

try:
    import QuantLib as ql
except ImportError as error:  # pragma: no cover - environment problem, reported to the test
    sys.stderr.write(
        "QuantLib is not importable by %s (%s). Install Debian's quantlib-python "
        "(apt-get install -y quantlib-python) and run with /usr/bin/python3.\n" % (sys.executable, error)
    )
    sys.exit(3)

SECONDS_PER_YEAR = 365.0 * 86400.0


def to_ql_date(moment):
    return ql.Date(moment.day, moment.month, moment.year, moment.hour, moment.minute, moment.second)


def engine_case(as_of, case):
    day_count = ql.Actual365Fixed()
    reference = to_ql_date(as_of)
    expiry = to_ql_date(as_of + timedelta(seconds=case["seconds"]))
    spot = ql.QuoteHandle(ql.SimpleQuote(case["spot"]))
    rate_curve = ql.YieldTermStructureHandle(
        ql.FlatForward(reference, ql.QuoteHandle(ql.SimpleQuote(case["rate"])), day_count, ql.Continuous)
    )
    vol_surface = ql.BlackVolTermStructureHandle(
        ql.BlackConstantVol(reference, ql.NullCalendar(), ql.QuoteHandle(ql.SimpleQuote(case["vol"])), day_count)
    )
    process = ql.BlackScholesProcess(spot, rate_curve, vol_surface)
    kind = ql.Option.Call if case["isCall"] else ql.Option.Put
    option = ql.VanillaOption(ql.PlainVanillaPayoff(kind, case["strike"]), ql.EuropeanExercise(expiry))
    option.setPricingEngine(ql.AnalyticEuropeanEngine(process))
    return {
        "yearFraction": day_count.yearFraction(reference, expiry),
        "price": option.NPV(),
        "delta": option.delta(),
        "gamma": option.gamma(),
        "vega": option.vega(),
        "theta": option.theta(),
        "thetaPerDay": option.thetaPerDay(),
    }


def forward_case(case):
    t = case["seconds"] / SECONDS_PER_YEAR
    kind = ql.Option.Call if case["isCall"] else ql.Option.Put
    black = ql.BlackCalculator(
        ql.PlainVanillaPayoff(kind, case["strike"]),
        case["forward"],
        case["vol"] * math.sqrt(t),
        math.exp(-case["rate"] * t),
    )
    spot = case["spot"]
    return {
        "yearFraction": t,
        "price": black.value(),
        "delta": black.delta(spot),
        "gamma": black.gamma(spot),
        "vega": black.vega(t),
        "theta": black.theta(spot, t),
        "thetaPerDay": black.thetaPerDay(spot, t),
    }


def main():
    request = json.load(sys.stdin)
    as_of = datetime.strptime(request["asOf"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    ql.Settings.instance().evaluationDate = to_ql_date(as_of)
    results = []
    for case in request["cases"]:
        results.append(engine_case(as_of, case) if case.get("forward") is None else forward_case(case))
    json.dump({"quantlib": ql.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
