"""One occurrence row per existing live event (all of them are one-off before recurrence)."""

from django.db import migrations


def fill(apps, schema_editor):
    EventPage = apps.get_model("events", "EventPage")
    EventOccurrence = apps.get_model("events", "EventOccurrence")
    rows = []
    for event in EventPage.objects.filter(live=True).only("pk", "start", "end").iterator():
        rows.append(
            EventOccurrence(
                event_id=event.pk, recurrence_id=event.start, start=event.start, end=event.end
            )
        )
    EventOccurrence.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    EventPage.objects.filter(last_end__isnull=True).update(last_end=models_end())


def models_end():
    from django.db.models import F

    return F("end")


class Migration(migrations.Migration):
    dependencies = [("events", "0004_recurrence")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
