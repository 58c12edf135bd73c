from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Appointment


class AppointmentCountView(APIView):
    def get(self, request, format=None):
        return Response({"count": Appointment.objects.count()})
