"""English word rules the default names use: singular forms and the verbs that name actions.

The vocabulary is general REST practice (the words API designers put at the end of a path to
say "do this" rather than "these things"), never one API's names.
"""

from __future__ import annotations

import functools

ACTION_VERBS = frozenset(
    {
        "accept",
        "acknowledge",
        "activate",
        "add",
        "analyze",
        "annotate",
        "apply",
        "approve",
        "archive",
        "assign",
        "attach",
        "authenticate",
        "authorize",
        "batch",
        "block",
        "build",
        "calculate",
        "cancel",
        "capture",
        "charge",
        "check",
        "checkout",
        "claim",
        "classify",
        "clear",
        "clone",
        "close",
        "compact",
        "compare",
        "complete",
        "compute",
        "confirm",
        "connect",
        "convert",
        "copy",
        "count",
        "create",
        "deactivate",
        "decline",
        "delete",
        "deploy",
        "detach",
        "disable",
        "disconnect",
        "dismiss",
        "download",
        "duplicate",
        "edit",
        "enable",
        "end",
        "enrich",
        "enroll",
        "estimate",
        "evaluate",
        "execute",
        "expire",
        "export",
        "extend",
        "extract",
        "fetch",
        "finalize",
        "find",
        "fork",
        "generate",
        "get",
        "grant",
        "hangup",
        "import",
        "ingest",
        "initiate",
        "invalidate",
        "invite",
        "join",
        "leave",
        "link",
        "list",
        "load",
        "lock",
        "login",
        "logout",
        "mark",
        "merge",
        "move",
        "mute",
        "notify",
        "pause",
        "ping",
        "post",
        "predict",
        "preview",
        "process",
        "publish",
        "purge",
        "query",
        "read",
        "reboot",
        "recover",
        "redeem",
        "refer",
        "refresh",
        "refund",
        "register",
        "reject",
        "release",
        "reload",
        "remix",
        "remove",
        "rename",
        "render",
        "renew",
        "reopen",
        "reorder",
        "replace",
        "replay",
        "request",
        "rerun",
        "reset",
        "resend",
        "resolve",
        "restart",
        "restore",
        "resume",
        "retry",
        "reverse",
        "revoke",
        "rotate",
        "run",
        "save",
        "schedule",
        "scan",
        "search",
        "send",
        "set",
        "share",
        "sign",
        "simulate",
        "skip",
        "sort",
        "split",
        "start",
        "stop",
        "submit",
        "subscribe",
        "summarize",
        "suspend",
        "sync",
        "test",
        "toggle",
        "track",
        "transfer",
        "transition",
        "translate",
        "trigger",
        "unarchive",
        "unassign",
        "unblock",
        "undo",
        "uninstall",
        "unlink",
        "unlock",
        "unmute",
        "unpublish",
        "unsubscribe",
        "unsuspend",
        "update",
        "upgrade",
        "upload",
        "upsert",
        "validate",
        "verify",
        "void",
        "wait",
        "watch",
    }
)
"""Verbs that, as the first word of a path's last segment, make it an action
(``/runs/{id}/cancel``, ``/fine-tunes/estimate-price``) rather than a collection."""

NOUN_VERBS = frozenset(
    {
        "batch",
        "build",
        "charge",
        "check",
        "copy",
        "count",
        "export",
        "import",
        "link",
        "login",
        "logout",
        "post",
        "process",
        "query",
        "refund",
        "release",
        "request",
        "schedule",
        "search",
        "set",
        "test",
        "track",
        "transfer",
        "update",
    }
)
"""Action verbs that also start compound nouns (``login_links``, ``search_results``): as the
first of several words they name a collection; alone (``/login``) they are still actions."""

CONNECTIVES = frozenset({"and", "or", "by", "for", "of", "with", "to", "from", "in", "on", "at"})
"""Words a name cannot end in: stripping a noun that follows one would leave half a phrase."""

_IRREGULAR = {
    "people": "person",
    "children": "child",
    "men": "man",
    "women": "woman",
    "mice": "mouse",
    "geese": "goose",
    "feet": "foot",
    "teeth": "tooth",
    "indices": "index",
    "matrices": "matrix",
    "vertices": "vertex",
    "analyses": "analysis",
    "criteria": "criterion",
}
_INVARIANT = frozenset(
    {"data", "media", "news", "series", "species", "status", "metadata", "settings", "analytics"}
)


@functools.lru_cache(maxsize=8192)
def singular(word: str) -> str:
    """``policies`` → ``policy``, ``batches`` → ``batch``, ``files`` → ``file``; a word that
    does not look plural is returned as it is."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word in _INVARIANT or len(word) < 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zzes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "os")):
        return word[:-1]
    return word


def same_noun(a: str, b: str) -> bool:
    """Whether two words name the same thing, singular or plural (``file`` / ``files``)."""
    return a == b or singular(a) == singular(b)
