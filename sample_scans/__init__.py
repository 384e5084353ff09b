"""Synthetic scanned register pages with exact ground truth (the pipeline's test bench)."""

__version__ = "0.1.0"
