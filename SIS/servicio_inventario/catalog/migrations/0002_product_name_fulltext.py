"""FULLTEXT index on product names: word search that stays fast on a million products."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0001_catalogue"),
    ]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE catalog_product ADD FULLTEXT INDEX product_name_fulltext (name)",
            reverse_sql="ALTER TABLE catalog_product DROP INDEX product_name_fulltext",
        ),
    ]
