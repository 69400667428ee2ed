"""apigen: OpenAPI 3.x → typed Python client packages.

The pipeline is one-directional: ``load`` → ``ir`` (build) → ``naming`` → ``emit`` → ``write``.
"""

__version__ = "0.1.0"
