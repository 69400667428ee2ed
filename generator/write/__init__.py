"""Stage 5: formatting and putting files on disk atomically, with a manifest that makes drift
detectable."""

from .commit import commit_output
from .format import format_tree
from .manifest import MANIFEST_NAME, Manifest, file_digest
from .output import ensure_writable, output_folder, stage_files

__all__ = [
    "MANIFEST_NAME",
    "Manifest",
    "commit_output",
    "ensure_writable",
    "file_digest",
    "format_tree",
    "output_folder",
    "stage_files",
]
