"""The figures of `make verify`: what the checks record, how they add up to the table's rows, and how each
row compares with baseline.json.

The checks (test_*.py here) only measure: they add counters and details under a row's keys through the
`figures` fixture. The rows are worked out once, from every worker's records, when the session ends
(conftest.py); a row worse than its threshold in baseline.json fails the run.
"""

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

BASELINE = Path(__file__).with_name("baseline.json")


class Records:
    """Counters (added up) and details (concatenated) under dotted keys, e.g. "matrix.requests"."""

    def __init__(self):
        self.counters: dict[str, int] = defaultdict(int)
        self.details: dict[str, list] = defaultdict(list)
        self.seconds: dict[str, float] = defaultdict(float)

    def add(self, key: str, amount: int = 1) -> None:
        self.counters[key] += amount

    def note(self, key: str, item) -> None:
        self.details[key].append(item)

    def timed(self, row: str, seconds: float) -> None:
        self.seconds[row] += seconds

    def dump(self) -> str:
        return json.dumps({"counters": self.counters, "details": self.details, "seconds": self.seconds})

    def merge(self, dumped: str) -> None:
        data = json.loads(dumped)
        for key, value in data["counters"].items():
            self.counters[key] += value
        for key, items in data["details"].items():
            self.details[key].extend(items)
        for key, value in data["seconds"].items():
            self.seconds[key] += value

    def has(self, prefix: str) -> bool:
        return any(key.startswith(prefix) for key in self.counters)


@dataclass
class Row:
    check: str
    figure: str
    key: str = ""  # the baseline.json threshold this row is held to ("" for a row that only informs)
    value: int | None = None  # the number compared with the threshold
    expected: str = ""
    status: str = ""  # "ok", "WORSE", "not run" or "" (informative)
    problems: list = field(default_factory=list)  # the first offending details, for the report


def load_baseline() -> dict:
    return json.loads(BASELINE.read_text(encoding="utf-8"))


def judge(row: Row, thresholds: dict) -> Row:
    """Set the row's expectation and status from its threshold: {"max": n} (at most n) or {"min": n}."""
    if not row.key:
        return row
    threshold = thresholds[row.key]
    if "max" in threshold:
        row.expected = row.expected or str(threshold["max"])
        worse = row.value > threshold["max"]
    else:
        row.expected = row.expected or f"≥ {threshold['min']}"
        worse = row.value < threshold["min"]
    row.status = "WORSE" if worse else "ok"
    return row


def not_run(check: str) -> Row:
    return Row(check, "not run in this session", status="not run")


# The rows ----------------------------------------------------------------------------------------------


def deploy_rows(records: Records) -> list[Row]:
    check = "check --deploy, production settings: findings"
    if not records.has("deploy."):
        return [not_run(check)]
    findings = records.counters["deploy.findings"]
    return [
        Row(check, str(findings), "deploy.findings", findings, problems=records.details["deploy.findings"])
    ]


def matrix_rows(records: Records) -> list[Row]:
    if not records.has("matrix."):
        return [not_run("permission matrix")]
    counters, details = records.counters, records.details
    roles = len(set(details["matrix.roles"]))
    return [
        Row(
            "permission matrix: GET requests",
            f"{counters['matrix.requests']} ({len(set(details['matrix.patterns']))} URL patterns × {roles} roles, "
            f"{counters['matrix.objects']} naming an object)",
            "matrix.requests",
            counters["matrix.requests"],
        ),
        Row(
            "permission matrix: unexpected 2xx",
            str(counters["matrix.unexpected_2xx"]),
            "matrix.unexpected_2xx",
            counters["matrix.unexpected_2xx"],
            problems=details["matrix.unexpected_2xx"],
        ),
        Row(
            "permission matrix: 5xx",
            str(counters["matrix.server_errors"]),
            "matrix.server_errors",
            counters["matrix.server_errors"],
            problems=details["matrix.server_errors"],
        ),
    ]


SCHEMATHESIS_CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "response_schema_conformance",
    "content_type_conformance",
)


def failure_key(failure: dict) -> tuple:
    return (failure["check"], failure["operation"], failure["title"], failure["status"])


def accepted_by(failure: dict, baseline: dict) -> str:
    """The reason baseline.json gives for accepting the failure ("" if it does not): an entry names the check,
    the operation (a pattern: "GET /api/v1/*"), the failure's title and any further key of the failure it
    must have (`status`, `routed`: whether the request's path matched a route)."""
    for entry in baseline.get("schemathesis_accepted", []):
        if fnmatchcase(failure["operation"], entry["operation"]) and all(
            failure.get(key) == value for key, value in entry.items() if key not in ("operation", "why")
        ):
            return entry["why"]
    return ""


def schemathesis_rows(records: Records, baseline: dict) -> list[Row]:
    if not records.has("schemathesis."):
        return [not_run("schemathesis")]
    failures = {}
    for failure in records.details["schemathesis.failures"]:
        failures.setdefault(failure_key(failure), {**failure, "roles": []})["roles"].append(failure["role"])
    counters = records.counters
    roles = len(set(records.details["schemathesis.roles"]))
    rows = [
        Row(
            "schemathesis: operations × roles",
            f"{counters['schemathesis.operations']} ({counters['schemathesis.operations'] // max(roles, 1)} "
            f"operations × {roles} roles; {counters['schemathesis.cases']} requests, "
            f"{counters['schemathesis.operations_2xx']} runs with a 2xx)",
            "schemathesis.operations",
            counters["schemathesis.operations"],
        )
    ]
    for name in SCHEMATHESIS_CHECKS:
        found = [failure for key, failure in failures.items() if key[0] == name]
        new = [failure for failure in found if not accepted_by(failure, baseline)]
        known = len(found) - len(new)
        rows.append(
            Row(
                f"schemathesis: {name} failures",
                str(len(new)) + (f" (+{known} accepted in baseline.json)" if known else ""),
                f"schemathesis.{name}",
                len(new),
                problems=new,
            )
        )
    return rows


def upload_rows(records: Records) -> list[Row]:
    check = "upload corpus (API and page): wrong outcome"
    if not records.has("uploads."):
        return [not_run(check)]
    counters = records.counters
    return [
        Row(
            check,
            f"{counters['uploads.wrong']} of {counters['uploads.total']} "
            f"({counters['uploads.refused_as_expected']} refused, "
            f"{counters['uploads.accepted_as_expected']} accepted as expected)",
            "uploads.wrong",
            counters["uploads.wrong"],
            problems=records.details["uploads.wrong"],
        )
    ]


def rate_limit_rows(records: Records) -> list[Row]:
    check = "rate limits, forged X-Forwarded-For: through beyond the limit"
    if not records.has("ratelimit."):
        return [not_run(check)]
    counters = records.counters
    return [
        Row(
            check,
            f"{counters['ratelimit.through']} of {counters['ratelimit.beyond']} "
            f"({len(set(records.details['ratelimit.limits']))} limits × with/without TRUSTED_PROXIES)",
            "ratelimit.through",
            counters["ratelimit.through"],
            problems=records.details["ratelimit.through"],
        )
    ]


def audit_rows(records: Records) -> list[Row]:
    check = "audit log tampering: detected"
    if not records.has("audit."):
        return [not_run(check)]
    total, detected = records.counters["audit.total"], records.counters["audit.detected"]
    return [
        Row(
            check,
            f"{detected}/{total}",
            "audit.undetected",
            total - detected,
            expected="all",
            problems=records.details["audit.undetected"],
        )
    ]


def lock_rows(records: Records) -> list[Row]:
    check = "sign-in lock: right password refused after 5 failures"
    if not records.has("lock."):
        return [not_run(check)]
    total, refused = records.counters["lock.doors"], records.counters["lock.refused"]
    return [
        Row(
            check,
            f"{refused}/{total} doors",
            "lock.let_in",
            total - refused,
            expected="all",
            problems=records.details["lock.let_in"],
        )
    ]


def rows(records: Records, baseline: dict) -> list[Row]:
    built = [
        *deploy_rows(records),
        *matrix_rows(records),
        *schemathesis_rows(records, baseline),
        *upload_rows(records),
        *rate_limit_rows(records),
        *audit_rows(records),
        *lock_rows(records),
    ]
    return [judge(row, baseline["thresholds"]) for row in built]


def describe(problem) -> str:
    """One line for a row's offending case (a schemathesis failure is a dict)."""
    if isinstance(problem, dict):
        return (
            f"{problem['check']}: {problem['operation']} answered {problem['status']} "
            f"({problem['title']}; roles {', '.join(problem.get('roles', [problem.get('role', '')]))}): "
            f"{problem['message'][:200]} — {problem['request'][:200]}"
        )
    return str(problem)


def table(built: list[Row]) -> str:
    """A Markdown table (as README shows it), its columns lined up for the terminal."""
    lines = [
        ("check", "figure", "expected", "status"),
        *((r.check, r.figure, r.expected, r.status) for r in built),
    ]
    widths = [max(len(line[column]) for line in lines) for column in range(4)]

    def row(cells) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)) + " |"

    return "\n".join(
        [row(lines[0]), row(["-" * width for width in widths]), *(row(line) for line in lines[1:])]
    )


def report(built: list[Row], records: Records, environment: dict) -> dict:
    return {
        "environment": environment,
        "rows": [asdict(row) for row in built],
        "counters": dict(sorted(records.counters.items())),
        "seconds": {key: round(value, 1) for key, value in sorted(records.seconds.items())},
        "details": {key: value for key, value in sorted(records.details.items()) if key != "matrix.patterns"},
    }
