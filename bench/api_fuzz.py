"""API fuzzing: every operation of the OpenAPI document, many generated requests, each answer checked.

Run as ``.venv/bin/python bench/api_fuzz.py [--examples 100] [--seed N]``.

1. Builds a fresh SQLite database under ``bench/out/`` (migrate, the demo zone) and an API token for
   each persona: the statistician (imports, enterprise figures), the investment officer (projects,
   the ledger), the leader (aggregates), a 链长 (own chain) and the window clerk (the scorecard only).
2. For every operation, persona and kind of data (valid for the schema, and invalid), Schemathesis
   generates ``--examples`` requests from the OpenAPI document and sends them to the application
   in-process; each answer is checked: no 5xx, a documented status code, content type and headers,
   and a body that matches the documented schema.
3. Prints the requests sent by status, the time taken and every distinct failure with a curl line to
   reproduce it; exits non-zero when there is one.

``tests/web/test_openapi.py`` runs the same checks with three requests per operation and persona.
"""

import argparse
import os
import shlex
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
DB_PATH = OUT_DIR / "api_fuzz.sqlite3"
PERSONAS = ["statistician", "investment", "leader", "chainleader", "window"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100, help="generated requests per operation, persona and mode")
    parser.add_argument("--seed", type=int, default=None, help="a fixed seed for a run that can be repeated")
    options = parser.parse_args()

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    DB_PATH.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DB_PATH}"
    os.environ["YUANQU_VAR_DIR"] = str(OUT_DIR / "api_fuzz_var")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
    sys.path.insert(0, str(PROJECT_DIR / "src"))
    import django

    django.setup()
    import schemathesis
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from hypothesis import HealthCheck, Phase, given, seed, settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.generation.modes import GenerationMode
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    from yuanqu.accounts.services import token_create
    from yuanqu.api import api

    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
    ]

    def fuzz(operation: Any, mode: GenerationMode, headers: dict[str, str]) -> None:
        """``--examples`` generated requests for one operation; every failure is kept, the run goes on."""

        @settings(
            max_examples=options.examples,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def call(case: Any) -> None:
            try:
                response = case.call_and_validate(headers=headers, checks=checks)
            except Exception as exc:
                text = str(exc).strip()
                first = text.splitlines()[0] if text else type(exc).__name__
                failures.setdefault((operation.label, first), text)
                failed[operation.label] += 1
            else:
                statuses[response.status_code] += 1

        (seed(options.seed)(call) if options.seed is not None else call)()

    statuses: Counter[int] = Counter()
    failed: Counter[str] = Counter()
    failures: dict[tuple[str, str], str] = {}
    started = time.perf_counter()
    call_command("migrate", "--no-input", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("demo", "load", stdout=quiet)
    tokens = {name: token_create(user=User.objects.get(username=name))[1] for name in PERSONAS}
    print(f"  … database and demo zone ready in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
    schema.app = get_wsgi_application()
    operations = [result.ok() for result in schema.get_all_operations()]
    started = time.perf_counter()
    for operation in operations:
        for persona in PERSONAS:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                fuzz(operation, mode, {"Authorization": f"Bearer {tokens[persona]}"})
        print(f"  … {operation.label}", file=sys.stderr)
    elapsed = time.perf_counter() - started
    sent = sum(statuses.values()) + sum(failed.values())
    command = shlex.join([Path(sys.executable).name, "bench/api_fuzz.py", *sys.argv[1:]])
    print(f"$ {command}")
    print(
        f"{len(operations)} operations × {len(PERSONAS)} personas × valid and invalid data: "
        f"{sent} requests in {elapsed:.1f} s ({sent / elapsed:.0f} per second)"
    )
    print("answers by status: " + ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items())))
    if not failures:
        print("no 5xx, no undocumented status, content type or header, no body outside its schema")
        return 0
    print(f"{sum(failed.values())} failed requests, {len(failures)} distinct failures:")
    for (label, first), text in failures.items():
        print(f"\n== {label}: {first}\n{text[:2000]}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
