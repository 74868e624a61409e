"""The ``liuhen`` command: Django's manage.py under the project's own name."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liuhen.settings")
    from django.core.management import execute_from_command_line

    args = list(argv if argv is not None else sys.argv)
    # Commands are spelt with hyphens on the command line (`liuhen seed-demo`);
    # their modules use underscores.
    if len(args) > 1 and "-" in args[1] and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
