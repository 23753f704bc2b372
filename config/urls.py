from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("assessment.urls")),
]

handler404 = "assessment.views.errors.page_not_found"
handler500 = "assessment.views.errors.server_error"
