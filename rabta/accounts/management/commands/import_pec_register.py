from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rabta.accounts.services import pec_register_import
from rabta.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Import the PEC register from a CSV file (pec_number, discipline, status); all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        if not path.is_file():
            raise CommandError(f"No file at {path}")
        try:
            result = pec_register_import(actor=None, content=path.read_bytes())
        except DomainError as error:
            raise CommandError("\n".join([error.message, *error.fields.get("file", [])])) from error
        if result.already_imported:
            self.stdout.write("This exact file was imported before; nothing changed.")
            return
        self.stdout.write(
            f"{result.row_count} rows: {result.created} new, {result.updated} changed, "
            f"{result.unchanged} unchanged; {result.verified} engineers verified, "
            f"{result.rejected} rejected as not current."
        )
