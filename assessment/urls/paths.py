"""Routes built the same way in several areas."""

from collections.abc import Callable

from django.http import HttpResponse
from django.urls import URLPattern, path


def on_one(**views: Callable[..., HttpResponse]) -> list[URLPattern]:
    """Pages and actions on one object, each at `<int:pk>/<its name>/` and named so."""
    return [path(f"<int:pk>/{name}/", view, name=name) for name, view in views.items()]
