from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_pos_pin'),
    ]

    operations = [
        migrations.AlterField(
            model_name='user',
            name='role',
            field=models.CharField(choices=[('admin', 'Administrator'), ('manager', 'Manager'), ('cashier', 'Cashier'), ('warehouse', 'Warehouse'), ('auditor', 'Auditor'), ('purchaser', 'Purchaser')], db_index=True, default='cashier', max_length=16),
        ),
    ]
