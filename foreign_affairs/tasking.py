"""Queueing Celery tasks by name, after the caller's transaction commits, and the retry policy they share.

Services name the task they want ("approvals.issue_permit") instead of importing the tasks module: a
tasks module imports its services, so the services never import it back.

The task is looked up among the registered tasks and queued with `delay()`, which runs it in-process
under CELERY_TASK_ALWAYS_EAGER (the embedded default and the tests); `app.send_task()` would not: it
always publishes a message, eager or not.
"""

from django.db import transaction

from .celery import app

# Celery's own retry policy for work that may fail for a while (a full disk, a storage mount that is
# back a minute later): up to three more attempts, after 1, 2 and 4 minutes. After the last one Celery
# calls the task's `on_failure`, which keeps the reason on the record and tells the officers.
RETRY_POLICY = {
    "autoretry_for": (Exception,),
    "retry_backoff": 60,
    "retry_backoff_max": 240,
    "retry_jitter": False,
    "max_retries": 3,
}


def registered_task(name: str):
    """The task registered under `name` (NotRegistered, a KeyError, if no tasks module declares it)."""
    try:
        return app.tasks[name]
    except KeyError:
        # A web process has not imported the tasks modules: do what a worker does when it starts.
        app.loader.import_default_modules()
        return app.tasks[name]


def enqueue(task_name: str, *args) -> None:
    """Queue the task `task_name` with `args` now (run it here and now under CELERY_TASK_ALWAYS_EAGER).

    Eagerly, a task retried by RETRY_POLICY runs as its own last attempt: no worker comes back in a
    minute, and a retry would reach the caller as an exception after its transaction has committed
    (the officer's approval would answer 500). Its failure goes to the task's `on_failure` instead.
    """
    task = registered_task(task_name)
    if app.conf.task_always_eager and getattr(task, "autoretry_for", ()):
        task.apply(args, retries=task.max_retries, throw=False)
    else:
        task.delay(*args)


def enqueue_on_commit(task_name: str, *args) -> None:
    """Queue the task `task_name` with `args` once the current transaction commits (never if it rolls back)."""
    transaction.on_commit(lambda: enqueue(task_name, *args))
