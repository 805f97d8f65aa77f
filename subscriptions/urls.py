"""/abonnement/ in each language (included in config/urls.py's i18n_patterns)."""

from django.urls import path

from . import views

app_name = "subscriptions"
urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
