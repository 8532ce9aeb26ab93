from django.urls import path

from . import views

urlpatterns = [
    path("availability/", views.AvailabilityApi.as_view(), name="api-availability"),
    path("reservations/", views.ReservationsApi.as_view(), name="api-reservations"),
    path("reservations/<str:code>/", views.ReservationDetailApi.as_view(), name="api-reservation"),
    path(
        "reservations/<str:code>/cancel/", views.ReservationCancelApi.as_view(),
        name="api-reservation-cancel",
    ),
]
