from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("brokenmig", "0000_missing")]
    operations: list[migrations.operations.base.Operation] = []
