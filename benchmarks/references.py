"""The Django and DRF references, served by the product's own settings and middleware
(bench_urls.py mounts them beside hotelagent.urls):

- `/bench/django/`: a bare Django view, a fixed JSON answer and nothing else;
- `/bench/drf/`: a bare DRF `@api_view` echo, no authentication or permission:
  GET echoes the query string, POST parses the JSON body and echoes it.

The raw intake reference (no framework at all) is intake_reference.py.
"""
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.response import Response


@csrf_exempt
def django_view(request):
    return JsonResponse({"status": "ok"})


@api_view(["GET", "POST"])
@authentication_classes([])
@permission_classes([])
def drf_echo(request):
    if request.method == "GET":
        return Response({"echo": request.query_params.dict()})
    return Response({"echo": request.data})
