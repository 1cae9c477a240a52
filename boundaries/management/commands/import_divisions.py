from django.core.management.base import BaseCommand, CommandError

from boundaries.services import import_divisions
from gis.errors import DimingError


class Command(BaseCommand):
    help = ("Imports an official division code list (CSV with columns code, name, level, parent_code; "
            "optional urban_rural_code). Reports every rejected row.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--commit", choices=["all", "valid"], default="all",
                            help="all: import nothing if any row is rejected (default); valid: import the valid rest")
        parser.add_argument("--encoding", default="auto", help="auto (UTF-8, else GBK/GB18030), utf-8, gbk, gb18030")
        parser.add_argument("--dry-run", action="store_true", help="check the file, write nothing")

    def handle(self, *args, file, commit, encoding, dry_run, **options):
        try:
            report = import_divisions(file, commit=commit, encoding=encoding, dry_run=dry_run)
        except (DimingError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        for note in report.notes:
            self.stdout.write(note)
        for problem in report.problems:
            self.stderr.write(str(problem))
        summary = (f"共 {report.total} 行，有效 {report.accepted} 行，拒绝 {len(report.rejected_rows)} 行；"
                   f"新增 {report.created}，更新 {report.updated}，未变 {report.unchanged}。")
        if report.committed:
            self.stdout.write(self.style.SUCCESS("已导入。" + summary))
        elif dry_run:
            self.stdout.write("试运行，未写入。" + summary)
        elif report.problems:
            raise CommandError("未导入任何数据：" + summary + " 改正错误后重试，或用 --commit valid 导入其余有效行。")
        else:
            self.stdout.write("文件中没有数据行。")
