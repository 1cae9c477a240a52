"""`make bench`: runs every benchmark module in bench/ in turn (BENCH_ONLY=coords,tiles to pick some)."""

import importlib
import os
import pkgutil
import sys
import time
from pathlib import Path


def main() -> int:
    only = {n.strip() for n in os.environ.get("BENCH_ONLY", "").split(",") if n.strip()}
    names = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if not m.name.startswith("_"))
    failed = []
    for name in names:
        if only and name not in only:
            continue
        print(f"\n=== bench.{name} ===", flush=True)
        started = time.perf_counter()
        module = importlib.import_module(f"bench.{name}")
        try:
            module.main()
        except Exception as exc:  # noqa: BLE001 - report and go on with the next benchmark
            print(f"bench.{name} failed: {exc!r}", flush=True)
            failed.append(name)
        print(f"=== bench.{name}: {time.perf_counter() - started:.1f} s ===", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
