"""File hashing for manifest entries."""

import hashlib
from pathlib import Path


def sha256_of_file(path: Path) -> str:
    """Return the lower-case hex SHA-256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
