"""Views of the branches API: thin, the work is in services and selectors."""
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from sis_common.auth.permissions import ReadAnyWriteRoles, require_branch, visible_branches

from . import selectors, services
from .serializers import BranchFilterSerializer, BranchSerializer


@extend_schema_view(list=extend_schema(parameters=[BranchFilterSerializer]))
class BranchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Everyone signed in reads the branches of their scope; only admins write."""

    permission_classes = [ReadAnyWriteRoles]
    write_roles = ("admin",)
    serializer_class = BranchSerializer

    def get_queryset(self):
        if self.action != "list":
            return selectors.branch_list()
        filters = BranchFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.branch_list(**filters.validated_data, visible=visible_branches(self.request))

    def get_object(self):
        branch = super().get_object()
        require_branch(self.request, branch.pk)
        return branch

    def create(self, request):
        serializer = BranchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k != "is_active"}
        return Response(BranchSerializer(services.branch_create(**data)).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        current = self.get_object()
        serializer = BranchSerializer(current, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        branch = services.branch_update(branch_id=current.pk, **serializer.validated_data)
        return Response(BranchSerializer(branch).data)

    def destroy(self, request, pk=None):
        services.branch_deactivate(branch_id=self.get_object().pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
