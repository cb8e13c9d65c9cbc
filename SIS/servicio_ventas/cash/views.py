"""Views of the cash-session API: open, list, see, close."""
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from sales.permissions import RoleAccess
from sis_common import sucursales_client
from sis_common.auth.permissions import CASHIER, require_branch, role_of, visible_branches
from sis_common.idempotency.execution import request_key, run_idempotent
from sis_common.openapi import IDEMPOTENCY_KEY, errors

from . import selectors, services
from .models import CashSession
from .serializers import (
    SessionCloseSerializer, SessionCurrentSerializer, SessionFilterSerializer, SessionOpenSerializer, SessionSerializer,
)


def _shown(session: CashSession) -> dict:
    expected = {} if session.status == CashSession.Status.CLOSED else {
        session.pk: selectors.session_expected(session=session, using=session._state.db)}
    return SessionSerializer(session, context={"expected": expected}).data


@extend_schema_view(list=extend_schema(operation_id="cash_sessions_list", parameters=[SessionFilterSerializer]))
class CashSessionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [RoleAccess]
    serializer_class = SessionSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        filters = SessionFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        params = filters.validated_data
        # cashiers see their own sessions; others what their branch scope covers
        own = int(self.request.user.id) if role_of(self.request) == CASHIER else params.get("cashier")
        return selectors.session_list(branches=visible_branches(self.request), user_id=own,
                                      branch=params.get("branch"), status=params.get("status"))

    @extend_schema(operation_id="cash_sessions_get")
    def retrieve(self, request, pk=None):
        return Response(_shown(get_object_or_404(self.get_queryset(), pk=pk)))

    @extend_schema(operation_id="cash_sessions_open", request=SessionOpenSerializer, parameters=[IDEMPOTENCY_KEY],
                   responses={201: SessionSerializer, **errors(d409="The caller already has an open session "
                                                                   "(`cash_session_open`), or the key is running.")})
    def create(self, request):
        data = SessionOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        opening = data.validated_data
        require_branch(request, opening["branch"])
        sucursales_client.branch_get(opening["branch"])  # 400 unknown_branch / inactive_branch before anything is stored
        user_id = int(request.user.id)

        def handler():
            session = services.cash_session_open(user_id=user_id, branch_id=opening["branch"],
                                                 opening_float=opening["opening_float"])
            return Response(_shown(session), status=status.HTTP_201_CREATED)

        return run_idempotent(key=request_key(request), scope=f"cash-open:{user_id}",
                              payload={k: str(v) for k, v in opening.items()}, handler=handler)

    @extend_schema(operation_id="cash_sessions_current", parameters=[SessionCurrentSerializer],
                   responses={200: SessionSerializer, **errors(d404="The caller has no open session there.")})
    @action(detail=False, methods=["get"])
    def current(self, request):
        """The caller's open session at `?branch=` (404 when there is none)."""
        filters = SessionCurrentSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        branch = filters.validated_data.get("branch")
        sessions = CashSession.objects.using("default").filter(user_id=int(request.user.id),
                                                                status=CashSession.Status.OPEN)
        if branch is not None:
            sessions = sessions.filter(branch_id=branch)
        return Response(_shown(get_object_or_404(sessions)))

    @extend_schema(operation_id="cash_sessions_close", request=SessionCloseSerializer, parameters=[IDEMPOTENCY_KEY],
                   responses={200: SessionSerializer, **errors(d409="Already closed (`cash_session_closed`), sales "
                                                                   "still pending (`cash_session_pending`), or the "
                                                                   "key is still running.")})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        data = SessionCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = get_object_or_404(CashSession.objects.using("default"), pk=pk)
        require_branch(request, session.branch_id)
        if role_of(request) == CASHIER and session.user_id != int(request.user.id):
            raise PermissionDenied("Cashiers close only their own sessions.", code="not_your_session")

        def handler():
            closed = services.cash_session_close(session_id=session.pk, closed_by=int(request.user.id),
                                                 **data.validated_data)
            return Response(_shown(closed))

        return run_idempotent(key=request_key(request), scope=f"cash-close:{session.pk}",
                              payload={k: str(v) for k, v in data.validated_data.items()}, handler=handler)
