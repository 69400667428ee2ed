"""Generated resources; see the client class for the entry points."""
