from django.urls import path

from . import freshness

app_name = "directory_commons"
urlpatterns = [
    path("a-jour/<str:token>/", freshness.confirm, name="confirm"),
    path("modifier/<str:token>/", freshness.change, name="change"),
]
