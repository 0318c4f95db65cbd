"""The admin's sign-in address, answered by the site's own login (included at /admin/login/ by portal/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [path("", views.admin_login, name="wagtailadmin_login")]
