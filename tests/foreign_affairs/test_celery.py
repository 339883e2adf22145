"""The Celery app: JSON only, late acknowledgement, time limits, beat schedule in code."""

from foreign_affairs.celery import app


def test_configuration_comes_from_settings():
    conf = app.conf
    assert conf.accept_content == ["json"] and conf.task_serializer == "json"
    assert conf.task_acks_late is True and conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit


def test_every_beat_job_names_a_registered_task():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert scheduled == {
        "notifications.retry_pending",
        "audit.verify_chain",
        "audit.write_checkpoint",
        "approvals.send_reminders",
        "approvals.close_disclosures",
        "apec_cards.expire_cards",
        "apec_cards.send_expiry_reminders",
        "reports.cleanup",
        "overseas_safety.escalate_unacknowledged",
        "foreign_offices.send_report_reminders",
        "foreign_offices.retry_case_messages",
        "projects.retry_interest_messages",
        "exchanges.retry_media_messages",
        "training.send_reminders",
        "training.retry_messages",
        "privacy.apply_retention",
    }
    assert scheduled <= set(app.tasks)


def test_tasks_are_late_acknowledged_and_named_explicitly():
    app.loader.import_default_modules()
    ours = {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}
    assert set(ours) >= {
        "notifications.deliver",
        "notifications.retry_pending",
        "audit.verify_chain",
        "approvals.send_reminders",
    }
    assert all(task.acks_late for task in ours.values())


def test_each_worker_process_loads_the_pdf_fonts_when_it_starts(monkeypatch):
    from celery.signals import worker_process_init

    from foreign_affairs.documents import pdf

    monkeypatch.setattr(pdf, "_base_css", None)
    monkeypatch.setattr(pdf, "_font_config", None)
    worker_process_init.send(sender="celery@test")
    assert pdf._base_css is not None and pdf._font_config is not None


def test_a_worker_for_every_queue_consumes_the_default_and_each_routed_queue():
    from foreign_affairs.celery import queues

    assert queues() == ["celery", "exports", "notifications", "pdf"]
