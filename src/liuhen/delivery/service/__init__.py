"""Service of documents 送达 (R10.1, R10.2): what each mode records, the service deadline, and
the delivery register 送达台账."""
