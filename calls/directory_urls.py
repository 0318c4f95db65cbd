from django.urls import path

from . import views

app_name = "institutions"

urlpatterns = [
    path("", views.institutions, name="list"),
    path("<int:pk>/", views.institution, name="detail"),
]
