"""Reading published reports: clean scraped text, extract economic facts, score against a gold set.

Pure Python (no Django), so that scripts and benchmarks can use it on their own.
"""

from yuanqu.textmine.clean import Cleaned, clean
from yuanqu.textmine.evaluate import DocumentScore, Evaluation, evaluate_dir, evaluate_document
from yuanqu.textmine.extract import extract
from yuanqu.textmine.facts import Fact

__all__ = [
    "Cleaned",
    "DocumentScore",
    "Evaluation",
    "Fact",
    "clean",
    "evaluate_dir",
    "evaluate_document",
    "extract",
]
