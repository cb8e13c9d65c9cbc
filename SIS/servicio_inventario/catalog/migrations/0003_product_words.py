"""Name search by an index of the names' words, walked in product order, instead of the FULLTEXT index.

A FULLTEXT match reads every product holding each word before it can order
and cut the page, so its cost grows with the catalogue; the word index reads
one page's worth. Existing products get their words here, in batches.
"""
import re

import django.db.models.deletion
from django.db import migrations, models

BATCH = 5000
_WORD = re.compile(r"\w+", re.UNICODE)


def index_existing_names(apps, schema_editor):
    # the rule of catalog.words.name_words, frozen here as migrations must be
    Product = apps.get_model("catalog", "Product")
    ProductWord = apps.get_model("catalog", "ProductWord")
    last = 0
    while True:
        batch = list(Product.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "name")[:BATCH])
        if not batch:
            return
        ProductWord.objects.bulk_create(
            [ProductWord(word=w, product_id=pk) for pk, name in batch
             for w in {w[:64] for w in _WORD.findall(name.lower()) if len(w) >= 3}],
            ignore_conflicts=True, batch_size=BATCH)
        last = batch[-1][0]


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0002_product_name_fulltext'),
    ]

    operations = [
        migrations.CreateModel(
            name='ProductWord',
            fields=[
                ('pk', models.CompositePrimaryKey('word', 'product', blank=True, editable=False, primary_key=True, serialize=False)),
                ('word', models.CharField(max_length=64)),
                ('product', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalog.product')),
            ],
            options={
                'indexes': [models.Index(fields=['product', 'word'], name='product_word_by_product')],
            },
        ),
        migrations.RunPython(index_existing_names, migrations.RunPython.noop),
        migrations.RunSQL(
            "ALTER TABLE catalog_product DROP INDEX product_name_fulltext",
            reverse_sql="ALTER TABLE catalog_product ADD FULLTEXT INDEX product_name_fulltext (name)",
        ),
    ]
