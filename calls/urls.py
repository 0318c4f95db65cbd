from django.urls import path

from . import views

app_name = "calls"

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.submission_form, name="form"),
    path("<int:pk>/for/<int:organisation>/", views.submission_form, name="form_for"),
    path("submissions/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("submissions/<int:pk>/consent/", views.consent, name="consent"),
    path("submissions/<int:pk>/files/<slug:key>/", views.submission_file, name="file"),
    path("submissions/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("<int:pk>/objection/", views.objection, name="objection"),
]
