"""The forms a case can use (R6.1): the national set and the bureau's own, how a form is
looked up, filled in from the case and checked."""
