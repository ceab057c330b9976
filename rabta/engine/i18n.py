"""Marking engine messages for translation without importing Django.

The engine returns codes with English text; the page that shows the text translates it with
gettext.  ``N_`` only marks a literal so that ``makemessages --keyword=N_`` extracts it.
"""


def N_(message: str) -> str:  # noqa: N802 - the conventional name for a no-op gettext marker
    return message
