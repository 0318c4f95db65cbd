from django.urls import path

from . import views

urlpatterns = [
    path("apply/", views.apply, name="membership_apply"),
    path("applications/<int:pk>/certificate/", views.certificate_scan, name="membership_certificate_scan"),
]
