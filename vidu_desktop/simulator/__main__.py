"""`python -m vidu_desktop.simulator`: run the Novita-compatible simulator until stopped.

The first line on stdout is "Vidu simulator listening on <base URL>", flushed, so a parent
process can read where to connect (useful with --port 0). The second says how much pretend
money the account starts with (--balance, $50 unless told).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from pathlib import Path

from .billing import UNITS_PER_USD
from .server import Simulator, SimulatorConfig

REALISTIC_QUEUED_S, REALISTIC_PROCESSING_S = 20.0, 60.0
DEMO_BALANCE_USD = "50"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m vidu_desktop.simulator",
        description="A local stand-in for Novita's Vidu Q3 Turbo image-to-video API.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--api-key", help="accept only this key (default: any non-empty key)")
    parser.add_argument("--realistic", action="store_true",
                        help="~20 s queue, ~60 s processing and full-size video")
    parser.add_argument("--queued", type=float, metavar="S", help="seconds in QUEUED")
    parser.add_argument("--processing", type=float, metavar="S", help="seconds in PROCESSING")
    parser.add_argument("--ttl", type=int, default=3600, metavar="S",
                        help="lifetime of video links in seconds")
    parser.add_argument("--video-dir", type=Path, help="keep rendered videos here")
    parser.add_argument("--parent-pid", type=int, metavar="PID",
                        help="stop when this process is gone (the app's demo mode uses it, so "
                             "a crashed app leaves no server behind)")
    parser.add_argument("--balance", type=_dollars, default=_dollars(DEMO_BALANCE_USD),
                        metavar="USD", help="the pretend balance the account starts with "
                                            f"(default ${DEMO_BALANCE_USD}); each accepted job "
                                            "draws it down")
    parser.add_argument("--verbose", "-v", action="store_true", help="log every request")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    defaults = SimulatorConfig()
    config = SimulatorConfig(
        api_key=args.api_key,
        queued_s=args.queued if args.queued is not None
        else REALISTIC_QUEUED_S if args.realistic else defaults.queued_s,
        processing_s=args.processing if args.processing is not None
        else REALISTIC_PROCESSING_S if args.realistic else defaults.processing_s,
        fast_video=not args.realistic,
        link_ttl_s=args.ttl,
        video_dir=args.video_dir,
        balance_units=args.balance,
    )

    try:
        simulator = Simulator(config, args.host, args.port).start()
    except OSError as error:
        print(f"Cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 2
    stop = threading.Event()
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for name in ("SIGINT", "SIGTERM"):
            if hasattr(signal, name):
                number = getattr(signal, name)
                previous[number] = signal.signal(number, lambda *_: stop.set())
    try:
        print(f"Vidu simulator listening on {simulator.base_url}", flush=True)
        print(f"Pretend balance: ${args.balance / UNITS_PER_USD:,.2f} (not real money)", flush=True)
        while not stop.wait(0.5):  # a timed wait lets Windows deliver Ctrl+C
            if args.parent_pid and not _alive(args.parent_pid):
                break
    except KeyboardInterrupt:
        pass
    finally:
        simulator.stop()
        for number, handler in previous.items():
            signal.signal(number, handler)
    return 0


def _dollars(text: str) -> int:
    """"50", "12.3456" (USD) -> units of 0.0001 USD."""
    from decimal import Decimal, InvalidOperation

    try:
        amount = Decimal(text.strip())
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not an amount of dollars: {text!r}") from None
    if not amount.is_finite() or not 0 <= amount <= 10**9 or amount != amount.quantize(Decimal("0.0001")):
        raise argparse.ArgumentTypeError(f"not an amount of dollars from 0 to 1e9 "
                                         f"(at most 4 decimals): {text!r}")
    return int(amount * UNITS_PER_USD)


def _alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but not ours to signal (or Windows quirks): assume alive
        return True
    return True


if __name__ == "__main__":
    sys.exit(main())
