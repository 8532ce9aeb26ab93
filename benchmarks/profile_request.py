"""cProfile one scenario of suite.py: where a request's time goes.

    .venv/bin/python benchmarks/profile_request.py webhook [--requests 200] [--sort tottime] [--limit 30]

Scenarios are suite.py's sides: webhook, intake, turn, echo_post, avail2, avail60, echo_get,
booking, django. Same hotel, settings and cleanup as suite.py.
"""
import argparse
import cProfile
import pstats
import sys

import common
import suite
from django.conf import settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("side")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--limit", type=int, default=40)
    args = parser.parse_args()
    settings.DEBUG = False
    hotel = common.create_hotel()
    try:
        side = suite.sides(hotel, 31)[args.side]
        for _ in range(5):
            side.send()
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            side.send()
        profile.disable()
        pstats.Stats(profile, stream=sys.stdout).sort_stats(args.sort).print_stats(args.limit)
    finally:
        common.clean_up(hotel)


if __name__ == "__main__":
    main()
