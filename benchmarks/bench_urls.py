"""The product's URLconf plus the references under /bench/: benchmark processes
select it (settings.ROOT_URLCONF = "bench_urls", benchmarks/ on sys.path); the
product's settings do not read ROOT_URLCONF from the environment."""
from django.urls import include, path
from references import django_view, drf_echo

urlpatterns = [
    path("bench/django/", django_view),
    path("bench/drf/", drf_echo),
    path("", include("hotelagent.urls")),
]

handler404 = "hotelagent.routing.not_found"
handler500 = "hotelagent.routing.server_error"
