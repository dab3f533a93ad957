"""Every stored address in the one form that sign-in and password reset now look up by
equality (accounts.models.normalise_email: stripped, lower case). Addresses were already
stored so by the model's clean() and the manager; this catches any saved around them."""

from django.db import migrations


def normalise(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for pk, email in User.objects.values_list("pk", "email").iterator():
        # The same rule as accounts.models.normalise_email, as it stands today.
        wanted = email.strip().lower()
        if wanted != email:
            User.objects.filter(pk=pk).update(email=wanted)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_labels_translatable")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
