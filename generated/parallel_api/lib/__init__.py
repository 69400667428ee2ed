"""Custom code. apigen creates this package once and never overwrites or deletes anything in it.

Add helpers here and, if they should appear on a generated resource, attach them at import time,
for example::

    from ..resources.items import ItemsResource

    def newest(self: ItemsResource) -> ...:
        ...

    ItemsResource.newest = newest

This module is imported by the package's ``__init__``, so the additions are always in place.
"""
