"""File names derived from data values.

A branch name from a bank's export ("Shanghai/Pudong", "..", "分行 01") must
never become a raw path. :func:`branch_slug` turns it into a safe, unique,
stable file name.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def branch_slug(branch_id: object) -> str:
    """Return a safe file-name stem for a branch id.

    The stem keeps the ASCII letters, digits, ``-`` and ``_`` of the id (at
    most 40) and ends with 8 hex digits of its SHA-256, so two ids never share
    a stem and the same id always gets the same one.

    Examples
    --------
    >>> branch_slug("B01")
    'B01-83aa0205'
    """
    text = str(branch_id)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    readable = _UNSAFE.sub("_", ascii_text).strip("_")[:40] or "branch"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return f"{readable}-{digest}"
