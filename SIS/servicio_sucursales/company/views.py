"""Views of the company settings: everyone signed in reads them, only admins change them."""
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from sis_common.auth.permissions import ReadAnyWriteRoles
from sis_common.openapi import errors

from . import selectors, services
from .serializers import CompanyPatchSerializer, CompanySerializer


class CompanyView(APIView):
    permission_classes = [ReadAnyWriteRoles]
    write_roles = ("admin",)

    @extend_schema(responses=CompanySerializer)
    def get(self, request):
        return Response(CompanySerializer(selectors.company_get()).data)

    @extend_schema(request=CompanyPatchSerializer(partial=True), responses={
        200: CompanySerializer, **errors(d400="Invalid settings (tax rate outside 0..1, a discount limit outside "
                                              "0..100 or the cashier's above the manager's, a bad currency); "
                                              "nothing is stored.",
                                         d403="Only administrators change the company settings.")})
    def patch(self, request):
        serializer = CompanyPatchSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return Response(CompanySerializer(services.company_update(**serializer.validated_data)).data)
