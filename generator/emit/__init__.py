"""Rendering: the client plan as files. ``render`` holds the file plan (output path → template +
view) and the Jinja environment; the other modules turn plan facts into what templates print
(signatures, import blocks, the ``types`` modules, the docs' facts)."""
