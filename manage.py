#!/usr/bin/env python
import os
import sys


def main() -> None:
    if "DJANGO_SETTINGS_MODULE" not in os.environ:
        # A checkout with no settings named is a development machine; production names
        # config.settings.prod, which never runs with DEBUG.
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
        os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
