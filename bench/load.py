"""A small closed-loop HTTP load generator: N threads, each sending requests one after another.

It measures what a user waits for (connect + request + full response) with the standard library only,
so the figures do not depend on a tool that may be missing. The client shares the machine with the
server; on 2 cores it is the floor view's throughput limit, which the floor figure shows.
"""

import http.client
import math
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Result:
    name: str
    path: str
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)  # nearest-rank percentile
        return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]

    def summary(self) -> dict:
        return {
            "name": self.name,
            "path": self.path,
            "requests": self.requests,
            "errors": self.errors,
            "requests_per_second": round(self.rps, 1),
            "p50_ms": round(self.percentile(50), 2),
            "p95_ms": round(self.percentile(95), 2),
            "mean_ms": round(statistics.fmean(self.latencies_ms), 2) if self.latencies_ms else 0.0,
        }


def _request(host: str, port: int, path: str, headers: dict) -> tuple[int, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": host, **headers})
        response = connection.getresponse()
        response.read()
        status = response.status
    finally:
        connection.close()
    return status, (time.perf_counter() - started) * 1000


def run(
    name: str,
    host: str,
    port: int,
    path: str | Callable[[], str],
    *,
    requests: int,
    concurrency: int,
    warmup: int = 20,
    headers: dict | None = None,
) -> Result:
    """Send `requests` GETs over `concurrency` threads after `warmup` unmeasured ones; a non-200 is an error.
    `path` may be a function giving each request its own path (pages that must not be served from a cache)."""
    headers = headers or {}
    next_path = path if callable(path) else lambda: path
    for _ in range(warmup):
        _request(host, port, next_path(), headers)
    result = Result(name, path if isinstance(path, str) else f"{path.__name__}()")
    lock = threading.Lock()
    remaining = [requests]

    def worker():
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            try:
                status, elapsed = _request(host, port, next_path(), headers)
            except OSError:
                status, elapsed = 0, 0.0
            with lock:
                result.requests += 1
                if status == 200:
                    result.latencies_ms.append(elapsed)
                else:
                    result.errors += 1

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result
