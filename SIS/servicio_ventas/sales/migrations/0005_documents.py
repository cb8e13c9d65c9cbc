# Legal document numbers of sales and credit notes of returns, and the customer of a sale.

from django.db import migrations, models


def _document_fields(model_name: str) -> list:
    return [
        migrations.AddField(model_name=model_name, name="document_series",
                            field=models.CharField(blank=True, max_length=10, null=True)),
        migrations.AddField(model_name=model_name, name="document_sequence",
                            field=models.PositiveIntegerField(blank=True, null=True)),
        migrations.AddField(model_name=model_name, name="document_number",
                            field=models.CharField(blank=True, max_length=24, null=True)),
    ]


class Migration(migrations.Migration):

    dependencies = [
        ('sales', '0004_pos_taxes_discounts'),
    ]

    operations = [
        migrations.CreateModel(
            name='DocumentCounter',
            fields=[
                ('series', models.CharField(max_length=10, primary_key=True, serialize=False)),
                ('last_sequence', models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.AddField(
            model_name='sale',
            name='customer_id',
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='sale',
            name='document_type',
            field=models.CharField(choices=[('receipt', 'Receipt'), ('invoice', 'Invoice')], default='receipt',
                                   max_length=10),
        ),
        *_document_fields('sale'),
        *_document_fields('salereturn'),
        migrations.AddField(
            model_name='salereturn',
            name='referenced_document',
            field=models.CharField(blank=True, max_length=24, null=True),
        ),
        migrations.AddConstraint(
            model_name='sale',
            constraint=models.UniqueConstraint(fields=('document_series', 'document_sequence'),
                                               name='sale_document_number'),
        ),
        migrations.AddConstraint(
            model_name='salereturn',
            constraint=models.UniqueConstraint(fields=('document_series', 'document_sequence'),
                                               name='return_document_number'),
        ),
    ]
