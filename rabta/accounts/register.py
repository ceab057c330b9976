"""Matching a person to the council's register without storing registered names."""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

from django.conf import settings

# Titles people put before their names that the register does not carry.
_TITLES = {"engr", "engineer", "eng", "dr", "mr", "mrs", "ms", "miss", "prof", "sir", "madam"}


def name_tokens(name: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", name or "").casefold()
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    words = re.findall(r"[^\W\d_]+", folded)
    return sorted(word for word in words if word not in _TITLES)


def name_digest(name: str) -> str:
    """A keyed digest of a name, the same for "Engr. Ali RAZA" and "raza ali"; empty for a
    name with no letters."""
    tokens = name_tokens(name)
    if not tokens:
        return ""
    key = settings.REGISTER_NAME_KEY.encode()
    return hmac.new(key, " ".join(tokens).encode(), hashlib.sha256).hexdigest()
