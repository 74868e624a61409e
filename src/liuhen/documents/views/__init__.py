"""The text-record pages, one module per area; ``documents/urls.py`` mounts them."""
