"""The embedded broker: Celery messages as files in a folder, so the web server, the worker and
beat share a queue with no server to install.  With ``REDIS_URL`` set, Redis carries them
instead (see the settings); the tasks and the code that sends them are the same.

Kombu's file-system transport writes a message into its final name, so a worker listing the
folder at that moment could read half a message.  This transport writes it under a name the
reader skips and renames it into place, which is atomic on one file system.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from queue import Empty
from time import monotonic
from typing import Any

from kombu.transport import TRANSPORT_ALIASES, filesystem
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

ALIAS = "rabtafs"


class Channel(filesystem.Channel):
    # kombu's two base classes name the second parameter differently
    def _put(self, queue: Any, message: Any, **kwargs: Any) -> None:  # type: ignore[override]
        name = f"{round(monotonic() * 1000):015d}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = f"{final}.part"  # "<queue>.msg.part" is no queue's name: readers skip it
        with open(partial, "wb") as handle:
            handle.write(str_to_bytes(dumps(message)))
        os.replace(partial, final)

    def _get(self, queue: Any, timeout: Any = None) -> Any:
        """Claim the oldest message of ``queue`` by renaming it into the claimed folder (only
        one reader's rename can succeed), then read and delete it."""
        wanted = f"{queue}.msg"
        for name in sorted(os.listdir(self.data_folder_in)):
            if name.partition(".")[2] != wanted:
                continue
            claimed = os.path.join(self.processed_folder, name)
            try:
                os.rename(os.path.join(self.data_folder_in, name), claimed)
            except OSError:
                continue  # another reader took it
            try:
                with open(claimed, "rb") as handle:
                    payload = handle.read()
            finally:
                os.remove(claimed)
            return loads(bytes_to_str(payload))
        raise Empty()


class Transport(filesystem.Transport):
    Channel = Channel


def folders(root: Path) -> dict[str, str | float]:
    """The transport options for a broker kept under ``root`` (created if missing)."""
    queue, control, processed = root / "queue", root / "control", root / "processed"
    for folder in (queue, control, processed):
        folder.mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "control_folder": str(control),
        "processed_folder": str(processed),  # claimed messages, on the same file system
        "polling_interval": 0.2,
    }


TRANSPORT_ALIASES.setdefault(ALIAS, "rabta.core.broker:Transport")
