"""The one door of service and payment: one module per area (service and consent, payment
notices, payments and the daily surcharge, proceedings, deferrals). Callers import the
module they need; nothing is re-exported here."""
