from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = "Centricity"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the Celery tasks in every process, the web's too: the services reach
        # a report build's entry task by its name (assessment/services/report_dispatch.py).
        from . import tasks  # noqa: F401
