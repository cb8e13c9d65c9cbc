from decimal import Decimal

from django.db import migrations, models

import company.models


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name='Company',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(default='E-WTTO', max_length=120)),
                ('legal_name', models.CharField(blank=True, default='', max_length=200)),
                ('tax_id', models.CharField(blank=True, default='', max_length=20)),
                ('currency', models.CharField(default='PEN', max_length=3)),
                ('prices_include_tax', models.BooleanField(default=True)),
                ('default_tax_rate', models.DecimalField(decimal_places=4, default=Decimal('0.1800'), max_digits=5)),
                ('return_days', models.PositiveSmallIntegerField(default=company.models.default_return_days)),
                ('discount_limit_cashier', models.DecimalField(decimal_places=2, default=Decimal('5.00'), max_digits=5)),
                ('discount_limit_manager', models.DecimalField(decimal_places=2, default=Decimal('50.00'), max_digits=5)),
                ('cash_out_limit', models.DecimalField(decimal_places=2, default=Decimal('200.00'), max_digits=12)),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name_plural': 'company',
            },
        ),
    ]
