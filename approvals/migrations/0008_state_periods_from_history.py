"""Rebuild the stays in each state of existing applications from their audit events (each state change
is an event with from_state and to_state)."""

from django.db import migrations


def backfill(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    TravelApplication = apps.get_model("approvals", "TravelApplication")
    StatePeriod = apps.get_model("approvals", "StatePeriod")
    content_type = ContentType.objects.filter(app_label="approvals", model="travelapplication").first()
    if content_type is None:
        return
    events = (
        AuditEvent.objects.filter(content_type=content_type)
        .exclude(to_state="")
        .order_by("object_id", "id")
        .values_list("object_id", "to_state", "created_at")
    )
    due = dict(TravelApplication.objects.values_list("pk", "due_on"))
    periods, previous = [], None
    for object_id, state, at in events.iterator(chunk_size=5000):
        if not object_id.isdigit() or int(object_id) not in due:
            continue
        application = int(object_id)
        if previous is not None and previous.application_id == application:
            previous.left_at = at
        periods.append(StatePeriod(application_id=application, state=state, entered_at=at))
        previous = periods[-1]
    for period in periods:
        if period.left_at is None:
            period.due_on = due[period.application_id]
    StatePeriod.objects.bulk_create(periods, batch_size=5000)


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0007_state_periods"),
        ("audit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
