from django.apps import AppConfig, apps
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "foreign_affairs.areas"
    label = "areas"
    verbose_name = _("Service areas")

    def ready(self):
        from django.conf import settings
        from django.db.models.signals import post_migrate

        from foreign_affairs import checks  # noqa: F401 (registers the portal's system checks)
        from foreign_affairs.celery import app as celery_app

        from .registry import all_areas

        autodiscover_modules("area")
        areas = all_areas()
        # Periodic jobs: the shared ones declared in settings, then each area's.
        celery_app.conf.beat_schedule = {
            **settings.CELERY_BEAT_SCHEDULE,
            **{
                job.name: {"task": job.task, "schedule": job.schedule}
                for area in areas
                for job in area.periodic
            },
        }
        # drf-spectacular reads its settings when it first builds the schema, after start-up.
        settings.SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
            {name: choices for area in areas for name, choices in area.api_enums.items()}
        )
        for area in areas:
            if area.after_migrate is not None:
                post_migrate.connect(
                    area.after_migrate,
                    sender=apps.get_app_config(area.name),
                    dispatch_uid=f"areas.after_migrate.{area.name}",
                )
