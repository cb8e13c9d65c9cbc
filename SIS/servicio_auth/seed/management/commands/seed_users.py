"""`manage.py seed_users --branches FILE --out FILE`: staff of the seeded branches (bin/seed-data)."""
from django.core.management.base import BaseCommand

from seed.users import seed_users_ensure
from sis_common.seeding import read_json, refuse_production, write_json


class Command(BaseCommand):
    help = "Ensure a manager, a warehouse clerk and cashiers per branch, and auditors (bin/seed-data)."

    def add_arguments(self, parser):
        parser.add_argument("--branches", required=True, help="JSON [{id, code}] from seed_branches")
        parser.add_argument("--cashiers-per-branch", type=int, default=3)
        parser.add_argument("--auditors", type=int, default=2)
        parser.add_argument("--password-file", required=True, help="the password every seeded user gets")
        parser.add_argument("--out", required=True)

    def handle(self, *args, **options):
        refuse_production()
        with open(options["password_file"]) as fh:
            password = fh.read().strip()
        users = seed_users_ensure(branches=read_json(options["branches"]),
                                  cashiers_per_branch=options["cashiers_per_branch"], auditors=options["auditors"],
                                  password=password)
        write_json(options["out"], users)
        self.stdout.write(f"  users: {len(users)} seeded staff (password in {options['password_file']})")
