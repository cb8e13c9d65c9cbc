from decimal import Decimal

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0004_product_code_validators'),
    ]

    operations = [
        # existing products keep the one rate every sale applied until now (18 %)
        migrations.AddField(
            model_name='product',
            name='tax_rate',
            field=models.DecimalField(decimal_places=4, default=Decimal('0.1800'), max_digits=5),
        ),
        migrations.AddConstraint(
            model_name='product',
            constraint=models.CheckConstraint(condition=models.Q(('tax_rate__gte', 0), ('tax_rate__lte', 1)),
                                              name='product_tax_rate_0_to_1'),
        ),
    ]
