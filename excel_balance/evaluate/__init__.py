"""Evaluation: sections, indicators, 差异系数, gaps, targets and status — pure, no I/O."""
