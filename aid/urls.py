"""The member areas of the aid section, beside its pages: /aid/my/ and /aid/cases/. A case is named
by its number, never by anything about the person."""

from django.urls import path

from . import views

app_name = "aid"

urlpatterns = [
    path("my/", views.my_cases, name="my_cases"),
    path("my/<str:number>/change/", views.request_change, name="request_change"),
    path("cases/", views.caseload, name="caseload"),
    path("cases/<str:number>/", views.case_detail, name="case"),
    path("cases/<str:number>/sessions/", views.log_session, name="log_session"),
    path("cases/<str:number>/risk/", views.raise_risk, name="raise_risk"),
]
