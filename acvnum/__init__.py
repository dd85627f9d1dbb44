"""acvnum: a simplified, multi-criteria life-cycle assessment of digital services."""

__version__ = "0.1.0"
