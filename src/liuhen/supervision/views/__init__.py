"""The supervision pages, one module per area."""
