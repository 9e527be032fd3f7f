"""Old WordPress permalinks, redirected for good to the articles they became.

Included last in the root URLconf: ``<str:slug>/`` matches any one-segment path, so every
other address must be tried first.
"""

from django.urls import path

from wordpress import views

app_name = "wordpress"

urlpatterns = [
    path(
        "<int:year>/<int:month>/<int:day>/<str:slug>/",
        views.wordpress_permalink_redirect,
        name="day-permalink",
    ),
    path(
        "<int:year>/<int:month>/<str:slug>/",
        views.wordpress_permalink_redirect,
        name="month-permalink",
    ),
    path("<str:slug>/", views.wordpress_permalink_redirect, name="permalink"),
]
