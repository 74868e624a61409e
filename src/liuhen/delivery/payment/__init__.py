"""Payment of fines (R11.1): the gateway, where a payment notice stands and the late-payment
surcharge."""
