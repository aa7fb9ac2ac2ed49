"""``yuanqu textmine clean|extract|eval``: read published reports from the command line."""

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yuanqu.textmine import clean, evaluate_dir, extract

_TABLE_COLUMNS = ("indicator", "entity", "period", "value", "unit", "growth_pct", "growth_pp", "count", "kind", "note")


class Command(BaseCommand):
    help = "Clean report text, extract economic facts from it, or score extraction against a gold set."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        clean_parser = actions.add_parser("clean", help="Print the cleaned text of a report.")
        clean_parser.add_argument("file", type=Path)
        extract_parser = actions.add_parser("extract", help="Print the facts stated by reports.")
        extract_parser.add_argument("files", type=Path, nargs="+")
        extract_parser.add_argument("--format", choices=("jsonl", "table"), default="jsonl")
        eval_parser = actions.add_parser("eval", help="Score extraction on docNN.txt + docNN.expected.json.")
        eval_parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "clean":
            self.stdout.write(clean(_read(options["file"])).text)
        elif action == "extract":
            for path in options["files"]:
                self._print_facts(path, options["format"])
        elif action == "eval":
            if not options["directory"].is_dir():
                raise CommandError(f"{options['directory']} is not a directory")
            self.stdout.write(evaluate_dir(options["directory"]).report())

    def _print_facts(self, path: Path, output_format: str) -> None:
        facts = extract(_read(path))
        if output_format == "jsonl":
            for fact in facts:
                self.stdout.write(json.dumps({"doc": path.name, **fact.as_json()}, ensure_ascii=False))
            return
        self.stdout.write(f"# {path.name}")
        self.stdout.write("\t".join(_TABLE_COLUMNS))
        for fact in facts:
            record = fact.as_json()
            self.stdout.write("\t".join("" if record[key] is None else str(record[key]) for key in _TABLE_COLUMNS))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error}") from error
