"""A customer's sales (servicio_clientes' history through GET /internal/sales/?customer=), keyset-paged by id."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("sales", "0006_line_cost_category")]

    operations = [
        migrations.AddIndex(
            model_name="sale",
            index=models.Index(fields=["customer_id", "status", "id"], name="sale_customer_status"),
        ),
    ]
