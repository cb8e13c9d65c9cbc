"""Project gauges read at scrape time: a small registry of callables, e.g. pending sagas."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable, Mapping

from django.apps import apps
from prometheus_client.core import GaugeMetricFamily

log = logging.getLogger(__name__)

Reading = float | Mapping[tuple[str, ...], float]


@dataclass(frozen=True)
class RegisteredGauge:
    name: str
    documentation: str
    read: Callable[[], Reading]
    labels: tuple[str, ...] = ()


_registry: dict[str, RegisteredGauge] = {}


def register_gauge(name: str, documentation: str, read: Callable[[], Reading], labels: tuple[str, ...] = ()) -> None:
    """Expose `read()` at every scrape: a number, or {label values: number} when `labels` are given."""
    _registry[name] = RegisteredGauge(name, documentation, read, tuple(labels))


def count_where(models: Mapping[str, str], **filters) -> Callable[[], dict[tuple[str, ...], float]]:
    """A reader counting rows of each model ({label: "app.Model"}) that match `filters`, e.g. status="pending"."""
    def read() -> dict[tuple[str, ...], float]:
        return {(label,): apps.get_model(model).objects.filter(**filters).count() for label, model in models.items()}

    return read


def collect_registered():
    """Families for every registered gauge; a reader that fails is skipped (and logged), never the scrape."""
    for gauge in list(_registry.values()):
        try:
            value = gauge.read()
        except Exception:  # a scrape must answer even when one reading cannot be taken
            log.warning("metrics gauge %s failed", gauge.name, exc_info=True)
            continue
        family = GaugeMetricFamily(gauge.name, gauge.documentation, labels=gauge.labels or None)
        if gauge.labels:
            for label_values, number in value.items():
                family.add_metric(list(label_values), float(number))
        else:
            family.add_metric([], float(value))
        yield family
