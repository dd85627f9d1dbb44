"""Exceptions the commands turn into exit code 2, kept apart so catching them costs no import
of the numpy-heavy modules that raise them."""


class TooManySamples(ValueError):
    """The run would keep more than MAX_SERVICE_SAMPLES service-samples in memory."""


class WhatIfError(ValueError):
    """A --what-if that cannot be applied: the message names the path and what is wrong."""
