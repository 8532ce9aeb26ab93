"""The project's URLs plus answers the request counters must tell apart."""
from django.http import HttpResponse
from django.urls import path

from hotelagent.urls import urlpatterns as project


def answer(request, status: int):
    return HttpResponse(status=status)


urlpatterns = [path("test-answer/<int:status>/", answer), *project]
