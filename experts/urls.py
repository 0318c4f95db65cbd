from django.urls import path

from . import views

app_name = "experts"

urlpatterns = [
    path("", views.directory_view, name="directory"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/photo/", views.photo, name="photo"),
    path("apply/", views.apply, name="apply"),
    path("apply/withdraw/", views.application_withdraw, name="withdraw"),
    path("applications/<int:pk>/<str:kind>/", views.application_file, name="application_file"),
    path("applications/<int:pk>/<str:kind>/<int:item>/", views.application_file, name="application_file"),
    path("profile/", views.profile, name="profile"),
    path("profile/photo/", views.profile_photo, name="profile_photo"),
    path("changes/<int:pk>/photo/", views.change_photo, name="change_photo"),
    path("batches/<int:number>/objection/", views.objection, name="objection"),
]
