"""excel-balance: evaluate a district's 优质均衡 plan against the yearly education census."""

__version__ = "0.1.0"
