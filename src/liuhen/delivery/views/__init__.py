"""The service and payment pages, one module per area; ``delivery/urls.py`` mounts them."""
