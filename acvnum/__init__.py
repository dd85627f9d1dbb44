"""acvnum: a simplified, multi-criteria life-cycle assessment of digital services.

    >>> import acvnum
    >>> assessment = acvnum.estimate("examples/ecommerce.yaml")
    >>> assessment.to_dict()["services"][0]["criteria"]["climate_change"]["per_visit"]

`estimate` (acvnum.api) is imported on first use: `import acvnum` and `acvnum --version`
stay instant, without numpy or pydantic.
"""

from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "estimate"]


def __getattr__(name: str) -> Any:
    if name == "estimate":
        from acvnum.api import estimate  # lazy: see the module docstring

        return estimate
    raise AttributeError(f"module 'acvnum' has no attribute {name!r}")
