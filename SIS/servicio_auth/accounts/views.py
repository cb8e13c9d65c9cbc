"""Views of the auth API: thin, the work is in services and selectors."""
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from sis_common.auth.permissions import AdminOnly
from sis_common.auth.roles import ALL_BRANCHES_ROLES
from sis_common.sucursales_client import branch_get
from sis_common.openapi import errors

from . import selectors, services
from .serializers import (
    MeSerializer, PasswordChangeSerializer, PinSetSerializer, RefreshSerializer, TokenObtainSerializer,
    TokenPairSerializer, UserCreateSerializer, UserFilterSerializer, UserSerializer, UserUpdateSerializer,
)


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class TokenObtainView(APIView):
    # no bearer check here: a client holding an expired access token must still be able to sign in
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(request=TokenObtainSerializer, responses={
        200: TokenPairSerializer, **errors(d401="Wrong username or password, or the user is disabled.",
                                           d429="Locked out after repeated failures; retry after Retry-After.")})
    def post(self, request):
        data = _valid(TokenObtainSerializer, request.data)
        # axes marks the Django request (lockout state), not DRF's wrapper
        pair = services.token_obtain(request=request._request, **data)
        return Response(pair)


class TokenRefreshView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(request=RefreshSerializer, responses={
        200: TokenPairSerializer, **errors(d401="The refresh token is invalid, expired or already used.",
                                           d429="Too many refreshes from this address; retry after Retry-After.")})
    def post(self, request):
        return Response(services.token_refresh(raw=_valid(RefreshSerializer, request.data)["refresh"]))


class LogoutView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=RefreshSerializer, responses={204: None})
    def post(self, request):
        services.token_logout(raw=_valid(RefreshSerializer, request.data)["refresh"], user_id=request.user.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class PasswordChangeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=PasswordChangeSerializer, responses={
        204: None, **errors(d429="Locked out after repeated wrong old passwords; retry after Retry-After.")})
    def post(self, request):
        services.user_password_change(request=request._request, user_id=request.user.pk,
                                      **_valid(PasswordChangeSerializer, request.data))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PinSetView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=PinSetSerializer, responses={
        204: None, **errors(d400="Invalid PIN (4 to 8 digits) or wrong password (`wrong_password`).",
                            d429="Locked out after repeated wrong passwords; retry after Retry-After.")})
    def post(self, request):
        services.user_own_pin_set(request=request._request, user_id=request.user.pk,
                                  **_valid(PinSetSerializer, request.data))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(list=extend_schema(parameters=[UserFilterSerializer]))
class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [AdminOnly]
    serializer_class = UserSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        if self.action != "list":
            return selectors.user_list()
        return selectors.user_list(**_valid(UserFilterSerializer, self.request.query_params))

    @extend_schema(request=UserCreateSerializer, responses={201: UserSerializer})
    def create(self, request):
        fields = _valid(UserCreateSerializer, request.data)
        _check_branches(fields.get("role"), fields.get("branches"))
        user = services.user_create(**fields)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=UserUpdateSerializer, responses=UserSerializer)
    def partial_update(self, request, pk=None):
        current = self.get_object()
        fields = _valid(UserUpdateSerializer, request.data)
        _check_branches(fields.get("role", current.role), fields.get("branches"), current.branches)
        user = services.user_update(user_id=current.pk, acting_user_id=request.user.pk, **fields)
        return Response(UserSerializer(user).data)


def _check_branches(role: str | None, branches: list[int] | None, current: frozenset[int] = frozenset()) -> None:
    """400 unknown_branch / inactive_branch for a branch newly given to a user, asked of servicio_sucursales.

    Branches the user already has are not asked again: one deactivated since stays until it is taken away.
    Admins and auditors keep no branches, so theirs are not asked either.
    """
    if role in ALL_BRANCHES_ROLES or not branches:
        return
    for branch in sorted(set(branches) - set(current)):
        branch_get(branch, field="branches")
