"""执法公示 (R12.1): what the law says must be public, published on the portal."""
