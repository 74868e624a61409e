"""`python -m bench [--only NAME]` — run the benchmarks (what `make bench` calls)."""

from __future__ import annotations

import argparse
import sys

from bench import harness


def main() -> int:
    parser = argparse.ArgumentParser(prog="make bench")
    parser.add_argument("--only", help="run one benchmark: " + ", ".join(harness.discover()))
    args = parser.parse_args()
    names = harness.discover()
    if args.only:
        if args.only not in names:
            parser.error(f"unknown benchmark {args.only!r}; known: {', '.join(names)}")
        names = [args.only]
    harness.setup_django()
    for name in names:
        harness.run(name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
