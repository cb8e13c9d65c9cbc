"""Views of the cash-session API: open, list, see, put cash in or pay it out, close blind, the Z report."""
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from sales.permissions import RoleAccess
from sis_common import sucursales_client
from sis_common.auth.permissions import CASHIER, require_branch, role_of, visible_branches
from sis_common.errors import DomainError
from sis_common.idempotency.execution import answer_exists, request_key, run_idempotent
from sis_common.openapi import IDEMPOTENCY_KEY, errors

from . import selectors, services, zreport
from .models import CashSession
from .serializers import (
    MovementCreateSerializer, MovementSerializer, SessionCloseSerializer, SessionCurrentSerializer,
    SessionFilterSerializer, SessionOpenSerializer, SessionSerializer, ZReportSerializer,
)


def _blind(request) -> bool:
    """A cashier never sees what an open session should hold: the close is blind."""
    return role_of(request) == CASHIER


def _shown(session: CashSession, request) -> dict:
    live = session.status == CashSession.Status.OPEN and not _blind(request)
    expected = {session.pk: selectors.session_expected(session=session, using=session._state.db)} if live else {}
    return SessionSerializer(session, context={"expected": expected}).data


def _acting_on(request, session: CashSession) -> None:
    """Writes on a session: its cashier, or a manager or admin of its branch (403 otherwise)."""
    require_branch(request, session.branch_id)
    if role_of(request) == CASHIER and session.user_id != int(request.user.id):
        raise PermissionDenied("Cashiers act only on their own sessions.", code="not_your_session")


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

    def _visible(self, pk) -> CashSession:
        return get_object_or_404(self.get_queryset(), pk=pk)

    @extend_schema(operation_id="cash_sessions_get")
    def retrieve(self, request, pk=None):
        return Response(_shown(self._visible(pk), request))

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
            return Response(_shown(session, request), status=status.HTTP_201_CREATED)

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
        return Response(_shown(get_object_or_404(sessions), request))

    @extend_schema(operation_id="cash_sessions_close", request=SessionCloseSerializer, parameters=[IDEMPOTENCY_KEY],
                   responses={200: SessionSerializer, **errors(d409="Already closed (`cash_session_closed`), sales "
                                                                   "still pending (`cash_session_pending`), or the "
                                                                   "key is still running.")})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        data = SessionCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        close = data.validated_data
        session = get_object_or_404(CashSession.objects.using("default"), pk=pk)
        _acting_on(request, session)

        def handler():
            closed = services.cash_session_close(session_id=session.pk, closed_by=int(request.user.id), **close)
            return Response(_shown(closed, request))

        payload = {**{k: None if v is None else str(v) for k, v in close.items() if k != "denominations"},
                   "denominations": None if close["denominations"] is None else
                   [[str(d["value"]), d["count"]] for d in close["denominations"]]}
        return run_idempotent(key=request_key(request), scope=f"cash-close:{session.pk}", payload=payload,
                              handler=handler)

    @extend_schema(methods=["get"], operation_id="cash_sessions_movements_list",
                   responses={200: MovementSerializer(many=True)})
    @extend_schema(methods=["post"], operation_id="cash_sessions_movements_create", request=MovementCreateSerializer,
                   parameters=[IDEMPOTENCY_KEY],
                   responses={201: MovementSerializer, **errors(
                       d403="Not the session's cashier nor a manager of its branch, or a cashier's out above the "
                            "company's `cash_out_limit` without a manager's approval (`cash_out_needs_approval`, "
                            "`approval_invalid`).",
                       d409="The session is closed (`cash_session_closed`), the drawer holds less cash than the out "
                            "(`insufficient_cash`), or the key is still running.",
                       d429="Too many wrong PINs for that manager (`approval_locked`).",
                       d503="servicio_auth or servicio_sucursales is unreachable.")})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def movements(self, request, pk=None):
        """The session's cash put in and paid out (GET), or one more (POST, Idempotency-Key required)."""
        if request.method == "GET":
            session = self._visible(pk)
            return Response(MovementSerializer(selectors.movement_list(session=session), many=True).data)
        data = MovementCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        movement = data.validated_data
        session = get_object_or_404(CashSession.objects.using("default"), pk=pk)
        _acting_on(request, session)
        user_id = int(request.user.id)
        key, scope = request_key(request), f"cash-movement:{session.pk}:{user_id}"
        # before the key is claimed: a missing or wrong approval is not stored as the key's answer, so the till
        # repeats the request with the same key and a manager's PIN; a replay needs no approval again
        approved_by = None if answer_exists(scope=scope, key=key) else services.cash_out_approver(
            role=role_of(request), kind=movement["kind"], amount=movement["amount"],
            approval=movement.get("approval"), branch_id=session.branch_id)

        def handler():
            created = services.cash_movement_create(session_id=session.pk, user_id=user_id, kind=movement["kind"],
                                                    amount=movement["amount"], reason=movement["reason"],
                                                    approved_by=approved_by)
            return Response(MovementSerializer(created).data, status=status.HTTP_201_CREATED)

        # the PIN stays out of the stored fingerprint (a hash of a 4-digit PIN is no secret)
        payload = {"kind": movement["kind"], "amount": str(movement["amount"]), "reason": movement["reason"],
                   "approver": (movement.get("approval") or {}).get("username")}
        return run_idempotent(key=key, scope=scope, payload=payload, handler=handler)

    @extend_schema(operation_id="cash_sessions_report", responses={200: ZReportSerializer, **errors(
        d403="A cashier asking before the session is closed (`report_before_close`): the report adds up to "
             "the expected amounts, and the cashier's close is blind.")})
    @action(detail=True, methods=["get"])
    def report(self, request, pk=None):
        """The end-of-day (Z) report of a session: float, sales and returns by method, movements, the close."""
        session = self._visible(pk)
        if session.status == CashSession.Status.OPEN and _blind(request):
            raise DomainError("The report of an open session is shown to its cashier once it is closed.",
                              "report_before_close", 403)
        return Response(zreport.session_report(session=session))
