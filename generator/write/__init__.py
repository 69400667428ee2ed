"""Stage 5: formatting and putting files on disk atomically, with a manifest that makes drift
detectable.

The package itself imports nothing: ``apigen check``'s fast path needs only :mod:`.manifest`,
and the staging and commit machinery (:mod:`.output`, :mod:`.commit`) is not free to import.
"""
