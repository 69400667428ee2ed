"""Where apigen's own files live and how the manifest names a spec; import-light on purpose.

``apigen check``'s fast path needs both without importing the renderer (Jinja, the IR builder),
which would triple its start-up time.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from .config import ProjectConfig


def templates_dir() -> Path:
    """``templates/`` beside the package (editable install) or bundled inside it (wheel)."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "templates", here / "_templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("apigen templates not found")


def spec_label(spec: str | Path, config: ProjectConfig) -> str:
    """How the manifest names the spec: relative to the project when inside it (so it is the same
    on every machine).

    Without a config file there is no project root (the cwd is arbitrary), so only the file name
    is recorded: generating in one folder and checking from another must agree. A URL is recorded
    as it is.
    """
    if isinstance(spec, str):
        if urlsplit(spec).scheme in ("http", "https"):
            return spec
        spec = Path(spec)
    if config.file is None:
        return spec.name
    try:
        return spec.resolve().relative_to(config.root.resolve()).as_posix()
    except ValueError:
        return spec.name
