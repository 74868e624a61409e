"""``{% load payments %}``: ``payment.gateway|gateway_label``, a gateway's name in words."""

from __future__ import annotations

from django import template

from liuhen.delivery.payment import gateway

register = template.Library()


@register.filter
def gateway_label(name: str) -> str:
    return gateway.gateway_label(name)
