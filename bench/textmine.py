"""How fast does ``extract`` read reports? Repeats the dev-set texts to at least 10 MB, one core.

Run: ``python bench/textmine.py`` (from the project root, with the project installed), optionally
``--dev DIR`` and ``--megabytes N``.
"""

import argparse
import sys
import time
from pathlib import Path

from yuanqu.textmine import extract

DEV_SET = Path(__file__).resolve().parents[1] / ".." / "shared" / "textmine" / "dev"


def corpus(directory: Path, megabytes: float) -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in sorted(directory.glob("doc*.txt"))]
    if not texts:
        raise SystemExit(f"no docNN.txt in {directory}")
    documents: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        for text in texts:
            documents.append(text)
            size += len(text.encode("utf-8"))
    return documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dev", type=Path, default=DEV_SET)
    parser.add_argument("--megabytes", type=float, default=10.0)
    arguments = parser.parse_args()
    documents = corpus(arguments.dev, arguments.megabytes)
    size = sum(len(text.encode("utf-8")) for text in documents)
    extract(documents[0])  # warm the OpenCC and pypinyin caches outside the timing
    # CPU time of this process is the figure: on a shared machine wall time also counts other work.
    wall_started, cpu_started = time.perf_counter(), time.process_time()
    facts = sum(len(extract(text)) for text in documents)
    cpu = time.process_time() - cpu_started
    wall = time.perf_counter() - wall_started
    command = " ".join(["python", "bench/textmine.py", *sys.argv[1:]])
    print(f"$ {command}")
    print(f"{len(documents)} documents, {size / 1e6:.1f} MB, {facts} facts, one core")
    print(f"CPU  {cpu:.2f} s: {facts / cpu:,.0f} facts/s, {size / 1e6 / cpu:.2f} MB/s")
    print(f"wall {wall:.2f} s: {facts / wall:,.0f} facts/s, {size / 1e6 / wall:.2f} MB/s")


if __name__ == "__main__":
    main()
