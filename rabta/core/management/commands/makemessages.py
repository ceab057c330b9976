"""makemessages that also extracts ``N_("...")``: the engine marks its English messages with
that no-op (it cannot import Django), and the pages translate them."""

from django.core.management.commands.makemessages import Command as MakeMessages


class Command(MakeMessages):
    xgettext_options = [*MakeMessages.xgettext_options, "--keyword=N_"]
