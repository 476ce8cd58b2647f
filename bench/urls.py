from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/floor/", views.floor, name="bench_floor"),
    path("", include("alliance.urls")),
]
