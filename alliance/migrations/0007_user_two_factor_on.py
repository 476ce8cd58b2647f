from django.db import migrations, models


def mark_users_with_an_app(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    User = apps.get_model("alliance", "User")
    with_app = TOTPDevice.objects.filter(confirmed=True).values("user_id")
    User.objects.filter(pk__in=with_app).update(two_factor_on=True)


class Migration(migrations.Migration):
    dependencies = [
        ("alliance", "0006_patient_name_order_index"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="two_factor_on",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(mark_users_with_an_app, migrations.RunPython.noop),
    ]
