from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("sandbox", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="accountchoice",
            name="key",
            field=models.CharField(db_index=True, default="", max_length=300),
        ),
    ]
