"""Stage 5: putting files on disk atomically, with a manifest that makes drift detectable."""

from .manifest import MANIFEST_NAME, Manifest, file_digest
from .output import stage_files, swap_into_place

__all__ = ["MANIFEST_NAME", "Manifest", "file_digest", "stage_files", "swap_into_place"]
