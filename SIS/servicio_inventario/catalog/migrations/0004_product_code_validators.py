"""SKU and barcode hold only the characters the API allows, in the admin too (no schema change)."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0003_product_words'),
    ]

    operations = [
        migrations.AlterField(
            model_name='product',
            name='barcode',
            field=models.CharField(blank=True, max_length=64, null=True, unique=True, validators=[django.core.validators.RegexValidator('^[A-Za-z0-9-]{1,64}$', 'Letters, digits and - only, at most 64.')]),
        ),
        migrations.AlterField(
            model_name='product',
            name='sku',
            field=models.CharField(max_length=64, unique=True, validators=[django.core.validators.RegexValidator('^[A-Za-z0-9._/-]{1,64}$', 'Letters, digits and . _ / - only, at most 64.')]),
        ),
    ]
