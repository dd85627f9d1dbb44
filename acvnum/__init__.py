"""acvnum: a simplified, multi-criteria life-cycle assessment of digital services.

    >>> import acvnum
    >>> assessment = acvnum.estimate("examples/ecommerce.yaml")
    >>> assessment.to_dict()["services"][0]["criteria"]["climate_change"]["per_visit"]

`estimate` (acvnum.api) and `AcvnumError` (acvnum.errors), the base of every error it
raises, are imported on first use: `import acvnum` and `acvnum --version` stay instant,
without numpy or pydantic.
"""

from typing import Any

__version__ = "0.1.0"
__all__ = ["AcvnumError", "__version__", "estimate"]


def __getattr__(name: str) -> Any:
    if name == "estimate":
        from acvnum.api import estimate  # lazy: see the module docstring

        return estimate
    if name == "AcvnumError":
        from acvnum.errors import AcvnumError  # lazy: see the module docstring

        return AcvnumError
    raise AttributeError(f"module 'acvnum' has no attribute {name!r}")
