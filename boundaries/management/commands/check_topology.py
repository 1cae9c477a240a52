from django.core.management.base import BaseCommand

from boundaries.topology import run_checks


class Command(BaseCommand):
    help = ("Checks the whole city's topology: gaps and overlaps between sibling areas, areas sticking out of their "
            "parent, lines off their edge, markers off their line; keeps what it finds for the report and the layer.")

    def handle(self, *args, **options):
        report = run_checks()
        for kind, count in sorted(report.counts.items()):
            self.stdout.write(f"{kind}: {count}")
        self.stdout.write(f"total: {report.total}")
