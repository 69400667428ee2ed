"""A minimal keep-alive HTTP/1.1 server on 127.0.0.1 for the per-call benchmarks.

Every request gets the same small ``TaskRun`` JSON body, so the server's own cost is constant
and small next to the client's. Runs in its own process (``python bench/server.py``); prints
the port on stdout, then serves until stdin closes or it is terminated.
"""

from __future__ import annotations

import asyncio
import json
import sys

TASK_RUN = {
    "run_id": "trun_0123456789abcdef",
    "interaction_id": "trun_0123456789abcdef",
    "status": "completed",
    "is_active": False,
    "warnings": None,
    "error": None,
    "processor": "base",
    "metadata": {"team": "bench", "attempt": 1},
    "taskgroup_id": None,
    "created_at": "2025-01-01T00:00:00Z",
    "modified_at": "2025-01-01T00:00:05Z",
}
BODY = json.dumps(TASK_RUN).encode()
RESPONSE = (
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
    + f"content-length: {len(BODY)}\r\n\r\n".encode()
    + BODY
)


async def _serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:].strip())
            if length:
                await reader.readexactly(length)
            writer.write(RESPONSE)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def _main() -> None:
    server = await asyncio.start_server(_serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    print(port, flush=True)
    loop = asyncio.get_running_loop()
    # Stop when the parent closes our stdin (or dies): no orphaned server.
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


if __name__ == "__main__":
    asyncio.run(_main())
