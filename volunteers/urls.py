"""The volunteer section's own URLs beside its pages (/volunteer/ and the drives and campaigns under it)."""

from django.urls import path

from . import views

app_name = "volunteers"

urlpatterns = [
    path("activities/<int:pk>/signup/", views.signup, name="signup"),
    path("activities/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("activities/<int:pk>.ics", views.activity_ics, name="activity_ics"),
    path("my/", views.my_volunteering, name="my"),
    path("my/hours/<int:signup_pk>/", views.report_hours, name="report_hours"),
    path("my/certificate.pdf", views.certificate_pdf, name="certificate"),
]
